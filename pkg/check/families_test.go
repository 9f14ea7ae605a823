package check

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// familyFiles maps each family's file here to the prefix of its rules.
var familyFiles = map[string]string{"versions.go": "UG1", "path.go": "UG2", "compat.go": "UG3", "checklist.go": "UG5", "lifecycle.go": "UG7"}

// TestFamilyFilesHoldTheirFamily: a family's file here reports only its own
// family's rules, and its catalog file in pkg/rules has the same name.
func TestFamilyFilesHoldTheirFamily(t *testing.T) {
	t.Parallel()
	for file, prefix := range familyFiles {
		if _, err := os.Stat(filepath.Join("..", "rules", file)); err != nil {
			t.Errorf("%s: no catalog file pkg/rules/%s: %v", file, file, err)
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		ast.Inspect(f, func(node ast.Node) bool {
			sel, ok := node.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "rules" && strings.HasPrefix(sel.Sel.Name, "UG") {
				n++
				if !strings.HasPrefix(sel.Sel.Name, prefix) {
					t.Errorf("%s: %s reports rules.%s, not of family %sxx", file, fset.Position(sel.Pos()), sel.Sel.Name, prefix)
				}
			}
			return true
		})
		if n == 0 {
			t.Errorf("%s reports no rule of family %sxx", file, prefix)
		}
	}
	if len(familyFiles) != len(families)-1 { // the path family is two checks
		t.Errorf("%d family files, %d checks of families", len(familyFiles), len(families))
	}
}
