package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// TestChangedOnly: check --changed-only --changed-files selects manifests as
// the Action does, symlinks included (issue 13 item 3).
func TestChangedOnly(t *testing.T) {
	t.Parallel()
	root := golden(t, "UG201-trigger-required")
	data, err := os.ReadFile(filepath.Join(root, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	testtree.Add(t, root, map[string]string{
		"upgrades/app.yaml": string(data) + "  docs: [conf/runbook.md]\n",
		"deploy/runbook.md": "# runbook\n",
	})
	if err := os.Symlink("deploy", filepath.Join(root, "conf")); err != nil {
		t.Fatal(err)
	}
	now := "--now=2026-11-22T12:00:00Z"
	for _, tt := range []struct {
		name, changed string
		code          int
		stdout        string
		stderr        string
	}{
		{"through the symlink", "deploy/runbook.md\n", 1, "[UG201]", ""},
		{"comments and blank lines", "# changed\n\n./upgrades/app.yaml\n", 1, "[UG201]", ""},
		{"nothing concerned", "README.md\n", 0, "no upgrade manifest is concerned by the changed files (1 found, none checked)", "no manifest is concerned: none of the 1 changed file is"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			list := filepath.Join(t.TempDir(), "changed.txt")
			if err := os.WriteFile(list, []byte(tt.changed), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := run(t, "check", "--changed-only", "--changed-files", list, now, root)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, want %d\nstdout (want %q):\n%s\nstderr (want %q):\n%s", code, tt.code, tt.stdout, stdout, tt.stderr, stderr)
			}
		})
	}
	// without --changed-only every manifest is checked
	if code, stdout, _ := run(t, "check", now, root); code != 1 || !strings.Contains(stdout, "[UG201]") {
		t.Errorf("a full check: exit %d, want 1 with UG201:\n%s", code, stdout)
	}
}
