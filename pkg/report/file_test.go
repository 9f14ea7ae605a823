package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWriteFileIsAtomic(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "new", "report.json")
	if err := WriteFile(name, []byte("one")); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(name, []byte("two")); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(name); string(data) != "two" {
		t.Errorf("content %q", data)
	}
	// a staged file that is discarded leaves the old content and no temporary
	sf, err := Stage(name, []byte("three"))
	if err != nil {
		t.Fatal(err)
	}
	sf.Discard()
	if data, _ := os.ReadFile(name); string(data) != "two" {
		t.Errorf("content after discard %q", data)
	}
	if entries, _ := os.ReadDir(filepath.Dir(name)); len(entries) != 1 {
		t.Errorf("left behind: %v", entries)
	}
	// a target that is a directory fails before anything is written
	if err := WriteFile(dir, []byte("x")); err == nil {
		t.Error("writing over a directory succeeded")
	}
}

// TestConfine: a report path inside the root that a symbolic link carries
// out of it is refused; links that stay inside, missing directories and a
// link as the file itself are fine.
func TestConfine(t *testing.T) {
	t.Parallel()
	root, outside := t.TempDir(), t.TempDir()
	for _, dir := range []string{"reports", "deep/a"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for link, target := range map[string]string{
		"out":         outside,
		"deep/a/up":   "../../..",
		"inside":      "reports",
		"dangling":    filepath.Join(outside, "missing"),
		"report.json": filepath.Join(outside, "x.json"),
	} {
		if err := os.Symlink(target, filepath.Join(root, link)); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"r.json", true},
		{"reports/r.json", true},
		{"new/dir/r.json", true},
		{"inside/r.json", true},
		{"report.json", true}, // the rename replaces the link, it does not follow it
		{"out/r.json", false},
		{"out/new/r.json", false},
		{"deep/a/up/r.json", false},
		{"dangling/r.json", false},
	} {
		err := Confine(root, filepath.Join(root, tc.name))
		switch {
		case tc.ok && err != nil:
			t.Errorf("Confine(%s): %v", tc.name, err)
		case !tc.ok && err == nil:
			t.Errorf("Confine(%s) accepted a path outside the root", tc.name)
		case !tc.ok && !strings.Contains(err.Error(), filepath.Join(root, tc.name)):
			t.Errorf("Confine(%s): the error does not name the path: %v", tc.name, err)
		}
	}
	if !Within(root, filepath.Join(root, "out/r.json")) || Within(root, filepath.Join(outside, "r.json")) || Within(root, root+"x/r.json") {
		t.Error("Within is not a lexical test of the root")
	}
}
