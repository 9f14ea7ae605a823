package yamldoc

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
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

// TestUnknownFieldKnownElsewhere: a field the schema knows at a path above
// or below the mapping it is in is probably mis-indented, and the finding
// says where it belongs; a field of the same name in another branch is not
// suggested, and without one the typo suggestion stays.
func TestUnknownFieldKnownElsewhere(t *testing.T) {
	t.Parallel()
	fields := map[string][]string{
		"":              {"spec"},
		"spec":          {"impact", "owner", "review", "config"},
		"spec.impact":   {"downtime", "window"},
		"spec.review":   {"due", "lead"},
		"spec.config[]": {"file", "key"},
	}
	tests := []struct{ name, path, doc, want, hint string }{
		{"one level too far out", "spec", "impact: {}\nwindow: {}\n",
			`f.yaml:2:1: error: unknown field "window" in spec; did you mean spec.impact.window (check the indentation)? [UG002]`, "move window: under spec.impact"},
		{"one level too far in", "spec.impact", "owner: x\n",
			`f.yaml:1:1: error: unknown field "owner" in spec.impact; did you mean spec.owner (check the indentation)? [UG002]`, "move owner: under spec"},
		{"at the top of the document", "", "owner: x\n",
			`f.yaml:1:1: error: unknown field "owner" in the document; did you mean spec.owner (check the indentation)? [UG002]`, "move owner: under spec"},
		{"below a list element", "spec.config[3]", "spec: x\n",
			`f.yaml:1:1: error: unknown field "spec" in spec.config[3]; did you mean spec (check the indentation)? [UG002]`, "move spec: to the top level of the document"},
		{"list elements are not suggested", "spec", "file: x\n",
			`f.yaml:1:1: error: unknown field "file" in spec [UG002]`, "expected one of impact, owner, review, config"},
		{"another branch is not suggested", "spec.impact", "lead: x\n",
			`f.yaml:1:1: error: unknown field "lead" in spec.impact [UG002]`, "expected one of downtime, window"},
		{"a typo keeps its suggestion", "spec.impact", "windw: x\n",
			`f.yaml:1:1: error: unknown field "windw" in spec.impact; did you mean "window"? [UG002]`, "expected one of downtime, window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			docs, f := Parse("f.yaml", []byte(tt.doc))
			if f != nil {
				t.Fatal(f)
			}
			d := NewDecoder("f.yaml", Content(docs[0]))
			d.Fields = fields
			d.Mapping(tt.path, Content(docs[0]), fields[schemaPath(tt.path)], nil)
			if len(d.Findings) != 1 {
				t.Fatalf("findings = %v, want one", d.Findings)
			}
			if got := d.Findings[0].String(); got != tt.want {
				t.Errorf("finding = %s\nwant      %s", got, tt.want)
			}
			if got := d.Findings[0].Hint; got != tt.hint {
				t.Errorf("hint = %q, want %q", got, tt.hint)
			}
		})
	}
}

func TestIndex(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		path string
		i    int
		want string
	}{{"spec.releases", 12, "spec.releases[12]"}, {"spec.path", 0, "spec.path[0]"}, {"", 7, "[7]"}} {
		if got := Index(tc.path, tc.i); got != tc.want {
			t.Errorf("Index(%q, %d) = %q, want %q", tc.path, tc.i, got, tc.want)
		}
	}
}

// TestFieldsCountsPositions: the decoder's Loc is sized for one position
// per mapping value and list item, and the root's.
func TestFieldsCountsPositions(t *testing.T) {
	t.Parallel()
	docs, f := Parse("x.yaml", []byte("a: 1\nb: [x, y, {c: 2, d: [3]}]\ne: {f: g}\n"))
	if f != nil {
		t.Fatal(f)
	}
	root := Content(docs[0])
	// a, b, e; b's 3 items; c, d; d's item; f; and the root
	if got, want := fields(root), 11; got != want {
		t.Errorf("fields() = %d, want %d", got, want)
	}
	if got := fields(nil); got != 0 {
		t.Errorf("fields(nil) = %d, want 0", got)
	}
}

