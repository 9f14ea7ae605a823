package configfile

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseKeyPath(t *testing.T) {
	t.Parallel()
	k := func(s string) Segment { return Segment{Key: s} }
	ix := func(n int) Segment { return Segment{Index: n, IsIndex: true} }
	tests := []struct {
		name string
		in   string
		want KeyPath
	}{
		{"one key", "pool", KeyPath{k("pool")}},
		{"dotted", "global.psql.pool", KeyPath{k("global"), k("psql"), k("pool")}},
		{"index", "servers[0].port", KeyPath{k("servers"), ix(0), k("port")}},
		{"nested index", "matrix[1][12]", KeyPath{k("matrix"), ix(1), ix(12)}},
		{"root index", "[3].name", KeyPath{ix(3), k("name")}},
		{"quoted with dots", `global."app.kubernetes.io/name"`, KeyPath{k("global"), k("app.kubernetes.io/name")}},
		{"quoted first", `"a.b".c`, KeyPath{k("a.b"), k("c")}},
		{"quoted then index", `"a[0]"[0]`, KeyPath{k("a[0]"), ix(0)}},
		{"escapes", `"say \"hi\" \\ bye"`, KeyPath{k(`say "hi" \ bye`)}},
		{"dashes and slashes", "ingress.annotations.nginx/proxy-body-size", KeyPath{k("ingress"), k("annotations"), k("nginx/proxy-body-size")}},
		{"unicode", "données.clé", KeyPath{k("données"), k("clé")}},
		{"spaces inside", "a b.c", KeyPath{k("a b"), k("c")}},
		{"digits as key", "ports.8080", KeyPath{k("ports"), k("8080")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ParseKeyPath(tt.in)
			if err != nil {
				t.Fatalf("ParseKeyPath(%q): %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseKeyPath(%q) (-want +got):\n%s", tt.in, diff)
			}
			again, err := ParseKeyPath(got.String())
			if err != nil || !cmp.Equal(got, again) {
				t.Errorf("String() %q does not parse back to the same path: %v", got.String(), err)
			}
		})
	}
}

func TestParseKeyPathErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		column int
	}{
		{"", 1},
		{".a", 1},
		{"a.", 2},
		{"a..b", 3},
		{"a[", 2},
		{"a[]", 2},
		{"a[x]", 3},
		{"a[-1]", 3},
		{"a[0]b", 5},
		{"a.[0]", 3},
		{"a]", 2},
		{`a"b"`, 2},
		{`a."b`, 3},
		{`a.""`, 3},
		{`"a"b`, 4},
		{`"a\n"`, 1},
		{"a\tb", 2},
		{"a[99999999999]", 3},
		{"é.", 2}, // columns count characters, not bytes
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParseKeyPath(tt.in)
			var kpe *KeyPathError
			if !errors.As(err, &kpe) {
				t.Fatalf("ParseKeyPath(%q) = %v, want a *KeyPathError", tt.in, err)
			}
			if kpe.Column != tt.column {
				t.Errorf("ParseKeyPath(%q): column %d (%s), want %d", tt.in, kpe.Column, kpe.Reason, tt.column)
			}
		})
	}
}

func FuzzKeyPath(f *testing.F) {
	for _, s := range []string{"global.psql.pool", "servers[0].port", `global."app.kubernetes.io/name"`, `"a\"b".c[1][2]`, "a..b", "[0]", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseKeyPath(s)
		if err != nil {
			var kpe *KeyPathError
			if !errors.As(err, &kpe) || kpe.Column < 1 || kpe.Offset < 0 || kpe.Offset > len(s) {
				t.Fatalf("ParseKeyPath(%q): bad error %#v", s, err)
			}
			return
		}
		if len(p) == 0 {
			t.Fatalf("ParseKeyPath(%q) returned an empty path without an error", s)
		}
		again, err := ParseKeyPath(p.String())
		if err != nil {
			t.Fatalf("String() of %q is %q, which does not parse: %v", s, p.String(), err)
		}
		if !cmp.Equal(p, again) {
			t.Fatalf("round trip of %q changed the path: %v -> %v", s, p, again)
		}
	})
}
