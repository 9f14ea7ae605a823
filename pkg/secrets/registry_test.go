package secrets_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/schema"
	"github.com/upgradegate/upgradegate/pkg/secrets"
)

// secretItems returns the schema of a spec.secrets entry.
func secretItems(t *testing.T) map[string]any {
	t.Helper()
	var root map[string]any
	if err := json.Unmarshal(schema.Upgrade(), &root); err != nil {
		t.Fatal(err)
	}
	n := root
	for _, k := range []string{"properties", "spec", "properties", "secrets", "items"} {
		next, ok := n[k].(map[string]any)
		if !ok {
			t.Fatalf("the upgrade schema has no %q on the way to spec.secrets[]", k)
		}
		n = next
	}
	return n
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func strs(v any) []string {
	var out []string
	for _, x := range v.([]any) {
		out = append(out, x.(string))
	}
	return out
}

// TestSchemaFollowsTheRegistry: the schema's store enum, its fields and
// each store's conditions (the fields it requires, the other stores' fields
// it forbids) are the registry's.
func TestSchemaFollowsTheRegistry(t *testing.T) {
	t.Parallel()
	items := secretItems(t)
	props := obj(items["properties"])
	if diff := cmp.Diff(secrets.Names(), strs(obj(props["store"])["enum"])); diff != "" {
		t.Errorf("schema store enum (-registry +schema):\n%s", diff)
	}
	desc := obj(props["store"])["description"].(string)
	names := secrets.Names()
	if want := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]; !strings.Contains(desc, want) {
		t.Errorf("schema store description %q does not list %q", desc, want)
	}
	var fields []string
	for k := range props {
		fields = append(fields, k)
	}
	want := append([]string{"name", "store"}, secrets.FieldNames()...)
	sort.Strings(fields)
	sort.Strings(want)
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("schema secret fields (-registry +schema):\n%s", diff)
	}
	conds := map[string]map[string]any{}
	for _, c := range items["allOf"].([]any) {
		name, _ := obj(obj(obj(obj(c)["if"])["properties"])["store"])["const"].(string)
		conds[name] = obj(obj(c)["then"])
	}
	for _, kind := range secrets.Kinds() {
		then, ok := conds[kind.Name]
		if !ok {
			t.Errorf("schema: no allOf condition for store %q", kind.Name)
			continue
		}
		delete(conds, kind.Name)
		var required, forbidden, wantRequired, wantForbidden []string
		if r, ok := then["required"]; ok {
			required = strs(r)
		}
		for f, v := range obj(then["properties"]) {
			if v == false {
				forbidden = append(forbidden, f)
			}
		}
		for _, f := range kind.Fields {
			if f.Required {
				wantRequired = append(wantRequired, f.Name)
			}
		}
		for _, f := range secrets.FieldNames() {
			if !kind.Reads(f) {
				wantForbidden = append(wantForbidden, f)
			}
		}
		sort.Strings(forbidden)
		sort.Strings(wantForbidden)
		if diff := cmp.Diff(wantRequired, required); diff != "" {
			t.Errorf("schema: store %q requires (-registry +schema):\n%s", kind.Name, diff)
		}
		if diff := cmp.Diff(wantForbidden, forbidden); diff != "" {
			t.Errorf("schema: store %q forbids (-registry +schema):\n%s", kind.Name, diff)
		}
	}
	for name := range conds {
		t.Errorf("schema: a condition for store %q, which the registry lacks", name)
	}
}

// TestDocsFollowTheRegistry: docs/secret-stores.md has a section per store,
// in the registry's order, and docs/spec.md lists the stores.
func TestDocsFollowTheRegistry(t *testing.T) {
	t.Parallel()
	read := func(name string) string {
		data, err := os.ReadFile(filepath.Join("..", "..", "docs", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	var sections []string
	for _, m := range regexp.MustCompile("(?m)^## `([a-z0-9-]+)`$").FindAllStringSubmatch(read("secret-stores.md"), -1) {
		sections = append(sections, m[1])
	}
	if diff := cmp.Diff(secrets.Names(), sections); diff != "" {
		t.Errorf("docs/secret-stores.md store sections (-registry +docs):\n%s", diff)
	}
	if want := "# " + strings.Join(secrets.Names(), " | "); !strings.Contains(read("spec.md"), want) {
		t.Errorf("docs/spec.md does not list the stores as %q", want)
	}
}

// TestKindsAreComplete: every store can be built from an empty
// configuration, phrases a hint for a missing secret, and names its fields
// once; a field's owner is a store that reads it.
func TestKindsAreComplete(t *testing.T) {
	t.Parallel()
	cfg := secrets.Config{Getenv: func(string) string { return "" }}
	for _, kind := range secrets.Kinds() {
		if store, _ := kind.New(cfg); store == nil {
			t.Errorf("store %q: New built nothing", kind.Name)
		}
		e := secrets.Entry{Name: "S", Store: kind.Name, Fields: map[string]string{}}
		if kind.MissingHint == nil || kind.MissingHint(e) == "" {
			t.Errorf("store %q has no hint for a missing secret", kind.Name)
		}
		seen := map[string]bool{}
		for _, f := range kind.Fields {
			if seen[f.Name] || f.Name == "name" || f.Name == "store" {
				t.Errorf("store %q: field %q twice or reserved", kind.Name, f.Name)
			}
			seen[f.Name] = true
			if f.Required && f.Hint == "" {
				t.Errorf("store %q: required field %q has no hint", kind.Name, f.Name)
			}
		}
		if got, ok := secrets.Lookup(kind.Name); !ok || got.Name != kind.Name {
			t.Errorf("Lookup(%q) = %v, %v", kind.Name, got.Name, ok)
		}
	}
	for _, f := range secrets.FieldNames() {
		owner, ok := secrets.FieldOwner(f)
		if k, _ := secrets.Lookup(owner); !ok || !k.Reads(f) {
			t.Errorf("field %q: owner %q does not read it", f, owner)
		}
	}
	if _, ok := secrets.Lookup("aws"); ok {
		t.Error("Lookup found a store that does not exist")
	}
}
