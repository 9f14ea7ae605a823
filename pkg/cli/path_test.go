package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
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

// TestPathTextEscapesThePolicy: the policy's words in the text answer (its
// component, a conditional stop's condition, a blocked hop's reason in the
// no-path message on standard error) print on the line they belong to,
// without control characters: a newline in them cannot start a workflow
// command (issue 13 item 9).
func TestPathTextEscapesThePolicy(t *testing.T) {
	t.Parallel()
	const hostile = `"x\n::add-mask::hunter2\r\n::error::forged\e[31m"`
	pol := filepath.Join(t.TempDir(), "p.yaml")
	text := "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: " + hostile + "\n" +
		"  requiredStops:\n    - version: 1.5.0\n      conditional: " + hostile + "\n" +
		"  blocked:\n    - from: \">= 2.0\"\n      to: \">= 3.0\"\n      reason: " + hostile + "\n"
	if err := os.WriteFile(pol, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	check := func(what, out string, want ...string) {
		t.Helper()
		if strings.ContainsAny(out, "\r\x1b") {
			t.Errorf("%s: a control character got through: %q", what, out)
		}
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") {
				t.Errorf("%s: a workflow command of its own: %q", what, line)
			}
		}
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s lacks %q:\n%s", what, w, out)
			}
		}
	}
	code, out, errOut := run(t, "path", "--policy", pol, "--from", "1.0.0", "--to", "2.0.0")
	if code != 0 {
		t.Fatalf("path: exit %d, stderr %q", code, errOut)
	}
	check("the path", out, "x ::add-mask::hunter2 ::error::forged[31m 1.0.0 -> 2.0.0: 2 hops",
		"conditional stop: x ::add-mask::hunter2 ::error::forged[31m")
	code, out, errOut = run(t, "path", "--policy", pol, "--from", "2.0.0", "--to", "3.0.0")
	if code != 1 || out != "" {
		t.Fatalf("no path: exit %d, stdout %q, want 1 and nothing", code, out)
	}
	check("the no-path message", errOut, "is blocked", "x ::add-mask::hunter2 ::error::forged[31m")
}
