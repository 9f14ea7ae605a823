package action

import (
	"strings"
	"testing"
)

// TestChangedOnlyPoliciesOfTheRepository holds what changed-only selection
// does with the policies found in the whole repository, whatever the run
// loads of them (issue 12): a broken policy of a component the pull request
// does not concern is no finding of this change; once the pull request
// changes it, it is, at its file, line and column; and a relaxation of the
// checked manifest's own policy against the base is UG607 although another
// component's broken policy lies beside it.
func TestChangedOnlyPoliciesOfTheRepository(t *testing.T) {
	t.Parallel()
	const broken = "apiVersion: upgradegate/v1\nkind: Policy\nmetadata:\n  name: other\nspec:\n  component: other\n  releases: [1.0.0, not-a-version]\n"
	h := newHarness(t)
	h.write("policies/other.yaml", broken)
	h.checkoutMerge(nil)
	h.gh.Files = []string{"upgrades/app.yaml"}
	res := h.run()
	if res.code != ExitOK || strings.Contains(res.stdout, "policies/other.yaml") {
		t.Fatalf("the manifest changed: exit %d, want 0 without a finding about another component's policy\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}

	h.gh.Files = []string{"upgrades/app.yaml", "policies/other.yaml"}
	res = h.run()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=policies/other.yaml,line=7,col=") {
		t.Fatalf("the broken policy changed: exit %d, want 1 with its finding at policies/other.yaml:7\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}

	relaxed := strings.Replace(policyYAML, "  requiredStops:\n    - version: 2.0.0\n", "", 1)
	h.write("policies/app.yaml", relaxed)
	h.checkoutMerge(map[string]string{"policies/app.yaml": policyYAML})
	h.gh.Files = []string{"upgrades/app.yaml"}
	res = h.run()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=policies/app.yaml,line=5,col=1,title=UG607::") ||
		strings.Contains(res.stdout, "policies/other.yaml") {
		t.Fatalf("the manifest's policy relaxed at the head: exit %d, want 1 with UG607 on it and nothing about policies/other.yaml\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
}
