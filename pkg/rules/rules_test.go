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

// TestFixedList derives the wording of the fixed rules from Configurable,
// and checks both against the rules the gate's own checks depend on.
func TestFixedList(t *testing.T) {
	t.Parallel()
	if got, want := FixedList(), "UG0xx, UG101–UG103, UG105, UG604, UG607, UG608, UG706, UG803 and UG9xx"; got != want {
		t.Errorf("FixedList() = %q, want %q", got, want)
	}
	var fixed []string
	for _, r := range All() {
		if !r.Configurable() {
			fixed = append(fixed, r.ID.s)
		}
	}
	if got := expand(FixedList()); !cmp.Equal(got, fixed) {
		t.Errorf("FixedList() names %v, Configurable() fixes %v", got, fixed)
	}
	if (ID{}).Rule().Configurable() {
		t.Error("the zero ID is configurable")
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
	var fixed []string
	for _, r := range All() {
		if !r.Configurable() {
			fixed = append(fixed, r.ID.s)
		}
	}
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
