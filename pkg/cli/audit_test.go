package cli

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestAuditExamples: the example repository has nothing due today (its
// windows lie in June 2027, the GitLab plan's done steps carry their outcomes), and in July
// 2027 every upgrade waits for its outcome and review; exit codes as check.
func TestAuditExamples(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "audit", "../../examples", "--root", "../..", "--now", "2026-12-01T12:00:00Z")
	if code != 0 || !strings.Contains(out, "PASS: 10 manifests, 0 errors") {
		t.Fatalf("audit today: exit %d, want 0:\n%s%s", code, out, errOut)
	}
	code, out, errOut = run(t, "audit", "../../examples", "--root", "../..", "--now", "2027-07-01T00:00:00Z", "--format", "json")
	if code != 1 {
		t.Fatalf("audit in July 2027: exit %d, want 1: %s", code, errOut)
	}
	var rep struct {
		Findings []struct{ Rule, File string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string][]string{}
	for _, f := range rep.Findings {
		got[strings.TrimPrefix(f.File, "examples/upgrades/")] = append(got[strings.TrimPrefix(f.File, "examples/upgrades/")], f.Rule)
	}
	for _, r := range got {
		sort.Strings(r)
	}
	want := map[string][]string{
		// outcomeWithin 7d after windows of 2027-06-10 and 2027-06-09; the GitLab plan's first five
		// steps are done and complete
		"nextcloud-31.yaml": {"UG519", "UG520"}, "postgres-16.yaml": {"UG519", "UG520"},
		// no window: only the review is due
		"gitlab-postgres-16-15.yaml": {"UG520"}, "istio-1-30.yaml": {"UG520"}, "kubernetes-1-31.yaml": {"UG520"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit findings by file (-want +got):\n%s", diff)
	}
	if code, _, errOut := run(t, "audit", "--fail-on", "sometimes", "../../examples"); code != ExitError || !strings.Contains(errOut, "--fail-on") {
		t.Errorf("bad --fail-on: exit %d, %q", code, errOut)
	}
	if code, _, errOut := run(t, "audit", "../../no-such-dir"); code != ExitError || !strings.Contains(errOut, "no-such-dir") {
		t.Errorf("missing path: exit %d, %q", code, errOut)
	}
}
