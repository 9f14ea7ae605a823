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
	check("the path", out, "x ::add-mask::hunter2 ::error::forged[31m 1.0.0 → 1.5.0 → 2.0.0: 2 hops",
		"conditional stop: x ::add-mask::hunter2 ::error::forged[31m")
	code, out, errOut = run(t, "path", "--policy", pol, "--from", "2.0.0", "--to", "3.0.0")
	if code != 1 || out != "" {
		t.Fatalf("no path: exit %d, stdout %q, want 1 and nothing", code, out)
	}
	check("the no-path message", errOut, "is blocked", "x ::add-mask::hunter2 ::error::forged[31m")
}

// TestPathSeriesStops: a series stop without releases is named as written,
// the text adding "latest patch"; with releases the latest release of the
// series stands for it; a hand-written exact stop refines a series stop.
func TestPathSeriesStops(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, releases string) string {
		p := filepath.Join(dir, name)
		text := "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: gitlab\n" + releases +
			"  requiredStops: [{version: \"16.11\"}, {version: \"17.3\"}, {version: \"17.5\"}, {version: 17.5.2}]\n"
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	bare := write("bare.yaml", "")
	code, out, errOut := run(t, "path", "--policy", bare, "--from", "16.3.2", "--to", "17.8.1")
	want := "gitlab 16.3.2 → 16.11 → 17.3 → 17.5.2 → 17.8.1: 4 hops\n  16.3.2       from\n  16.11 (latest patch) required stop\n" +
		"  17.3 (latest patch) required stop\n  17.5.2       required stop\n  17.8.1       target\n"
	if code != 0 || out != want {
		t.Errorf("path without releases: exit %d, stderr %q, output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	code, out, _ = run(t, "path", "--policy", bare, "--from", "16.3.2", "--to", "17.8.1", "--format", "json")
	if code != 0 || !strings.Contains(out, `"stops": [
    "16.11",
    "17.3",
    "17.5.2"
  ]`) {
		t.Errorf("path --format json without releases: exit %d, output:\n%s\nwant the stops 16.11, 17.3, 17.5.2 as written", code, out)
	}
	listed := write("listed.yaml", "  releases: [16.3.2, 16.11.9, 16.11.10, 17.3.1, 17.3.7, 17.5.2, 17.8.1]\n")
	code, out, errOut = run(t, "path", "--policy", listed, "--from", "16.3.2", "--to", "17.8.1")
	want = "gitlab 16.3.2 → 16.11.10 → 17.3.7 → 17.5.2 → 17.8.1: 4 hops\n  16.3.2       from\n  16.11.10     required stop 16.11 (a release of the series)\n" +
		"  17.3.7       required stop 17.3 (a release of the series)\n  17.5.2       required stop\n  17.8.1       target\n"
	if code != 0 || out != want {
		t.Errorf("path with releases: exit %d, stderr %q, output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
}

// TestPathSaysWhyEachStopIsThere: a stop that is no required stop says which
// rule needs it: maxStep, or the blocked hop it avoids.
func TestPathSaysWhyEachStopIsThere(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "policy.yaml")
	text := "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: app}\nspec:\n  component: app\n" +
		"  releases: [1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.3.1]\n  maxStep: {minor: 2}\n" +
		"  blocked:\n    - {from: \">= 1.1.0, < 1.2.0\", to: \">= 1.3.0\", reason: \"schema change needs 1.2\"}\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "path", "--policy", p, "--from", "1.0.0", "--to", "1.3.1")
	want := "app 1.0.0 → 1.2.0 → 1.3.1: 2 hops\n  1.0.0        from\n" +
		"  1.2.0        maxStep: without it the hop raises the minor by 3, maxStep.minor is 2\n  1.3.1        target\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, stderr %q, output:\n%s\nwant:\n%s", code, errOut, out, want)
	}
	code, out, _ = run(t, "path", "--policy", p, "--from", "1.1.0", "--to", "1.3.1")
	want = "app 1.1.0 → 1.2.0 → 1.3.1: 2 hops\n  1.1.0        from\n" +
		"  1.2.0        avoids a blocked hop (from \">= 1.1.0, < 1.2.0\" to \">= 1.3.0\"): schema change needs 1.2\n  1.3.1        target\n"
	if code != 0 || out != want {
		t.Errorf("exit %d, output:\n%s\nwant:\n%s", code, out, want)
	}
}