// TestDuplicateKeys: a repeated key is UG001 naming its first line, in a
// small mapping (keys looked up in the node) and a big one (a map) alike;
// the fields before the duplicate keep their positions.
func TestDuplicateKeys(t *testing.T) {
	t.Parallel()
	for _, n := range []int{2, smallMapping, smallMapping + 1, 3 * smallMapping} {
		var b strings.Builder
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "k%d: %d\n", i, i)
		}
		b.WriteString("k1: again\nk1: and again\n") // lines n+1, n+2
		docs, f := Parse("f.yaml", []byte(b.String()))
		if f != nil {
			t.Fatal(f)
		}
		d := NewDecoder("f.yaml", Content(docs[0]))
		var keys []string
		d.Mapping("", Content(docs[0]), nil, func(key, _ string, _ *yaml.Node) { keys = append(keys, key) })
		var got []string
		for _, f := range d.Findings {
			got = append(got, f.String())
		}
		want := []string{
			fmt.Sprintf(`f.yaml:%d:1: error: duplicate key "k1" (first defined at line 2) [UG001]`, n+1),
			fmt.Sprintf(`f.yaml:%d:1: error: duplicate key "k1" (first defined at line 2) [UG001]`, n+2),
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%d keys: findings (-want +got):\n%s", n, diff)
		}
		if len(keys) != n || d.Loc.Locate("k1") != (Pos{2, 5}) {
			t.Errorf("%d keys: %d decoded, k1 at %v; want %d, at 2:5", n, len(keys), d.Loc.Locate("k1"), n)
		}
	}
}

func TestParseVersionShares(t *testing.T) {
	t.Parallel()
	a, err := ParseVersion(" 17.3.7 ")
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseVersion("17.3.7")
	if err != nil || a != b || b.Original() != "17.3.7" {
		t.Errorf("ParseVersion twice = %p, %p (%v): want one shared version 17.3.7", a, b, err)
	}
	if c, err := ParseVersion("v17.3.7"); err != nil || c == a || !c.Equal(a) || c.Original() != "v17.3.7" {
		t.Errorf("ParseVersion(v17.3.7) = %v, %v: want its own version, as written", c, err)
	}
	if _, err := ParseVersion("17.x"); err == nil {
		t.Error("ParseVersion(17.x) succeeded")
	}
}

// TestSubset: for the paths it was made for, a Subset answers Locate and Has
// as the whole Locations do (a present field, a missing one under a
// present parent, one under nothing present), and it holds only their
// entries, their ancestors' and the document's.
func TestSubset(t *testing.T) {
	t.Parallel()
	l := NewLocations(0)
	l.Set("", Loc{Key: Pos{1, 1}, Value: Pos{1, 1}})
	l.Set("spec", Loc{Key: Pos{4, 1}, Value: Pos{5, 3}})
	l.Set("spec.to", Loc{Key: Pos{5, 3}, Value: Pos{5, 7}})
	l.Set("spec.path", Loc{Key: Pos{6, 3}, Value: Pos{6, 9}})
	l.Set("spec.path[0]", Loc{Key: Pos{6, 10}, Value: Pos{6, 10}})
	l.Set("spec.path[1]", Loc{Key: Pos{6, 16}, Value: Pos{6, 16}})
	l.Set("spec.environment", Loc{Key: Pos{7, 3}, Value: Pos{8, 5}})
	l.Set("spec.environment.pg", Loc{Key: Pos{8, 5}, Value: Pos{8, 9}})
	l.Set("spec.impact", Loc{Key: Pos{9, 3}, Value: Pos{10, 5}})
	l.Set("spec.impact.risks", Loc{Key: Pos{10, 5}, Value: Pos{10, 12}})
	l.Set("metadata", Loc{Key: Pos{2, 1}, Value: Pos{3, 3}})
	l.Set("metadata.name", Loc{Key: Pos{3, 3}, Value: Pos{3, 9}})
	l.Set("spec.exceptions", Loc{Key: Pos{11, 3}, Value: Pos{12, 5}})
	l.Set("spec.exceptions[0]", Loc{Key: Pos{12, 7}, Value: Pos{12, 7}})
	l.Set("spec.exceptions[0].rule", Loc{Key: Pos{12, 7}, Value: Pos{12, 13}})
	paths := []string{"spec.to", "spec.from", "spec.path[1]", "spec.environment.pg", "spec.environment.redis", "spec.exceptions[0].expires", "status.x"}
	sub := l.Subset(paths...)
	for _, p := range paths {
		if got, want := sub.Locate(p), l.Locate(p); got != want {
			t.Errorf("Subset.Locate(%q) = %v, want %v", p, got, want)
		}
		if got, want := sub.Has(p), l.Has(p); got != want {
			t.Errorf("Subset.Has(%q) = %v, want %v", p, got, want)
		}
	}
	want := []string{"", "spec", "spec.environment", "spec.environment.pg", "spec.exceptions", "spec.exceptions[0]", "spec.path", "spec.path[1]", "spec.to"}
	var got []string
	for k := range sub.All() {
		got = append(got, k)
	}
	slices.Sort(got)
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Subset holds (-want +got):\n%s", d)
	}
	if n := (Locations{}).Subset("spec.to").Len(); n != 0 {
		t.Errorf("the Subset of no positions holds %d", n)
	}
}
