package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
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
	if rep.Summary.Manifests != 9 {
		t.Errorf("%d manifests, want 9", rep.Summary.Manifests)
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
		"examples/upgrades/kubernetes-1-31.yaml": {"UG202", "UG301", "UG501", "UG506", "UG507", "UG701", "UG901"},
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

// TestExamplesChangedOnly is the README's changed-only command: the file it
// writes as the pull request's change concerns postgres-16 alone, which
// fails (with UG422: its runbook is not among the changed files).
func TestExamplesChangedOnly(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	const echo, command = "echo examples/deploy/postgres/values.yaml > changed.txt\n",
		"go run ./cmd/upgradegate check --changed-only --changed-files changed.txt examples/"
	if !strings.Contains(readme, echo+command) {
		t.Fatalf("the README's quick start lacks the changed-only commands:\n%s%s", echo, command)
	}
	list := filepath.Join(t.TempDir(), "changed.txt")
	if err := os.WriteFile(list, []byte(strings.TrimPrefix(strings.TrimSuffix(echo, " > changed.txt\n"), "echo ")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "check", "--changed-only", "--changed-files", list, "../../examples", "--root", "../..",
		"--now", "2026-11-22T12:00:00Z", "--format", "json")
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	var rep struct {
		Manifests []struct{ File string }
		Findings  []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Manifests) != 1 || rep.Manifests[0].File != "examples/upgrades/postgres-16.yaml" {
		t.Fatalf("manifests %+v, want postgres-16 alone", rep.Manifests)
	}
	ug422 := false
	for _, f := range rep.Findings {
		if f.File != "examples/upgrades/postgres-16.yaml" {
			t.Errorf("a finding about a file the change does not concern: %+v", f)
		}
		ug422 = ug422 || f.Rule == "UG422"
	}
	if !ug422 {
		t.Errorf("no UG422 for the runbook the change leaves alone: %+v", rep.Findings)
	}
}

// TestExamplesPlan is the README's plan: the GitLab and PostgreSQL steps in
// order, each with the environment it needs, and no plan finding.
func TestExamplesPlan(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "plan", "../../examples", "--root", "../..", "--now", "2026-11-22T12:00:00Z", "--format", "json")
	if code != 1 { // the examples that fail on purpose fail the plan's run too
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	var rep struct {
		Steps []struct {
			Name, Component string
			After           []string
			Environment     map[string]string
			Done            bool
		}
		Findings []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	var gitlab []string
	env := map[string]string{}
	for _, s := range rep.Steps {
		if strings.HasPrefix(s.Name, "gitlab-") {
			gitlab = append(gitlab, s.Name)
			env[s.Name] = s.Environment["postgresql"]
		}
	}
	if diff := cmp.Diff([]string{"gitlab-16-3", "gitlab-postgres-14", "gitlab-17-3", "gitlab-postgres-16", "gitlab-18-2"}, gitlab); diff != "" {
		t.Errorf("the GitLab plan's order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"gitlab-16-3": "13.16", "gitlab-postgres-14": "", "gitlab-17-3": "14.14",
		"gitlab-postgres-16": "", "gitlab-18-2": "16.9"}, env); diff != "" {
		t.Errorf("PostgreSQL at each step (-want +got):\n%s", diff)
	}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule, "UG8") {
			t.Errorf("plan finding %s in %s", f.Rule, f.File)
		}
	}
}

// TestReadmePlan keeps the README's plan sample (its first steps) in step
// with what `upgradegate plan examples/` prints.
func TestReadmePlan(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(data)
	start := strings.Index(readme, "```text\nPlan: ")
	if start < 0 {
		t.Fatal("README.md has no plan sample")
	}
	block := readme[start+len("```text\n"):]
	block = block[:strings.Index(block, "```")]
	_, got, errOut := run(t, "plan", "../../examples/upgrades/gitlab-16-3.yaml", "../../examples/upgrades/gitlab-postgres-14.yaml",
		"../../examples/upgrades/gitlab-17-3.yaml", "../../examples/upgrades/gitlab-postgres-16.yaml", "../../examples/upgrades/gitlab-18-2.yaml",
		"--root", "../..", "--now", "2026-11-22T12:00:00Z")
	want := strings.TrimSuffix(block, "  …\n")
	if !strings.HasPrefix(got, want) {
		t.Errorf("README.md's plan sample is not how the plan starts (stderr %s):\n--- README\n%s\n--- tool\n%s", errOut, want, got)
	}
}
