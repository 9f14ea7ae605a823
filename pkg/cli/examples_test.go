package cli

import (
	"encoding/json"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestExamplesCheck is the README's first command with a fixed clock: the
// example repository fails, only in the manifests that fail on purpose.
func TestExamplesCheck(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "check", "../../examples", "--root", "../..", "--now", "2026-11-22T12:00:00Z", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	var rep struct {
		Summary   struct{ Manifests int }
		Manifests []struct{ File string }
		Findings  []struct{ Rule, File, Severity string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Summary.Manifests != 5 {
		t.Errorf("%d manifests, want 5", rep.Summary.Manifests)
	}
	failing := map[string][]string{}
	for _, f := range rep.Findings {
		if f.Severity == "error" {
			failing[f.File] = append(failing[f.File], f.Rule)
		}
	}
	for _, rules := range failing {
		sort.Strings(rules)
	}
	want := map[string][]string{
		"examples/upgrades/kubernetes-1-31.yaml": {"UG202", "UG301", "UG501", "UG506", "UG507", "UG901"},
		"examples/upgrades/postgres-16.yaml":     {"UG402", "UG402", "UG411", "UG411"},
	}
	if diff := cmp.Diff(want, failing); diff != "" {
		t.Errorf("errors by file (-want +got):\n%s", diff)
	}
}

// TestReadmeSample keeps the README's sample output identical to what the
// tool prints.
func TestReadmeSample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "<!-- sample:kubernetes-1-31 -->\n```text\n")
	end := strings.Index(readme, "```\n<!-- /sample -->")
	if start < 0 || end < start {
		t.Fatal("README.md has no sample block")
	}
	want := readme[start+len("<!-- sample:kubernetes-1-31 -->\n```text\n") : end]
	code, got, errOut := run(t, "check", "../../examples/upgrades/kubernetes-1-31.yaml", "--root", "../..", "--now", "2026-11-22T12:00:00Z")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("README.md's sample differs from the output (-README +tool); update the README:\n%s", diff)
	}
}
