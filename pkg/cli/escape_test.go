package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// TestCheckOutputsCarryNoWorkflowCommands: a manifest whose file name and
// metadata.name hold a newline, a CR, an ESC and direction controls prints
// no line of its own in the text and github formats (the runner would run
// "::add-mask::…" and "::error …" from the CLI's output), and no control
// character reaches the terminal.
func TestCheckOutputsCarryNoWorkflowCommands(t *testing.T) {
	t.Parallel()
	manifest, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	policy, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(manifest), "name: app-2-2",
		`name: "app\n::add-mask::hunter2\r\n::error file=x::forged\e[2K\u202egnp"`, 1)
	text = strings.Replace(text, `owner: "@platform-team"`, "owner: \"\"", 1) // one finding that names the manifest
	dir := testtree.Repo(t, map[string]string{
		"upgrades/a\n::error::b\r\x1b[31m\u2066c\u2069.yaml": text,
		"::warning::d.yaml": text,
		"policies/app.yaml": string(policy),
	})
	for _, format := range []string{"text", "github"} {
		code, out, errOut := run(t, "check", "--format", format, dir, "--now=2026-11-22T12:00:00Z")
		if code != 1 {
			t.Fatalf("%s: exit %d, want 1\n%s%s", format, code, out, errOut)
		}
		if strings.ContainsAny(out, "\r\x1b") || strings.IndexFunc(out, func(r rune) bool { return unicode.Is(unicode.Bidi_Control, r) }) >= 0 {
			t.Errorf("%s: a control character got through:\n%q", format, out)
		}
		annotations := 0
		for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			trimmed := strings.TrimLeftFunc(line, unicode.IsSpace)
			switch {
			case format == "github" && (strings.HasPrefix(line, "::error file=upgrades/a%0A%3A%3Aerror%3A%3Ab%0D[31mc.yaml,") ||
				strings.HasPrefix(line, "::error file=%3A%3Awarning%3A%3Ad.yaml,")):
				annotations++
			case strings.HasPrefix(trimmed, "::"):
				t.Errorf("%s: a workflow command of its own: %q", format, line)
			}
			if strings.Contains(line, "##[") {
				t.Errorf("%s: a legacy workflow command: %q", format, line)
			}
		}
		if format == "github" && annotations != 4 {
			t.Errorf("github: %d annotations, want 4:\n%s", annotations, out)
		}
		if format == "text" {
			for _, want := range []string{
				"upgrades/a ::error::b [31mc.yaml: app ::add-mask::hunter2 ::error file=x::forged[2Kgnp 1.2.0 -> 2.2.0",
				"./::warning::d.yaml: app ::add-mask::hunter2",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("text lacks %q:\n%s", want, out)
				}
			}
		}
	}
}
