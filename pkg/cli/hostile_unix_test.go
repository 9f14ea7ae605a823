//go:build unix

package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// runWithin is run with a bound: the test fails, instead of hanging, when
// the command has not returned before the test's context ends.
func runWithin(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	type result struct {
		code     int
		out, err string
	}
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := Run(ctx, args, Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
		done <- result{code, out.String(), errb.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.out, r.err
	case <-ctx.Done():
		t.Fatalf("upgradegate %s did not return: %v", strings.Join(args, " "), ctx.Err())
		return 0, "", ""
	}
}

// TestFIFOsAndDevicesAreNotRead: a FIFO named on the command line, as a
// manifest's spec.policy or as path --policy is refused at once (opening
// one for reading waits for a writer), and a device is never read (reading
// /dev/zero would fill the memory).
func TestFIFOsAndDevicesAreNotRead(t *testing.T) {
	t.Parallel()
	manifest, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := testtree.Repo(t, map[string]string{
		"upgrades/app.yaml": strings.Replace(string(manifest), "policy: ../policies/app.yaml", "policy: ../policies/pipe.yaml", 1),
	})
	for _, fifo := range []string{"pipe.yaml", "policies/pipe.yaml"} {
		if err := syscall.Mkfifo(filepath.Join(dir, fifo), 0o644); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, bytes.Repeat([]byte("# padding\n"), 110_000), 0o644); err != nil {
		t.Fatal(err)
	}
	now := "--now=2026-11-22T12:00:00Z"
	tests := []struct {
		name string
		args []string
		code int
		out  string
		err  string
	}{
		{"fifo named", []string{"check", filepath.Join(dir, "pipe.yaml"), now}, 1,
			`pipe.yaml:1:1: error: cannot read "pipe.yaml": not a regular file [UG004]`, ""},
		{"fifo as spec.policy", []string{"check", filepath.Join(dir, "upgrades"), now}, 1,
			`cannot read policy "../policies/pipe.yaml": not a regular file`, ""},
		{"path --policy fifo", []string{"path", "--policy", filepath.Join(dir, "policies", "pipe.yaml"), "--from", "1.0.0", "--to", "2.0.0"}, 2,
			"", "pipe.yaml: not a regular file"},
		{"path --policy /dev/zero", []string{"path", "--policy", "/dev/zero", "--from", "1.0.0", "--to", "2.0.0"}, 2,
			"", "read policy /dev/zero: not a regular file"},
		{"path --policy over the limit", []string{"path", "--policy", big, "--from", "1.0.0", "--to", "2.0.0"}, 1,
			"", "policy file is 1100000 bytes, over the 1 MiB limit [UG004]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runWithin(t, tt.args...)
			if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(errOut, tt.err) {
				t.Errorf("exit %d, want %d; stdout want %q:\n%s\nstderr want %q:\n%s", code, tt.code, tt.out, out, tt.err, errOut)
			}
		})
	}
}
