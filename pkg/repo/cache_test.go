package repo

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestCachedDirectoryStillChecksEachFile: once a directory is known to be
// inside, a file in it that is a symlink out is still refused, one that is a
// symlink within is read, and a directory that is a symlink out is refused
// for every file under it.
func TestCachedDirectoryStillChecksEachFile(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "d"), 0o755))
	must(os.WriteFile(filepath.Join(root, "d", "a.yaml"), []byte("a"), 0o644))
	must(os.WriteFile(filepath.Join(outside, "secret"), []byte("s"), 0o644))
	must(os.Symlink(filepath.Join(outside, "secret"), filepath.Join(root, "d", "out.yaml")))
	must(os.Symlink("a.yaml", filepath.Join(root, "d", "in.yaml")))
	must(os.Symlink(outside, filepath.Join(root, "away")))
	r, err := Open(root)
	must(err)
	for i := 0; i < 2; i++ { // the second round runs on the cache
		if _, _, err := r.ReadPrefix("d/a.yaml", 10); err != nil {
			t.Errorf("d/a.yaml: %v", err)
		}
		if data, _, err := r.ReadPrefix("d/in.yaml", 10); err != nil || string(data) != "a" {
			t.Errorf("d/in.yaml (a link within): %q, %v", data, err)
		}
		if _, _, err := r.ReadPrefix("d/out.yaml", 10); !errors.Is(err, ErrOutside) {
			t.Errorf("d/out.yaml (a link out): %v, want ErrOutside", err)
		}
		if _, _, err := r.ReadPrefix("away/secret", 10); !errors.Is(err, ErrOutside) {
			t.Errorf("away/secret (under a directory link out): %v, want ErrOutside", err)
		}
		if _, err := r.Resolve("d", "missing/x.yaml"); err != nil {
			t.Errorf("a missing file under an inside directory: %v", err)
		}
		if rel, err := r.Resolve("d", "a.yaml"); err != nil || rel != "d/a.yaml" {
			t.Errorf("Resolve(d, a.yaml) = %q, %v; want d/a.yaml", rel, err)
		}
		if _, err := r.Resolve("d", "out.yaml"); !errors.Is(err, ErrOutside) {
			t.Errorf("Resolve(d, out.yaml) (a link out): %v, want ErrOutside", err)
		}
		if _, err := r.Resolve("", "away/missing.yaml"); !errors.Is(err, ErrOutside) {
			t.Errorf("a missing file under a directory link out: %v, want ErrOutside", err)
		}
	}
}

// TestMissingDirectoryIsPlacedByItsAncestor: a directory that does not
// exist is where its deepest existing ancestor is (cached like any
// directory): a file under it is missing inside the repository, under a
// link out it is outside, and a missing directory that a dangling link
// names reads nothing.
func TestMissingDirectoryIsPlacedByItsAncestor(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "d"), 0o755))
	must(os.Symlink(outside, filepath.Join(root, "away")))
	must(os.Symlink(filepath.Join(outside, "none"), filepath.Join(root, "dangling")))
	r, err := Open(root)
	must(err)
	for i := 0; i < 2; i++ { // the second round runs on the cache
		for _, rel := range []string{"examples/vendor/x.json", "d/missing/deeper/x.yaml", "dangling/x.yaml", "dangling/sub/x.yaml"} {
			if got, err := r.Resolve("", rel); err != nil || got != rel {
				t.Errorf("Resolve(%q) = %q, %v; want it, inside", rel, got, err)
			}
			if _, _, err := r.ReadPrefix(rel, 10); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("ReadPrefix(%q): %v, want it not to exist", rel, err)
			}
			if r.Exists(rel) {
				t.Errorf("Exists(%q) = true", rel)
			}
		}
		for _, rel := range []string{"away/missing/x.yaml", "away/a/b/c.yaml"} {
			if _, err := r.Resolve("", rel); !errors.Is(err, ErrOutside) {
				t.Errorf("Resolve(%q) under a link out: %v, want ErrOutside", rel, err)
			}
			if _, _, err := r.ReadPrefix(rel, 10); !errors.Is(err, ErrOutside) {
				t.Errorf("ReadPrefix(%q) under a link out: %v, want ErrOutside", rel, err)
			}
		}
	}
	// the missing directory's parent decides: created inside now, a new
	// Repo reads the file
	must(os.MkdirAll(filepath.Join(root, "examples", "vendor"), 0o755))
	must(os.WriteFile(filepath.Join(root, "examples", "vendor", "x.json"), []byte("{}"), 0o644))
	r2, err := Open(root)
	must(err)
	if data, _, err := r2.ReadPrefix("examples/vendor/x.json", 10); err != nil || string(data) != "{}" {
		t.Errorf("ReadPrefix after the directory exists: %q, %v", data, err)
	}
}

// TestDirectoryPlacedByItsParent: a directory is placed from its parent's
// cached place with one look at itself, so a real directory deep under
// the root is inside, while a directory symlink at any depth is resolved:
// out (and everything under it, at any depth) is refused, within is read.
func TestDirectoryPlacedByItsParent(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "a", "b", "c"), 0o755))
	must(os.WriteFile(filepath.Join(root, "a", "b", "c", "f.yaml"), []byte("f"), 0o644))
	must(os.MkdirAll(filepath.Join(outside, "sub"), 0o755))
	must(os.WriteFile(filepath.Join(outside, "sub", "secret"), []byte("s"), 0o644))
	must(os.Symlink(outside, filepath.Join(root, "a", "b", "out")))
	must(os.Symlink(filepath.Join(root, "a", "b"), filepath.Join(root, "a", "in")))
	r, err := Open(root)
	must(err)
	for i := 0; i < 2; i++ { // the second round runs on the cache
		if data, _, err := r.ReadPrefix("a/b/c/f.yaml", 10); err != nil || string(data) != "f" {
			t.Errorf("a/b/c/f.yaml: %q, %v", data, err)
		}
		if _, _, err := r.ReadPrefix("a/b/out/sub/secret", 10); !errors.Is(err, ErrOutside) {
			t.Errorf("a/b/out/sub/secret (under a directory link out, two levels down): %v, want ErrOutside", err)
		}
		if data, _, err := r.ReadPrefix("a/in/c/f.yaml", 10); err != nil || string(data) != "f" {
			t.Errorf("a/in/c/f.yaml (under a directory link within): %q, %v", data, err)
		}
	}
}
