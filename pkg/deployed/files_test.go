package deployed

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

func TestWorkTree(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("k8s/a.yaml", "a: 1\n")
	write("k8s/deep/b.yaml", "b: 1\n")
	write("k8s/c.json", "{}")
	write(".git/k8s/x.yaml", "x: 1\n")
	write("k8s/node_modules/y.yaml", "y: 1\n")
	write("big.yaml", string(make([]byte, 100)))
	if err := os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("s: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "k8s", "link.yaml")); err != nil {
		t.Skip("no symlinks:", err)
	}
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	w := NewWorkTree(r, 50)
	got, err := w.Glob("k8s/**/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"k8s/a.yaml", "k8s/deep/b.yaml"}, got); diff != "" {
		t.Errorf("Glob (-want +got):\n%s", diff)
	}
	if got, err := w.Glob("**/*.yaml"); err != nil || len(got) != 3 {
		t.Errorf("Glob(**/*.yaml) = %v, %v; want big.yaml and the two under k8s", got, err)
	}
	if got, err := w.Glob("nope/**"); err != nil || len(got) != 0 {
		t.Errorf("Glob under a missing directory = %v, %v", got, err)
	}
	if data, err := w.ReadFile("k8s/a.yaml"); err != nil || string(data) != "a: 1\n" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if _, err := w.ReadFile("k8s/link.yaml"); !errors.Is(err, repo.ErrOutside) {
		t.Errorf("a symlink out was read: %v", err)
	}
	if _, err := w.ReadFile("../x"); !errors.Is(err, repo.ErrOutside) {
		t.Errorf("../x was not refused: %v", err)
	}
	var tl *TooLargeError
	if _, err := w.ReadFile("big.yaml"); !errors.As(err, &tl) || tl.Size != 100 {
		t.Errorf("a file over the limit: %v", err)
	}
	if _, err := w.ReadFile("none.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file: %v", err)
	}
}
