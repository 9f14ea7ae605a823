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

func TestKeyPathSelector(t *testing.T) {
	t.Parallel()
	sel := func(f, v string) Segment { return Segment{IsSelector: true, Field: f, Value: v} }
	tests := []struct {
		in   string
		want KeyPath
	}{
		{"dependencies[name=gitlab].version", KeyPath{{Key: "dependencies"}, sel("name", "gitlab"), {Key: "version"}}},
		{"spec.template.spec.containers[name=web].image", KeyPath{{Key: "spec"}, {Key: "template"}, {Key: "spec"}, {Key: "containers"}, sel("name", "web"), {Key: "image"}}},
		{`a[name="x=]y"][0]`, KeyPath{{Key: "a"}, sel("name", "x=]y"), {Index: 0, IsIndex: true}}},
		{"a[v=1.2.3]", KeyPath{{Key: "a"}, sel("v", "1.2.3")}},
	}
	for _, tt := range tests {
		got, err := ParseKeyPath(tt.in)
		if err != nil {
			t.Fatalf("ParseKeyPath(%q): %v", tt.in, err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ParseKeyPath(%q) (-want +got):\n%s", tt.in, diff)
		}
		if again, err := ParseKeyPath(got.String()); err != nil || !cmp.Equal(got, again) {
			t.Errorf("String() %q does not parse back: %v", got.String(), err)
		}
	}
	for _, bad := range []string{"a[=x]", "a[name=]", "a[name=x", "a[na\"me=x]", "a[x=y=z]"} {
		if _, err := ParseKeyPath(bad); err == nil {
			t.Errorf("ParseKeyPath(%q) accepted a bad selector", bad)
		}
	}
	f, err := Parse("Chart.yaml", []byte("dependencies:\n  - name: redis\n  - name: gitlab\n    version: 7.3.2\n"))
	if err != nil {
		t.Fatal(err)
	}
	for key, found := range map[string]bool{"dependencies[name=gitlab].version": true, "dependencies[name=redis].version": false, "dependencies[name=nope]": false} {
		p, _ := ParseKeyPath(key)
		if m := f.Lookup(p); m.Found != found {
			t.Errorf("Lookup(%q) = %+v, want found %v", key, m, found)
		}
	}
	j, err := Parse("c.json", []byte(`{"d": [{"name": "x"}, {"name": "y", "v": 1}]}`))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParseKeyPath("d[name=y].v")
	if m := j.Lookup(p); !m.Found {
		t.Errorf("JSON selector lookup: %+v", m)
	}
	p, _ = ParseKeyPath("d[name=z].v")
	if m := j.Lookup(p); m.Found || m.Reason != `"d" is a list of 2 without an item whose "name" is "z"` {
		t.Errorf("JSON selector miss: %+v", m)
	}
}
