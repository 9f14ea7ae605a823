package rules

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The -update flag is looked up by name so that several test files of the
// package may share it.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite generated files (docs/rules.md) instead of comparing")
	}
}

func updating() bool { return flag.Lookup("update").Value.String() == "true" }

var rulesDoc = filepath.Join("..", "..", "docs", "rules.md")

// TestRulesDocUpToDate keeps docs/rules.md generated from the catalog.
func TestRulesDocUpToDate(t *testing.T) {
	want := Markdown()
	if updating() {
		if err := os.MkdirAll(filepath.Dir(rulesDoc), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(rulesDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(rulesDoc)
	if err != nil {
		t.Fatalf("read %s: %v; run `go test ./pkg/rules -update` to generate it", rulesDoc, err)
	}
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("docs/rules.md is out of date with pkg/rules; run `go test ./pkg/rules -update` (-want +got):\n%s", diff)
	}
}

func TestMarkdownHasOneSectionPerRule(t *testing.T) {
	t.Parallel()
	md := Markdown()
	for _, r := range All() {
		heading := "\n### " + r.ID.String() + "\n"
		if n := strings.Count(md, heading); n != 1 {
			t.Errorf("%s: %d sections %q, want 1", r.ID, n, strings.TrimSpace(heading))
		}
		if !strings.Contains(md, "](#"+strings.ToLower(r.ID.String())+")") {
			t.Errorf("%s: no index link to #%s", r.ID, strings.ToLower(r.ID.String()))
		}
	}
}

func TestName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, want string
	}{
		{"UG001", "YAMLSyntaxError"},
		{"UG102", "ToIsNotGreaterThanFrom"},
		{"UG104", "VersionNotReleased"},
		{"UG201", "RequiredStopSkipped"},
		{"UG402", "ConfigKeyMissing"},
		{"UG510", "OwnerMissing"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			id, ok := Lookup(tt.id)
			if !ok {
				t.Fatalf("no rule %s", tt.id)
			}
			if got := id.Rule().Name(); got != tt.want {
				t.Errorf("Name() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNamesUniqueAndWellFormed(t *testing.T) {
	t.Parallel()
	seen := map[string]ID{}
	for _, r := range All() {
		n := r.Name()
		if n == "" || strings.ContainsAny(n, " `'(),-.") {
			t.Errorf("%s: malformed name %q", r.ID, n)
		}
		if other, dup := seen[n]; dup {
			t.Errorf("%s and %s share the name %q", other, r.ID, n)
		}
		seen[n] = r.ID
	}
}

func TestCatalogIsDocumented(t *testing.T) {
	t.Parallel()
	ids := map[ID]bool{}
	for _, r := range All() {
		if ids[r.ID] {
			t.Errorf("duplicate rule id %s", r.ID)
		}
		ids[r.ID] = true
		if r.Title == "" || r.Help == "" {
			t.Errorf("%s: missing title or help", r.ID)
		}
		if r.Category() == "other" {
			t.Errorf("%s: no rule family; add one to categories", r.ID)
		}
		if r.example == "" {
			t.Errorf("%s: no example", r.ID)
		}
	}
}

func TestExplain(t *testing.T) {
	t.Parallel()
	got, ok := Explain("ug201")
	if !ok {
		t.Fatal("Explain(ug201) not found")
	}
	for _, want := range []string{
		"UG201 (error): required stop skipped (warning when the stop is conditional)\n\nAdd the required stop",
		"Checklist item: Review the upgrade path",
		"    requiredStops:",
		"Documentation: https://github.com/upgradegate/upgradegate/blob/main/docs/rules.md#ug201",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("Explain(ug201) lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "`") {
		t.Errorf("plain-text explanation contains Markdown backticks:\n%s", got)
	}
	if got, _ := Explain("UG505"); !strings.HasPrefix(got, "UG505 (error): dry run older than dryRunMaxAge\n") {
		t.Errorf("Explain(UG505) keeps the title's code marks:\n%s", got)
	}
	if _, ok := Explain("UG999"); ok {
		t.Error("Explain(UG999) found an unknown rule")
	}
}

func TestHelpURI(t *testing.T) {
	t.Parallel()
	if got, want := UG201.Rule().HelpURI(), "https://github.com/upgradegate/upgradegate/blob/main/docs/rules.md#ug201"; got != want {
		t.Errorf("HelpURI() = %q, want %q", got, want)
	}
}
