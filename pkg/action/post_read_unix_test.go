//go:build unix

package action

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

// TestReportFileIsBounded: the report-file comes from the pull request's
// run, so the post mode opens only a regular file (a FIFO is refused at once
// instead of blocking the open; a device is never read) and refuses one over
// the limit, naming it, without reading past the limit.
func TestReportFileIsBounded(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "upgradegate.json")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "big.json")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// sparse: the file's size is over the limit without writing it
	if err := f.Truncate(maxReportFile + 1); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, tc := range []struct {
		name, path, want string
		cause            error
	}{
		{"fifo", fifo, "not a regular file", repo.ErrNotRegular},
		{"device", "/dev/zero", "not a regular file", repo.ErrNotRegular},
		{"directory", dir, "is a directory", nil},
		{"over the limit", big, `report-file "` + big + `" is over 64 MiB`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan error, 1)
			go func() {
				_, err := readReport(tc.path, finding.Error)
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("readReport(%s) error = %v, want %q", tc.path, err, tc.want)
				}
				if tc.cause != nil && !errors.Is(err, tc.cause) {
					t.Errorf("readReport(%s) error = %v, want it to wrap %v", tc.path, err, tc.cause)
				}
			case <-time.After(20 * time.Second):
				t.Fatalf("readReport(%s) did not return", tc.path)
			}
		})
	}
}
