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

// TestCheckReportThroughSymlinkedDirectory: a report file named inside the
// repository whose directory links out of it is refused before the check
// runs (exit 2, the path named, nothing written anywhere); a path outside the
// repository, named as such, is still written.
func TestCheckReportThroughSymlinkedDirectory(t *testing.T) {
	t.Parallel()
	manifest, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	policy, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := testtree.Repo(t, map[string]string{"upgrades/app.yaml": string(manifest), "policies/app.yaml": string(policy)})
	outside := t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "reports")); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"reports/r.json", "reports/new/r.sarif", "upgrades/../reports/r.json"} {
		code, out, errOut := run(t, "check", "--root", dir, dir, "--now=2026-11-22T12:00:00Z",
			"--format", "text", "--format", "json="+filepath.Join(dir, file))
		if code != 2 || !strings.Contains(errOut, filepath.Join(dir, file)) || !strings.Contains(errOut, "symbolic link") {
			t.Errorf("%s: exit %d, stderr %q; want 2 and an error naming the path", file, code, errOut)
		}
		if out != "" {
			t.Errorf("%s: a report went to stdout: %q", file, out)
		}
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("written outside the repository: %v", entries)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "upgrades")); len(entries) != 1 {
		t.Errorf("left in the repository: %v", entries)
	}
	elsewhere := filepath.Join(t.TempDir(), "r.json")
	if code, _, errOut := run(t, "check", "--root", dir, dir, "--now=2026-11-22T12:00:00Z", "--format", "json="+elsewhere); code != 0 {
		t.Errorf("a path outside the repository: exit %d, %s", code, errOut)
	}
	if _, err := os.Stat(elsewhere); err != nil {
		t.Error(err)
	}
}
