package schema_test

import (
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/schema"
)

var updateSchemas = flag.Bool("update", false, "rewrite the committed schemas under schema/")

// TestCommittedSchemasAreCurrent: schema/*.schema.json at the repository
// root, which editors find by a relative $schema line and other repositories
// by a tagged release's URL, are what `upgradegate schema NAME` prints.
func TestCommittedSchemasAreCurrent(t *testing.T) {
	for _, name := range schema.Names() {
		want, _ := schema.For(name)
		file := filepath.Join("..", "..", "schema", name+".schema.json")
		if *updateSchemas {
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (run go test ./pkg/schema -run TestCommittedSchemasAreCurrent -update)", err)
		}
		if string(got) != string(want) {
			t.Errorf("%s differs from `upgradegate schema %s`: run go test ./pkg/schema -run TestCommittedSchemasAreCurrent -update", file, name)
		}
	}
}

// TestEveryPatternSaysWhatItWants: yaml-language-server shows a pattern's
// patternErrorMessage instead of the raw regex, so every pattern has one
// (except inside "not", where nothing is reported).
func TestEveryPatternSaysWhatItWants(t *testing.T) {
	for _, name := range schema.Names() {
		data, _ := schema.For(name)
		var doc any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		var walk func(v any, at string, negated bool)
		walk = func(v any, at string, negated bool) {
			switch x := v.(type) {
			case map[string]any:
				if p, ok := x["pattern"].(string); ok && !negated {
					msg, _ := x["patternErrorMessage"].(string)
					if strings.TrimSpace(msg) == "" {
						t.Errorf("%s schema, %s: pattern %q has no patternErrorMessage", name, at, p)
					}
				}
				for k, c := range x {
					walk(c, at+"/"+k, negated || k == "not")
				}
			case []any:
				for i, c := range x {
					walk(c, at+"/"+strconv.Itoa(i), negated)
				}
			}
		}
		walk(doc, "#", false)
	}
}

var schemaLine = regexp.MustCompile(`^# yaml-language-server: \$schema=(\S+)\n`)

// TestExamplesNameTheirSchema: every manifest and policy under examples/
// starts with a yaml-language-server line whose relative path reaches the
// committed schema of its kind, so an editor checks it without settings.
func TestExamplesNameTheirSchema(t *testing.T) {
	root := filepath.Join("..", "..")
	kinds := map[string]string{"Upgrade": "upgrade", "Policy": "policy"}
	kindLine := regexp.MustCompile(`(?m)^kind:\s*(\w+)\s*$`)
	n := 0
	err := filepath.WalkDir(filepath.Join(root, "examples"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || (filepath.Ext(p) != ".yaml" && filepath.Ext(p) != ".yml") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		k := kindLine.FindSubmatch(data)
		if k == nil || kinds[string(k[1])] == "" || !strings.Contains(string(data), "apiVersion: upgradegate/") {
			return nil
		}
		n++
		rel, _ := filepath.Rel(root, p)
		m := schemaLine.FindSubmatch(data)
		if m == nil {
			t.Errorf("%s: the first line is not # yaml-language-server: $schema=…/schema/%s.schema.json", rel, kinds[string(k[1])])
			return nil
		}
		target := path.Join(path.Dir(filepath.ToSlash(rel)), string(m[1]))
		if want := "schema/" + kinds[string(k[1])] + ".schema.json"; target != want {
			t.Errorf("%s: $schema=%s reaches %s, want %s", rel, m[1], target, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 5 {
		t.Errorf("found %d manifests and policies under examples/, want them all", n)
	}
}
