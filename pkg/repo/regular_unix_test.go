//go:build unix

package repo

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// readWithin runs ReadRegular in a goroutine and fails the test if it has
// not returned before the test's context ends: a blocked open must fail the
// test, not hang it.
func readWithin(t *testing.T, name string, n int64) ([]byte, int64, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	type result struct {
		data []byte
		size int64
		err  error
	}
	done := make(chan result, 1)
	go func() {
		data, size, err := ReadRegular(name, n)
		done <- result{data, size, err}
	}()
	select {
	case r := <-done:
		return r.data, r.size, r.err
	case <-ctx.Done():
		t.Fatalf("ReadRegular(%q) did not return: %v", name, ctx.Err())
		return nil, 0, nil
	}
}

func TestReadRegularRefusesFIFOsAndDevices(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{fifo, "/dev/zero", "/dev/null"} {
		if _, err := os.Stat(name); err != nil {
			t.Logf("skip %s: %v", name, err)
			continue
		}
		data, _, err := readWithin(t, name, 1<<20)
		var pe *os.PathError
		if !errors.Is(err, ErrNotRegular) || !errors.As(err, &pe) || pe.Path != name {
			t.Errorf("ReadRegular(%q) = %d bytes, %v; want a path error naming it, wrapping %v", name, len(data), err, ErrNotRegular)
		}
	}
	if _, _, err := r.ReadPrefix("pipe.yaml", 10); !errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadPrefix(fifo) = %v, want %v", err, ErrNotRegular)
	}
}

func TestReadRegularBoundsTheRead(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	name := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(name, make([]byte, 5000), 0o644); err != nil {
		t.Fatal(err)
	}
	data, size, err := readWithin(t, name, 100)
	if err != nil || len(data) != 100 || size != 5000 {
		t.Errorf("ReadRegular(5000 bytes, 100) = %d bytes, size %d, %v; want 100 bytes, size 5000", len(data), size, err)
	}
	if _, _, err := readWithin(t, dir, 100); err == nil || errors.Is(err, ErrNotRegular) {
		t.Errorf("ReadRegular(directory) = %v, want an error saying it is a directory", err)
	}
}
