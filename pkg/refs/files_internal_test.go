package refs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChangedFilesAreBounded: a list over the limit is an error, not a
// partial list (a partial list would leave changed files unchecked).
func TestChangedFilesAreBounded(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "changed.txt")
	list := strings.Repeat("upgrades/app.yaml\n", 10) // 180 bytes
	if err := os.WriteFile(name, []byte(list), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := readChangedFiles(name, int64(len(list))); err != nil || len(got) == 0 {
		t.Errorf("a list at the limit: %v, %v", got, err)
	}
	if got, err := readChangedFiles(name, int64(len(list))-1); err == nil || !strings.Contains(err.Error(), "over the limit of 179 bytes") {
		t.Errorf("a list over the limit: %v, %v", got, err)
	}
}
