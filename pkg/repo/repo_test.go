package repo

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "upgrades"), 0o755))
	must(os.MkdirAll(filepath.Join(root, "policies"), 0o755))
	must(os.WriteFile(filepath.Join(root, "policies", "p.yaml"), []byte("x"), 0o644))
	must(os.WriteFile(filepath.Join(outside, "secret.yaml"), []byte("x"), 0o644))
	must(os.Symlink(outside, filepath.Join(root, "out")))
	must(os.Symlink(filepath.Join(root, "policies"), filepath.Join(root, "in")))
	r, err := Open(root)
	must(err)
	tests := []struct {
		base, ref string
		want      string
		outside   bool
	}{
		{"upgrades", "../policies/p.yaml", "policies/p.yaml", false},
		{"upgrades", "./x/../../policies/p.yaml", "policies/p.yaml", false},
		{"", "policies/p.yaml", "policies/p.yaml", false},
		{"", "missing/file.yaml", "missing/file.yaml", false},
		{"", "in/p.yaml", "in/p.yaml", false},
		{"upgrades", "../../etc/passwd", "", true},
		{"", "../x", "", true},
		{"", "a/../../x", "", true},
		{"", "/etc/passwd", "", true},
		{"", `\etc\passwd`, "", true},
		{"", "out/secret.yaml", "", true},
		{"", "out/missing.yaml", "", true},
		{"", "out", "", true},
	}
	for _, tt := range tests {
		got, err := r.Resolve(tt.base, tt.ref)
		if tt.outside {
			if !errors.Is(err, ErrOutside) {
				t.Errorf("Resolve(%q, %q) = %q, %v; want ErrOutside", tt.base, tt.ref, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.base, tt.ref, got, err, tt.want)
		}
	}
	if _, err := r.ReadFile("out/secret.yaml"); !errors.Is(err, ErrOutside) {
		t.Errorf("ReadFile through a symlink out: %v", err)
	}
	if r.Exists("out/secret.yaml") {
		t.Error("Exists follows a symlink out of the repository")
	}
	if data, err := r.ReadFile("policies/p.yaml"); err != nil || string(data) != "x" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
}
