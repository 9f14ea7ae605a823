package cli

import (
	"strings"
	"testing"
)

// TestSkipConditionalText: the text answer without conditional stops notes
// none; without the option they are there. (That the option leaves the
// loaded policy as it was read is policy's TestWithoutConditionalLeavesTheRules.)
func TestSkipConditionalText(t *testing.T) {
	t.Parallel()
	args := []string{"path", "--policy", "../../examples/policies/gitlab.yaml", "--from", "15.6.0", "--to", "17.5.2"}
	code, skipped, errOut := run(t, append(args, "--skip-conditional")...)
	if code != 0 || strings.Contains(skipped, "conditional") || !strings.Contains(skipped, "6 hops") {
		t.Fatalf("exit %d, stderr %q, output:\n%s\nwant 6 hops and no conditional stop", code, errOut, skipped)
	}
	code, all, errOut := run(t, args...)
	if code != 0 || !strings.Contains(all, "16.0.10      conditional stop: only instances with many users") || !strings.Contains(all, "10 hops") {
		t.Fatalf("exit %d, stderr %q, output:\n%s\nwant 10 hops with the conditional stops", code, errOut, all)
	}
}
