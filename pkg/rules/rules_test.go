package rules

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestIDsAreDeclaredWithTheirEntries reads this package's source: every id
// is declared as UGnnn = ID{"UGnnn"}, name and text alike, and has exactly
// one catalog entry, in the family of its prefix.
func TestIDsAreDeclaredWithTheirEntries(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	declared := map[string]string{} // id -> where
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "ID" || len(lit.Elts) != 1 {
				return true
			}
			if b, ok := lit.Elts[0].(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(b.Value)
				declared[s] = fset.Position(lit.Pos()).String()
			}
			return true
		})
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.VAR {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.CompositeLit)
					if !ok {
						continue
					}
					if id, ok := lit.Type.(*ast.Ident); !ok || id.Name != "ID" {
						continue
					}
					if b, _ := lit.Elts[0].(*ast.BasicLit); b == nil || b.Value != strconv.Quote(name.Name) {
						t.Errorf("%s: var %s is not ID{%q}", fset.Position(name.Pos()), name.Name, name.Name)
					}
				}
			}
		}
	}
	entries := map[string]int{}
	for _, fam := range families {
		for _, r := range fam.rules {
			entries[r.ID.s]++
			if !strings.HasPrefix(r.ID.s, fam.prefix) {
				t.Errorf("%s is listed in family %s", r.ID, fam.prefix)
			}
			if _, ok := declared[r.ID.s]; !ok {
				t.Errorf("%s: catalog entry without a declared id", r.ID)
			}
		}
	}
	for id, where := range declared {
		if entries[id] != 1 {
			t.Errorf("%s (%s): %d catalog entries, want 1", id, where, entries[id])
		}
	}
	if len(declared) != len(All()) {
		t.Errorf("%d ids declared, %d rules in the catalog", len(declared), len(All()))
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		in   string
		want ID
		ok   bool
	}{
		{"UG201", UG201, true}, {"ug201", UG201, true}, {" UG502 ", UG502, true},
		{"UG5O1", ID{}, false}, {"UG999", ID{}, false}, {"", ID{}, false},
	} {
		got, ok := Lookup(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Lookup(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	if UG201.String() != "UG201" || UG201.Rule().ID != UG201 || (ID{}).Rule().Title != "" {
		t.Error("an id does not name its own entry")
	}
}

func TestIDText(t *testing.T) {
	t.Parallel()
	b, err := UG201.MarshalText()
	if err != nil || string(b) != "UG201" {
		t.Errorf("MarshalText = %q, %v", b, err)
	}
	var id ID
	if err := id.UnmarshalText([]byte("UG201")); err != nil || id != UG201 {
		t.Errorf("UnmarshalText(UG201) = %v, %v", id, err)
	}
	// a report of another version may name a rule this catalog lacks
	if err := id.UnmarshalText([]byte("UG777")); err != nil || id.String() != "UG777" || id.Rule().Configurable() {
		t.Errorf("UnmarshalText(UG777) = %v, %v", id, err)
	}
}

// fixedRules are the ids of the catalog's entries that say fixed: true, the
// one list every document is held to.
func fixedRules() []string {
	var fixed []string
	for _, r := range All() {
		if !r.Configurable() {
			fixed = append(fixed, r.ID.s)
		}
	}
	return fixed
}

// TestFixedList: FixedList names exactly the catalog's fixed rules, and the
// rules every later check depends on are among them.
func TestFixedList(t *testing.T) {
	t.Parallel()
	fixed := fixedRules()
	if got := expand(FixedList()); !cmp.Equal(got, fixed) {
		t.Errorf("FixedList() = %q names %v, Configurable() fixes %v", FixedList(), got, fixed)
	}
	for _, id := range []ID{UG001, UG101, UG102, UG103, UG105, UG901} {
		if id.Rule().Configurable() {
			t.Errorf("%s is configurable: the checks after it would be skipped, not relaxed", id)
		}
	}
	if (ID{}).Rule().Configurable() {
		t.Error("the zero ID is configurable")
	}
}

// TestFixedListWording: the wording's forms, on a made-up catalog (so that
// no test restates the real list): a family fixed whole, a range of three or
// more consecutive ids, two consecutive ids kept apart, "and" before the last.
func TestFixedListWording(t *testing.T) {
	t.Parallel()
	rule := func(id string, fixed bool) Rule { return Rule{ID: ID{id}, fixed: fixed} }
	whole := &family{prefix: "UG0", rules: []Rule{rule("UG001", true), rule("UG002", true)}}
	mixed := &family{prefix: "UG1", rules: []Rule{rule("UG101", true), rule("UG102", true), rule("UG103", true),
		rule("UG104", false), rule("UG105", true), rule("UG106", true), rule("UG108", true)}}
	none := &family{prefix: "UG2", rules: []Rule{rule("UG201", false)}}
	for _, tt := range []struct {
		name string
		fams []*family
		want string
	}{
		{"nothing fixed", []*family{none}, ""},
		{"one family", []*family{whole}, "UG0xx"},
		{"every form", []*family{whole, mixed, none}, "UG0xx, UG101–UG103, UG105, UG106 and UG108"},
	} {
		if got := fixedList(tt.fams); got != tt.want {
			t.Errorf("%s: fixedList() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

// expand lists the ids a FixedList-style text names.
func expand(text string) []string {
	var out []string
	for _, tok := range regexp.MustCompile(`UG\d(?:xx|\d\d(?:–UG\d{3})?)`).FindAllString(text, -1) {
		switch {
		case strings.HasSuffix(tok, "xx"):
			for _, r := range All() {
				if strings.HasPrefix(r.ID.s, strings.TrimSuffix(tok, "xx")) {
					out = append(out, r.ID.s)
				}
			}
		case strings.Contains(tok, "–"):
			from, to, _ := strings.Cut(tok, "–")
			for _, r := range All() {
				if r.ID.s >= from && r.ID.s <= to {
					out = append(out, r.ID.s)
				}
			}
		default:
			out = append(out, tok)
		}
	}
	sort.Strings(out)
	return out
}

// TestDocsNameTheFixedRules: README.md, SECURITY.md and docs/spec.md word
// the fixed rules their own way; each names exactly the rules Configurable
// fixes.
func TestDocsNameTheFixedRules(t *testing.T) {
	t.Parallel()
	fixed := fixedRules()
	for _, tt := range []struct{ file, from, to string }{
		{"README.md", "`upgradegate explain UG201`.", "cannot be turned off or excepted"},
		{"SECURITY.md", "guard the gate itself", ": see"},
		{"docs/spec.md", "but never failing. Rules", "(the version rules"},
	} {
		data, err := os.ReadFile(filepath.Join("..", "..", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(string(data)), " ")
		i := strings.Index(text, tt.from)
		j := strings.Index(text[max(i, 0):], tt.to)
		if i < 0 || j < 0 {
			t.Errorf("%s no longer says which rules cannot be turned off or excepted (between %q and %q)", tt.file, tt.from, tt.to)
			continue
		}
		sentence := text[i+len(tt.from) : i+j]
		if got := expand(sentence); !cmp.Equal(got, fixed) {
			t.Errorf("%s: %q names %v; the fixed rules are %s", tt.file, sentence, got, FixedList())
		}
	}
}

// TestDocsClaimsAboutRules: wherever the repository's documents say of a
// rule or a range of rules that it is fixed ("UG803 (cannot be turned off)",
// "UG604 (a fixed rule)", "UG904 (error, fixed)") or configurable
// ("UG515–UG522 are configurable"), the catalog agrees. docs/rules.md is
// generated from the catalog, so it is not read.
func TestDocsClaimsAboutRules(t *testing.T) {
	t.Parallel()
	const id = `UG\d{3}(?:–UG\d{3})?`
	fixedClaim := regexp.MustCompile(`(` + id + `)[*` + "`" + `]*\s*\([^)]{0,60}?\b(?:fixed|cannot be (?:turned off|excepted|changed)|never (?:be )?(?:turned off|excepted))\b[^)]{0,60}\)`)
	configurableClaim := regexp.MustCompile(`(` + id + `)[*` + "`" + `]*\s+(?:is|are) configurable\b`)
	root := filepath.Join("..", "..")
	claims := 0
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || d.Name() == "floor" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		rel, _ := filepath.Rel(root, path)
		if d.IsDir() || !strings.HasSuffix(path, ".md") || filepath.ToSlash(rel) == "docs/rules.md" {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(data)
		for _, c := range []struct {
			re    *regexp.Regexp
			fixed bool
		}{{fixedClaim, true}, {configurableClaim, false}} {
			for _, m := range c.re.FindAllStringSubmatchIndex(text, -1) {
				claims++
				line := strings.Count(text[:m[0]], "\n") + 1
				for _, got := range expand(text[m[2]:m[3]]) {
					if fixed := !byID[got].Configurable(); fixed != c.fixed {
						t.Errorf("%s:%d: %q, but the catalog has %s fixed = %t (see FixedList: %s)", rel, line, text[m[0]:m[1]], got, fixed, FixedList())
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if claims == 0 {
		t.Error("no claim about a rule found: the patterns no longer match the documents")
	}
}

func TestHint(t *testing.T) {
	t.Parallel()
	if got, want := UG902.Rule().Hint(), "remove the exception: nothing needs it any more"; got != want {
		t.Errorf("Hint() = %q, want %q", got, want)
	}
	for _, r := range All() {
		h := r.Hint()
		if h == "" || strings.HasSuffix(h, ".") || h[:1] != strings.ToLower(h[:1]) {
			t.Errorf("%s: hint %q", r.ID, h)
		}
	}
}

// TestHintsAreNotCopied: code that wants a rule's help as a finding's hint
// takes it from the catalog (Rule.Hint), rather than a copy that drifts.
func TestHintsAreNotCopied(t *testing.T) {
	t.Parallel()
	hints := map[string]ID{}
	for _, r := range All() {
		hints[strings.ToLower(r.Hint())] = r.ID
	}
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != root && (d.Name() == "testdata" || d.Name() == "rules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if b, ok := n.(*ast.BasicLit); ok && b.Kind == token.STRING {
				s, _ := strconv.Unquote(b.Value)
				if id, copied := hints[strings.ToLower(strings.TrimSuffix(s, "."))]; copied {
					t.Errorf("%s: the help of %s, copied; use %s.Rule().Hint()", fset.Position(b.Pos()), id, id)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestHintOfAnyHelp(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ help, want string }{
		{"", ""}, {".", ""}, {"Fix it.", "fix it"}, {"Échec: retry.", "échec: retry"}, {"spec.to must be newer", "spec.to must be newer"},
	} {
		if got := (Rule{Help: tt.help}).Hint(); got != tt.want {
			t.Errorf("Hint of %q = %q, want %q", tt.help, got, tt.want)
		}
	}
}
