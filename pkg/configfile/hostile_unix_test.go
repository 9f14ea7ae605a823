//go:build unix

package configfile

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

// TestCacheRefusesFIFO: a named pipe is not opened (opening one for reading
// blocks until a writer comes, forever in CI).
func TestCacheRefusesFIFO(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "values.yaml"), 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		var c Cache
		_, err := c.Load(r, "values.yaml")
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, repo.ErrNotRegular) {
			t.Errorf("Load(fifo) = %v, want %v", err, repo.ErrNotRegular)
		}
	case <-time.After(20 * time.Second): // only a bound: a FIFO that is opened blocks forever
		t.Fatal("Load(fifo) blocked")
	}
}
