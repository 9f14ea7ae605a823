package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

type preCommitHook struct {
	ID            string `yaml:"id"`
	Name          string `yaml:"name"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	PassFilenames *bool  `yaml:"pass_filenames"`
}

// TestPreCommitHooks keeps .pre-commit-hooks.yaml a hook pre-commit can
// build (language golang) that runs a command of this tool without file
// names.
func TestPreCommitHooks(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../.pre-commit-hooks.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var hooks []preCommitHook
	if err := yaml.Unmarshal(data, &hooks); err != nil {
		t.Fatalf(".pre-commit-hooks.yaml: %v", err)
	}
	if len(hooks) != 1 {
		t.Fatalf(".pre-commit-hooks.yaml has %d hooks, want 1", len(hooks))
	}
	h := hooks[0]
	if h.ID != "upgradegate" || h.Language != "golang" || h.Entry != "upgradegate check" || h.PassFilenames == nil || *h.PassFilenames {
		t.Errorf("hook = %+v; want id upgradegate, language golang, entry \"upgradegate check\", pass_filenames false", h)
	}
	// the binary pre-commit installs is cmd/upgradegate's, and its command exists
	if _, err := os.Stat("../../cmd/upgradegate/main.go"); err != nil {
		t.Errorf("entry names the upgradegate binary: %v", err)
	}
	if code, _, errOut := run(t, strings.Fields(h.Entry)[1], "-h"); code != ExitOK {
		t.Errorf("%q -h: exit %d, %s", h.Entry, code, errOut)
	}
}

// TestReadmePreCommitLocalHook runs the README's local hook's command line
// (the part after git diff's pipe, with the changed files in a file
// instead of standard input) in a repository: it must check the manifests
// the changed files concern, and nothing when none is.
func TestReadmePreCommitLocalHook(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	block := regexp.MustCompile("(?s)<!-- precommit:local -->\n```yaml\n(.*?)```\n<!-- /precommit:local -->").FindSubmatch(data)
	if block == nil {
		t.Fatal("README.md has no precommit:local block")
	}
	var repos []struct {
		Repo  string          `yaml:"repo"`
		Hooks []preCommitHook `yaml:"hooks"`
	}
	if err := yaml.Unmarshal(block[1], &repos); err != nil {
		t.Fatalf("the README's local hook: %v", err)
	}
	if len(repos) != 1 || repos[0].Repo != "local" || len(repos[0].Hooks) != 1 {
		t.Fatalf("the README's local hook block = %+v", repos)
	}
	h := repos[0].Hooks[0]
	if h.PassFilenames == nil || *h.PassFilenames {
		t.Errorf("the README's local hook passes file names: %+v", h)
	}
	m := regexp.MustCompile(`^sh -c 'git diff --cached --name-only \| upgradegate (check [^'|]*) "\$@"' --$`).FindStringSubmatch(h.Entry)
	if m == nil {
		t.Fatalf("the README's local hook entry %q is not `sh -c 'git diff --cached --name-only | upgradegate check ... \"$@\"' --`", h.Entry)
	}
	args := strings.Fields(m[1])
	if !cmp.Equal(args, []string{"check", "--changed-only", "--changed-files", "/dev/stdin"}) {
		t.Fatalf("the README's local hook runs %q", args)
	}
	root := golden(t, "base-pass")
	for _, c := range []struct {
		changed string
		code    int
		out     string
		stderr  string
	}{
		{"policies/app.yaml\n", 0, "PASS: 1 manifest", ""},
		{"README.md\n", 0, "PASS: 0 manifests", "no manifest is concerned"},
	} {
		list := filepath.Join(t.TempDir(), "staged.txt")
		if err := os.WriteFile(list, []byte(c.changed), 0o644); err != nil {
			t.Fatal(err)
		}
		a := append(append([]string{}, args[:3]...), list, "--now=2026-11-22T12:00:00Z")
		code, out, errOut := runIn(t, root, a...)
		if code != c.code || !strings.Contains(out, c.out) || !strings.Contains(errOut, c.stderr) {
			t.Errorf("staged %q: exit %d (want %d), stdout %q (want %q), stderr %q (want %q)", c.changed, code, c.code, out, c.out, errOut, c.stderr)
		}
	}
}
