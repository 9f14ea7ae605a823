//go:build unix

package check

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// TestNamedFIFO: a FIFO named on the command line is not opened for reading
// (that would block); it is a finding that names it.
func TestNamedFIFO(t *testing.T) {
	t.Parallel()
	root := testtree.Write(t, map[string]string{"notes.yaml": "title: x\n"})
	if err := syscall.Mkfifo(filepath.Join(root, "pipe.yaml"), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	rep := runTree(t, root, "pipe.yaml")
	got := findingsOf(rep.Findings)
	if want := `UG004 pipe.yaml: cannot read "pipe.yaml": `; len(got) != 1 || !strings.HasPrefix(got[0], want) || strings.Contains(got[0], root) {
		t.Errorf("findings %q, want one starting %q without the absolute path", got, want)
	}
	if !rep.Failed() {
		t.Error("a FIFO named on the command line passed")
	}
}
