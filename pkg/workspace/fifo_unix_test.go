//go:build unix

package workspace

import (
	"path/filepath"
	"syscall"
	"testing"
)

// TestReadPolicyFileRefusesFIFO: opening a FIFO would block until a writer
// comes; the loader refuses anything but a regular file before opening it.
func TestReadPolicyFileRefusesFIFO(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), "policy.yaml")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	if got := ReadPolicyFile(p, "policy.yaml"); got.Err == nil || got.Err.Error() != "not a regular file" {
		t.Fatalf("ReadPolicyFile(FIFO) error = %v, want not a regular file", got.Err)
	}
}
