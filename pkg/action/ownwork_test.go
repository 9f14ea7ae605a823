package action

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestBinaryOwnWorkOnExamples measures the Action as the runner starts it
// on the examples/ repository and a pull request that changes one manifest
// (issue 12: the binary's own work under 50 ms besides the API calls):
// the process's CPU time (user + system, which waiting for the API does
// not count) and its wall time, medians of UPGRADEGATE_MEASURE runs,
// logged; BENCHMARKS.md records them. It asserts what the run does, never
// how long it takes, and runs only when UPGRADEGATE_MEASURE is set:
//
//	UPGRADEGATE_MEASURE=9 go test -run OwnWork -v ./pkg/action
func TestBinaryOwnWorkOnExamples(t *testing.T) {
	runs := 0
	if n := os.Getenv("UPGRADEGATE_MEASURE"); n != "" {
		for _, c := range n {
			if c < '0' || c > '9' {
				t.Fatalf("UPGRADEGATE_MEASURE=%q: want a number of runs", n)
			}
			runs = runs*10 + int(c-'0')
		}
	}
	if runs == 0 {
		t.Skip("a measurement: set UPGRADEGATE_MEASURE to the number of runs")
	}
	h := newHarness(t)
	for _, rel := range []string{"policies/app.yaml", "upgrades/app.yaml", "docs/app.md"} {
		if err := os.Remove(filepath.Join(h.ws, rel)); err != nil {
			t.Fatal(err)
		}
	}
	copyTree(t, filepath.Join("..", "..", "examples"), h.ws)
	const changed = "upgrades/postgres-16.yaml"
	h.gh.Files = []string{changed}
	h.checkoutMerge(nil)
	bin := binary(t)
	if p := os.Getenv("UPGRADEGATE_CPUPROFILE"); p != "" {
		h.env["UPGRADEGATE_CPUPROFILE"] = p // the last run's profile
	}
	var cpu, wall []time.Duration
	for range runs {
		var st *os.ProcessState
		var took time.Duration
		res := h.runWith(func(env map[string]string, stdout, stderr *bytes.Buffer) int {
			cmd := exec.Command(bin, "action")
			cmd.Dir = h.ws
			for k, v := range env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			cmd.Stdout, cmd.Stderr = stdout, stderr
			start := time.Now()
			err := cmd.Run()
			took, st = time.Since(start), cmd.ProcessState
			var exit *exec.ExitError
			if err != nil && !errors.As(err, &exit) {
				t.Fatalf("run %s action: %v", bin, err)
			}
			return st.ExitCode()
		})
		if res.code > ExitFindings || res.outputs["result"] == "" || len(res.reqs) == 0 {
			t.Fatalf("exit code %d, outputs %v, %d API requests; want a verdict after asking the API\nstdout:\n%s\nstderr:\n%s",
				res.code, res.outputs, len(res.reqs), res.stdout, res.stderr)
		}
		cpu = append(cpu, st.UserTime()+st.SystemTime())
		wall = append(wall, took)
	}
	slices.Sort(cpu)
	slices.Sort(wall)
	t.Logf("examples/, one manifest changed (%s): median of %d runs: CPU (user+system) %v, wall %v (API on 127.0.0.1 included)",
		changed, runs, cpu[runs/2].Round(time.Millisecond/10), wall[runs/2].Round(time.Millisecond/10))
}

// copyTree copies the regular files under src into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dst, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
