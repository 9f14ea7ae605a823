package action

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// A pull request whose checkout has the merge commit's first parent
// (fetch-depth: 2) is compared with it: relaxing the policy fails with
// UG607 on the policy, and the job summary names the base.
func TestBinaryBaseFirstParent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	relaxed := strings.Replace(policyYAML, "  requiredStops:\n    - version: 2.0.0\n", "", 1)
	h.write("policies/app.yaml", relaxed)
	h.write("upgrades/app.yaml", realClock(manifestYAML(clean)))
	baseSHA, merge := h.checkoutMerge(map[string]string{"policies/app.yaml": policyYAML})
	h.gh.Files = []string{"policies/app.yaml"}
	res := h.runBinary()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=policies/app.yaml,line=5,col=1,title=UG607::") ||
		!strings.Contains(res.stdout, "required stop 2.0.0 removed") {
		t.Fatalf("exit %d, want 1 with UG607 on the policy\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	want := "Base: " + baseSHA[:7] + " (the first parent of the merge commit " + merge[:7] + ")"
	if !strings.Contains(res.summary, want) {
		t.Errorf("job summary lacks %q:\n%s", want, res.summary)
	}

	// the same policy at the base and the head: nothing relaxed
	h.write("policies/app.yaml", policyYAML)
	h.checkoutMerge(nil)
	if res := h.runBinary(); res.code != ExitOK || strings.Contains(res.stdout, "UG607") {
		t.Errorf("unchanged policy: exit %d, want 0 without UG607\nstdout:\n%s", res.code, res.stdout)
	}
}

// A shallow checkout (fetch-depth: 1) lacks the first parent: UG608 says to
// add fetch-depth: 2, in the annotations and the job summary; no silent
// pass, and the rest of the check still runs.
func TestBaseShallowCheckout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	baseSHA, merge := h.checkoutMerge(nil)
	testtree.GitForget(t, h.ws, merge, baseSHA)
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit %d, want 0 (UG608 is a warning)\nstdout:\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.stdout, "::warning file=policies/app.yaml,line=6,col=3,title=UG608::") || !strings.Contains(res.stdout, "fetch-depth: 2") ||
		!strings.Contains(res.stdout, "first parent "+baseSHA[:7]+" is not in it") {
		t.Errorf("no UG608 naming fetch-depth: 2 and the missing parent\nstdout:\n%s", res.stdout)
	}
	if !strings.Contains(res.summary, "No base: the checkout is shallow") || !strings.Contains(res.summary, "fetch-depth: 2") {
		t.Errorf("job summary does not say why there is no base:\n%s", res.summary)
	}
	if res.outputs["warnings"] != "1" {
		t.Errorf("outputs %v, want 1 warning", res.outputs)
	}
}

// HEAD that is not the event's merge commit (a checkout of the head
// branch): the first parent is not the base, and UG608 says what to check
// out.
func TestBaseNotTheMergeCommit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env["GITHUB_SHA"] = "fedcba9876543210fedcba9876543210fedcba98"
	res := h.run()
	if !strings.Contains(res.stdout, "title=UG608::") || !strings.Contains(res.stdout, "is not the pull request's merge commit fedcba9") {
		t.Errorf("no UG608 for a HEAD that is not GITHUB_SHA\nstdout:\n%s", res.stdout)
	}
}
