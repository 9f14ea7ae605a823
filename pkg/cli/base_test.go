package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// baseRepo is the golden case name committed on main as a real git
// repository (go-git), then a feature branch that adds a runbook the
// manifest names: HEAD is the feature.
func baseRepo(t *testing.T, name string) string {
	t.Helper()
	dir := testtree.Golden(t, name)
	data, err := os.ReadFile(filepath.Join(dir, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	testtree.Add(t, dir, map[string]string{"upgrades/app.yaml": string(data) + "  docs: [docs/runbook.md, docs/old.md]\n",
		"docs/old.md": "# old\n", "docs/runbook.md": "# runbook\n"})
	testtree.GitInit(t, dir)
	testtree.GitCommit(t, dir, "main")
	testtree.GitSwitch(t, dir, "feature")
	testtree.Add(t, dir, map[string]string{"docs/runbook.md": "# runbook, for 2.2.0\n"})
	testtree.GitCommit(t, dir, "feature")
	return dir
}

func TestCheckBase(t *testing.T) {
	t.Parallel()
	now := "--now=2026-11-22T12:00:00Z"
	dir := baseRepo(t, "base-pass")

	// --base supplies the changed files: UG422 for the runbook not changed
	code, stdout, stderr := run(t, "check", "--base", "main", now, dir)
	if code != 0 || !strings.Contains(stdout, "[UG422]") || !strings.Contains(stdout, "docs/old.md") || strings.Contains(stdout, `"docs/runbook.md" was not`) {
		t.Errorf("--base main: exit %d, want 0 with UG422 for docs/old.md only\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// without a base, UG422 stays silent
	if code, stdout, _ := run(t, "check", now, dir); code != 0 || strings.Contains(stdout, "[UG422]") {
		t.Errorf("no base: exit %d, want 0 without UG422:\n%s", code, stdout)
	}
	// --changed-only with --base: the manifest is concerned by its runbook
	if code, stdout, stderr := run(t, "check", "--base", "main", "--changed-only", now, dir); code != 0 || !strings.Contains(stdout, "PASS: 1 manifest") {
		t.Errorf("--base main --changed-only: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	// the base is HEAD itself: nothing changed, nothing concerned
	if code, _, stderr := run(t, "check", "--base", "feature", "--changed-only", now, dir); code != 0 || !strings.Contains(stderr, "none of the 0 changed files") {
		t.Errorf("--base feature --changed-only: exit %d, want 0 with nothing concerned\nstderr:\n%s", code, stderr)
	}
	// an explicit --changed-files wins over the base's
	list := filepath.Join(t.TempDir(), "changed.txt")
	if err := os.WriteFile(list, []byte("docs/old.md\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, _ := run(t, "check", "--base", "main", "--changed-files", list, now, dir); code != 0 || !strings.Contains(stdout, "docs/runbook.md") {
		t.Errorf("--changed-files with --base: exit %d, want UG422 for docs/runbook.md:\n%s", code, stdout)
	}
}

func TestCheckBaseUsageErrors(t *testing.T) {
	t.Parallel()
	dir := baseRepo(t, "base-pass")
	plain := testtree.Golden(t, "base-pass")
	for _, tt := range []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown revision", []string{"check", "--base", "no-such-branch", dir}, `--base: revision "no-such-branch" names no commit`},
		{"unknown hash", []string{"check", "--base", "0123456789abcdef0123456789abcdef01234567", dir}, `revision "0123456789abcdef0123456789abcdef01234567"`},
		{"no repository", []string{"check", "--base", "main", "--root", plain, plain}, "--base main: no git repository at or above"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stdout, stderr := run(t, tt.args...)
			if code != ExitError || !strings.Contains(stderr, tt.stderr) || stdout != "" {
				t.Errorf("exit %d, want 2 with %q\nstdout:\n%s\nstderr:\n%s", code, tt.stderr, stdout, stderr)
			}
		})
	}
}
