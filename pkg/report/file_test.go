package report

import (
	"os"
	"path/filepath"
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
