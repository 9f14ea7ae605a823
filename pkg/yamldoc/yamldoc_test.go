package yamldoc

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHeader(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		ok        bool
		want      []string // findings as file:line:col: severity: message [rule]
	}{
		{"complete", "apiVersion: upgradegate/v1\nkind: Upgrade\nmetadata: {name: x}\nspec: {}\n", true, nil},
		{"missing apiVersion, empty kind", "kind:\nspec: {}\n", true, []string{
			"f.yaml:1:1: error: apiVersion is missing [UG003]", "f.yaml:1:6: error: kind is empty [UG003]"}},
		{"wrong apiVersion and kind", "apiVersion: v2\nkind: Upgarde\n", true, []string{
			`f.yaml:1:13: error: apiVersion "v2" is not supported: expected "upgradegate/v1" [UG004]`,
			`f.yaml:2:7: error: kind "Upgarde" is not "Upgrade" [UG004]`}},
		{"a list", "- a\n", false, []string{"f.yaml:1:1: error: manifest must be a mapping, not a list [UG004]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, f := Parse("f.yaml", []byte(tt.doc))
			if f != nil {
				t.Fatal(f)
			}
			d := NewDecoder("f.yaml", Content(docs[0]))
			_, ok := d.Header(Content(docs[0]), "manifest", "upgradegate/v1", "Upgrade")
			var got []string
			for _, f := range d.Findings {
				got = append(got, f.String())
			}
			if ok != tt.ok {
				t.Errorf("ok = %v, want %v", ok, tt.ok)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestQuote(t *testing.T) {
	t.Parallel()
	if got := Quote("a\"b"); got != `"a\"b"` {
		t.Errorf("Quote = %s", got)
	}
	long := strings.Repeat("é", 200)
	if got := Quote(long); got != `"`+strings.Repeat("é", maxQuoted)+`..."` {
		t.Errorf("Quote of a long value = %s", got)
	}
}

func TestNearest(t *testing.T) {
	t.Parallel()
	if got, ok := Nearest("dryrun", []string{"dryRun", "database", "docs"}); !ok || got != "dryRun" {
		t.Errorf("Nearest = %q, %v", got, ok)
	}
	if _, ok := Nearest("zzzzzz", []string{"dryRun", "database", "docs"}); ok {
		t.Error("Nearest suggested a name for an unrelated word")
	}
}

func TestSyntaxPositions(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, text, want string }{
		{"tab indent", "spec:\n  from: 1\n\tto: 2\n", "f.yaml:3:1: error: YAML syntax error: found a tab character that violates indentation (in the block that starts at line 2) [UG001]"},
		{"error below its block", "spec:\n  a: 1\n  b: 2\n   c: [\n", "f.yaml:4:4: error: YAML syntax error: mapping values are not allowed in this context [UG001]"},
		{"invalid utf-8", "a: b\nc: \xff\n", "f.yaml:2:4: error: file is not valid UTF-8 [UG001]"},
	} {
		_, f := Parse("f.yaml", []byte(tt.text))
		if f == nil || f.String() != tt.want {
			t.Errorf("%s:\n got %v\nwant %s", tt.name, f, tt.want)
		}
	}
}
