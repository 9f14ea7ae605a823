package manifest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// FuzzDecode feeds arbitrary bytes to the YAML reader and the manifest
// decoder: they must never panic, and every finding must have a position.
func FuzzDecode(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/check/*/upgrades/*.yaml")
	base, _ := filepath.Glob("../../testdata/base/upgrades/*.yaml")
	seeds = append(base, seeds...)
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("kind: Upgrade\nspec: {from: &a 1.0, to: *a, path: [*a, *a]}\n"))
	f.Add([]byte("kind: Upgrade\nspec:\n  <<: {from: 1}\n"))
	f.Add([]byte("kind: Upgrade\n\xff\xfe"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, syntax := yamldoc.Parse("f.yaml", data)
		if syntax != nil {
			if syntax.Line < 1 || syntax.Column < 1 {
				t.Fatalf("syntax finding without position: %+v", syntax)
			}
			return
		}
		for i, doc := range docs {
			m, fs := Decode("f.yaml", i, doc)
			if m == nil {
				t.Fatal("nil manifest")
			}
			for _, f := range fs {
				if f.Line < 1 || f.Column < 1 || f.Rule == (rules.ID{}) || f.Message == "" {
					t.Fatalf("finding without position or text: %+v", f)
				}
			}
		}
	})
}
