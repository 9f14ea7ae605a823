package repo

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
	if _, _, err := r.ReadPrefix("out/secret.yaml", 100); !errors.Is(err, ErrOutside) {
		t.Errorf("ReadPrefix through a symlink out: %v", err)
	}
	if r.Exists("out/secret.yaml") {
		t.Error("Exists follows a symlink out of the repository")
	}
	if data, size, err := r.ReadPrefix("policies/p.yaml", 100); err != nil || string(data) != "x" || size != 1 {
		t.Errorf("ReadPrefix = %q, %d, %v", data, size, err)
	}
	// the file itself a symlink, in a directory inside: out is refused,
	// in is read
	must(os.Symlink(filepath.Join(outside, "secret.yaml"), filepath.Join(root, "upgrades", "secret.yaml")))
	must(os.Symlink("../policies/p.yaml", filepath.Join(root, "upgrades", "p.yaml")))
	if data, _, err := r.ReadPrefix("upgrades/secret.yaml", 100); !errors.Is(err, ErrOutside) {
		t.Errorf("ReadPrefix of a symlink out = %q, %v; want ErrOutside", data, err)
	}
	if data, size, err := r.ReadPrefix("upgrades/p.yaml", 100); err != nil || string(data) != "x" || size != 1 {
		t.Errorf("ReadPrefix of a symlink inside = %q, %d, %v", data, size, err)
	}
}

func TestTrail(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	outside := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "deploy", "prod"), 0o755))
	must(os.WriteFile(filepath.Join(root, "deploy", "values.yaml"), []byte("x"), 0o644))
	must(os.Symlink("deploy", filepath.Join(root, "conf")))                        // relative
	must(os.Symlink(filepath.Join(root, "conf"), filepath.Join(root, "settings"))) // absolute, to a link
	must(os.Symlink("../values.yaml", filepath.Join(root, "deploy", "prod", "v"))) // climbs inside
	must(os.Symlink(outside, filepath.Join(root, "out")))
	must(os.Symlink("loop", filepath.Join(root, "loop")))
	r, err := Open(root)
	must(err)
	tests := []struct {
		rel  string
		want []string
		ok   bool
	}{
		{"deploy/values.yaml", []string{"deploy/values.yaml"}, true},
		{"./deploy//values.yaml", []string{"deploy/values.yaml"}, true},
		{"conf/values.yaml", []string{"conf/values.yaml", "conf", "deploy/values.yaml"}, true},
		{"settings/values.yaml", []string{"settings/values.yaml", "settings", "conf", "deploy/values.yaml"}, true},
		{"deploy/prod/v", []string{"deploy/prod/v", "deploy/values.yaml"}, true},
		{"conf/prod/v", []string{"conf/prod/v", "conf", "deploy/prod/v", "deploy/values.yaml"}, true},
		{"conf/missing/x.yaml", []string{"conf/missing/x.yaml", "conf", "deploy/missing/x.yaml"}, true},
		{"missing/../deploy/values.yaml", []string{"deploy/values.yaml"}, true},
		{"out/secret.yaml", []string{"out/secret.yaml", "out"}, false},
		{"loop/x", []string{"loop/x", "loop"}, false},
		{"../x", []string{"../x"}, false},
		{"/etc/passwd", []string{"/etc/passwd"}, false},
	}
	for _, tt := range tests {
		got, ok := r.Trail(tt.rel)
		if ok != tt.ok || strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("Trail(%q) = %q, %v; want %q, %v", tt.rel, got, ok, tt.want, tt.ok)
		}
	}
}
