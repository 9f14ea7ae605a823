package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

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
	if rep.Summary.Manifests != 10 {
		t.Errorf("%d manifests, want 10", rep.Summary.Manifests)
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
	if diff := cmp.Diff([]string{"gitlab-16-3", "gitlab-postgres-15", "gitlab-17-11", "gitlab-postgres-16", "gitlab-19-5",
		"gitlab-postgres-16-15"}, gitlab); diff != "" {
		t.Errorf("the GitLab plan's order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"gitlab-16-3": "13.16", "gitlab-postgres-15": "", "gitlab-17-11": "15.18",
		"gitlab-postgres-16": "", "gitlab-19-5": "16.14", "gitlab-postgres-16-15": ""}, env); diff != "" {
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
	_, got, errOut := run(t, "plan", "../../examples/upgrades/gitlab-16-3.yaml", "../../examples/upgrades/gitlab-postgres-15.yaml",
		"../../examples/upgrades/gitlab-17-11.yaml", "../../examples/upgrades/gitlab-postgres-16.yaml", "../../examples/upgrades/gitlab-19-5.yaml",
		"../../examples/upgrades/gitlab-postgres-16-15.yaml", "--root", "../..", "--now", "2026-11-22T12:00:00Z")
	want := strings.TrimSuffix(block, "  …\n")
	if !strings.HasPrefix(got, want) {
		t.Errorf("README.md's plan sample is not how the plan starts (stderr %s):\n--- README\n%s\n--- tool\n%s", errOut, want, got)
	}
}

// TestReadmeQuickStartResult keeps the quick start's documented result true:
// the README quotes the summary line `check examples/` prints, and says
// until when it holds (the dry runs' age); the day after, it changes.
func TestReadmeQuickStartResult(t *testing.T) {
	t.Parallel()
	readme := readReadme(t)
	m := regexp.MustCompile("`(FAIL: [^`]*)`, exit 1, through (\\d{4}-\\d{2}-\\d{2})").FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README.md's quick start does not quote the result of `check examples/` and until when it holds (\"`FAIL: …`, exit 1, through YYYY-MM-DD\")")
	}
	summary, until := m[1], day(t, m[2])
	for _, at := range []time.Time{time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC), until.Add(12 * time.Hour)} {
		code, out, errOut := run(t, "check", "../../examples", "--root", "../..", "--now", at.Format(time.RFC3339))
		if code != 1 || !strings.Contains(out, "\n"+summary+"\n") {
			t.Errorf("on %s: exit %d, want 1 and %q:\n%s%s", at.Format(time.DateOnly), code, summary, lastLine(out), errOut)
		}
	}
	next := until.Add(36 * time.Hour)
	if _, out, _ := run(t, "check", "../../examples", "--root", "../..", "--now", next.Format(time.RFC3339)); strings.Contains(out, "\n"+summary+"\n") {
		t.Errorf("on %s the result is still %q: the README says it holds only through %s", next.Format(time.DateOnly), summary, m[2])
	}
}

// TestReadmeExamplesExpiry: the README says on which date the examples'
// support windows expire, the first date on which a lifecycle rule
// (UG701–UG704) fires where it does not today. The clock is check's --now
// (the run's date the lifecycle rules judge when no window is planned):
// the day before, the lifecycle findings are today's, and so they are
// every 28 days from today on (a lifecycle finding, once it fires, stays:
// UG702 turns into UG701, UG703 and UG704 never end, and UG702's horizon
// is at least 30 days in the examples' policies); on the day a new one fires.
func TestReadmeExamplesExpiry(t *testing.T) {
	t.Parallel()
	readme := readReadme(t)
	m := regexp.MustCompile(`support windows expire on (\d{4}-\d{2}-\d{2}) \((UG70[1-4]), ([a-z0-9-]+)`).FindStringSubmatch(readme)
	if m == nil {
		t.Fatal("README.md does not say when the examples' support windows expire (\"support windows expire on YYYY-MM-DD (UG70x, manifest\")")
	}
	expiry, rule, name := day(t, m[1]), m[2], m[3]
	lifecycle := func(at time.Time) []string {
		code, out, errOut := run(t, "check", "../../examples", "--root", "../..", "--now", at.Format(time.RFC3339), "--format", "json")
		if code != 1 {
			t.Fatalf("on %s: exit %d, want 1: %s", at.Format(time.DateOnly), code, errOut)
		}
		var rep struct {
			Findings []struct{ Rule, File string }
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range rep.Findings {
			if strings.HasPrefix(f.Rule, "UG70") && f.Rule <= "UG704" {
				got = append(got, f.Rule+" "+f.File)
			}
		}
		sort.Strings(got)
		return got
	}
	today := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	base := lifecycle(today)
	for at := today.AddDate(0, 0, 28); at.Before(expiry); at = at.AddDate(0, 0, 28) {
		if diff := cmp.Diff(base, lifecycle(at)); diff != "" {
			t.Fatalf("on %s, before the documented expiry, the lifecycle findings change (-today +then):\n%s", at.Format(time.DateOnly), diff)
		}
	}
	if diff := cmp.Diff(base, lifecycle(expiry.Add(-12*time.Hour))); diff != "" {
		t.Errorf("the day before the documented expiry the lifecycle findings change (-today +then):\n%s", diff)
	}
	want := append(append([]string{}, base...), rule+" examples/upgrades/"+name+".yaml")
	sort.Strings(want)
	if diff := cmp.Diff(want, lifecycle(expiry.Add(12*time.Hour))); diff != "" {
		t.Errorf("on the documented expiry %s the lifecycle findings are not today's plus %s in %s (-want +got):\n%s", m[1], rule, name, diff)
	}
}

func readReadme(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func day(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatalf("README.md's date %q: %v", s, err)
	}
	return d
}

func lastLine(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndex(s, "\n")+1:]
}
