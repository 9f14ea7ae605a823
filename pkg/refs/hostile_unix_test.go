//go:build unix

package refs_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/refs"
)

// TestUnreadableFiles: a symlink loop, a named pipe and a file far over the
// size limit are reported, never waited on or read whole.
func TestUnreadableFiles(t *testing.T) {
	t.Parallel()
	r := writeRepo(t, map[string]string{"upgrades/test.yaml": manifestYAML("test", `
  config:
    - {file: deploy/loop.yaml, key: a}
    - {file: deploy/pipe.yaml, key: a}
    - {file: deploy/huge.json, key: a}
  secrets:
    - {name: a, store: kubernetes, file: deploy/pipe.yaml}
  docs: [docs/loop.md]
`)})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Skip(err)
		}
	}
	abs := func(rel string) string { return filepath.Join(r.Root(), filepath.FromSlash(rel)) }
	must(os.MkdirAll(abs("deploy"), 0o755))
	must(os.MkdirAll(abs("docs"), 0o755))
	must(os.Symlink("loop.yaml", abs("deploy/loop.yaml")))
	must(os.Symlink("loop.md", abs("docs/loop.md")))
	must(syscall.Mkfifo(abs("deploy/pipe.yaml"), 0o644))
	must(os.WriteFile(abs("deploy/huge.json"), nil, 0o644))
	must(os.Truncate(abs("deploy/huge.json"), 1<<30))
	m := decode(t, r, "upgrades/test.yaml")[0]
	got := lines(refs.New(refs.Options{Getenv: noEnv}).Check(context.Background(), r, m))
	want := []string{
		`deploy/huge.json:1:1: error: config file "deploy/huge.json" cannot be parsed as JSON: the file is 1073741824 bytes, over the 8 MiB limit (needed by spec.config[2] of manifest "test" in "upgrades/test.yaml") [UG403]`,
		`upgrades/test.yaml:12:14: error: config file "deploy/loop.yaml" cannot be read: too many levels of symbolic links [UG401]`,
		`upgrades/test.yaml:13:14: error: config file "deploy/pipe.yaml" cannot be read: not a regular file [UG401]`,
		`upgrades/test.yaml:16:24: warning: cannot check secret "a" in the kubernetes store: not a regular file [UG412]`,
		`upgrades/test.yaml:17:10: error: documentation file "docs/loop.md" cannot be read: too many levels of symbolic links [UG421]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
