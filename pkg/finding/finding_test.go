package finding

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestNewTakesTheCatalogsSeverity(t *testing.T) {
	t.Parallel()
	for _, r := range rules.All() {
		f := New(r.ID, "u.yaml", 3, 5, "m", "h")
		if f.Rule != r.ID || f.Severity != r.Severity || f.File != "u.yaml" || f.Line != 3 || f.Column != 5 || f.Message != "m" || f.Hint != "h" {
			t.Errorf("New(%s) = %+v", r.ID, f)
		}
	}
	if f := New(rules.ID{}, "u.yaml", 1, 1, "m", ""); f.Severity != Error {
		t.Errorf("a finding of the zero ID is at %v, want error: never silently dropped", f.Severity)
	}
}

// TestMistypedRuleDoesNotCompile type-checks code that names a rule by a
// string: none of it may compile, while the same code with the catalog's
// value does.
func TestMistypedRuleDoesNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	const header = `package p

import (
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

var _ = rules.UG501
var _ finding.Finding
`
	// export data of this package and its dependencies, as the compiler
	// left it in the build cache
	out, err := exec.Command("go", "list", "-export", "-deps", "-f", "{{.ImportPath}}={{.Export}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -export: %v", err)
	}
	exports := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if path, file, ok := strings.Cut(line, "="); ok && file != "" {
			exports[path] = file
		}
	}
	fset := token.NewFileSet()
	imp := importer.ForCompiler(fset, "gc", func(path string) (io.ReadCloser, error) {
		file, ok := exports[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	})
	check := func(body string) error {
		// a file name in this directory, so that imports resolve in this module
		f, err := parser.ParseFile(fset, filepath.Join(".", "snippet.go"), header+body, 0)
		if err != nil {
			t.Fatalf("parse %q: %v", body, err)
		}
		conf := types.Config{Importer: imp}
		_, err = conf.Check("p", fset, []*ast.File{f}, nil)
		return err
	}
	if err := check(`var _ = finding.New(rules.UG501, "f", 1, 1, "m", "")` + "\n"); err != nil {
		t.Fatalf("the catalog's id does not compile: %v", err)
	}
	for _, bad := range []string{
		`var _ = finding.New("UG5O1", "f", 1, 1, "m", "")`,
		`var _ = finding.Finding{Rule: "UG5O1"}`,
		`var _ = rules.ID{"UG5O1"}`,
		`var _ rules.ID = "UG501"`,
	} {
		err := check(bad + "\n")
		if err == nil {
			t.Errorf("compiles, but names a rule by a string: %s", bad)
		} else if strings.Contains(err.Error(), "import") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestFindingsAreMadeByNew: outside this package, no code builds a Finding
// from a literal, so every finding gets its severity from the catalog.
func TestFindingsAreMadeByNew(t *testing.T) {
	t.Parallel()
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") || filepath.Dir(path) == "." {
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		isFinding := func(e ast.Expr) bool {
			sel, ok := e.(*ast.SelectorExpr)
			if !ok {
				return false
			}
			x, ok := sel.X.(*ast.Ident)
			return ok && x.Name == "finding" && sel.Sel.Name == "Finding"
		}
		report := func(lit *ast.CompositeLit) {
			if len(lit.Elts) > 0 {
				t.Errorf("%s: a finding.Finding literal; make findings with finding.New", fset.Position(lit.Pos()))
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.CompositeLit)
			if !ok {
				return true
			}
			if isFinding(lit.Type) {
				report(lit)
			}
			// []finding.Finding{{…}} elides the element type
			if arr, ok := lit.Type.(*ast.ArrayType); ok && isFinding(arr.Elt) {
				for _, el := range lit.Elts {
					if inner, ok := el.(*ast.CompositeLit); ok && inner.Type == nil {
						report(inner)
					}
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

// TestSortUsesOrderBeforeMessage: findings of one rule at one place come in
// the order their check gave them (a hop's skipped stops by version), not in
// the order of their text, where "16.11.10" sorts before "16.3.9"; findings
// without an Order still fall back to the message.
func TestSortUsesOrderBeforeMessage(t *testing.T) {
	t.Parallel()
	mk := func(msg string, order int) Finding {
		f := New(rules.UG201, "u.yaml", 9, 7, msg, "")
		f.Order = order
		return f
	}
	fs := []Finding{mk("stop 16.11.10", 3), mk("stop 16.3.9", 1), mk("stop 16.7.10", 2), mk("b", 0), mk("a", 0)}
	got := []string{}
	for _, f := range Sort(fs) {
		got = append(got, f.Message)
	}
	want := "a|b|stop 16.3.9|stop 16.7.10|stop 16.11.10"
	if strings.Join(got, "|") != want {
		t.Errorf("Sort order = %q, want %q", strings.Join(got, "|"), want)
	}
}
