package action

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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
//
// UPGRADEGATE_MEASURE_AGAINST=BINARY measures another build alternately
// with this one (a before and after on the same load), and
// UPGRADEGATE_CPUPROFILE=FILE writes a profile of each run of this build
// (FILE, FILE.1, ...), for `go tool pprof BINARY FILE*`.
// UPGRADEGATE_MEASURE_NESTED=1 checks out examples/ under examples/, as in
// this repository: its manifests' and policies' file references are then
// read, not missing.
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
	// examples/ is the repository (its file references, written for a
	// run from this repository's root as examples/..., then name files
	// it lacks); UPGRADEGATE_MEASURE_NESTED=1 puts it under examples/ as
	// in this repository, where they are read (vendor files too)
	dir, changed := h.ws, ownWorkChanged
	if os.Getenv("UPGRADEGATE_MEASURE_NESTED") != "" {
		dir, changed = filepath.Join(h.ws, "examples"), "examples/"+ownWorkChanged
	}
	copyTree(t, filepath.Join("..", "..", "examples"), dir)
	h.gh.Files = []string{changed}
	h.checkoutMerge(nil)
	bins := []string{binary(t)}
	// UPGRADEGATE_MEASURE_AGAINST=BINARY runs another build (the code
	// before a change) alternately with this one, on the same checkout
	if other := os.Getenv("UPGRADEGATE_MEASURE_AGAINST"); other != "" {
		bins = append(bins, other)
	}
	profile := os.Getenv("UPGRADEGATE_CPUPROFILE")
	cpu, wall := make([][]time.Duration, len(bins)), make([][]time.Duration, len(bins))
	verdicts := make([]string, len(bins))
	for i := range runs {
		for b, bin := range bins {
			if b == 0 && profile != "" {
				// one profile per run (FILE, FILE.1, ...): go tool pprof merges them
				h.env["UPGRADEGATE_CPUPROFILE"] = profile
				if i > 0 {
					h.env["UPGRADEGATE_CPUPROFILE"] = profile + "." + strconv.Itoa(i)
				}
			} else {
				delete(h.env, "UPGRADEGATE_CPUPROFILE")
			}
			c, w, v := h.measure(bin)
			verdicts[b] = v
			cpu[b] = append(cpu[b], c)
			wall[b] = append(wall[b], w)
		}
	}
	for b, bin := range bins {
		slices.Sort(cpu[b])
		slices.Sort(wall[b])
		t.Logf("%s: examples/, one manifest changed (%s; %s): median of %d runs: CPU (user+system) %v, wall %v (API on 127.0.0.1 included)",
			bin, changed, verdicts[b], runs, cpu[b][runs/2].Round(time.Millisecond/10), wall[b][runs/2].Round(time.Millisecond/10))
	}
	if len(bins) == 2 {
		t.Logf("this build / the other: CPU %.2f, wall %.2f (medians, run alternately)",
			float64(cpu[0][runs/2])/float64(cpu[1][runs/2]), float64(wall[0][runs/2])/float64(wall[1][runs/2]))
	}
}

// ownWorkChanged is the pull request's one changed file in
// TestBinaryOwnWorkOnExamples.
const ownWorkChanged = "upgrades/postgres-16.yaml"

// measure runs bin as the runner starts the Action and returns the
// process's CPU time (user + system) and its wall time; it fails the test
// unless the run gave a verdict after asking the API.
func (h *harness) measure(bin string) (cpu, wall time.Duration, verdict string) {
	t := h.t
	t.Helper()
	var st *os.ProcessState
	res := h.runWith(func(env map[string]string, stdout, stderr *bytes.Buffer) int {
		cmd := exec.Command(bin, "action")
		cmd.Dir = h.ws
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stdout, cmd.Stderr = stdout, stderr
		start := time.Now()
		err := cmd.Run()
		wall, st = time.Since(start), cmd.ProcessState
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatalf("run %s action: %v", bin, err)
		}
		return st.ExitCode()
	})
	if res.code > ExitFindings || res.outputs["result"] == "" || len(res.reqs) == 0 {
		t.Fatalf("%s: exit code %d, outputs %v, %d API requests; want a verdict after asking the API\nstdout:\n%s\nstderr:\n%s",
			bin, res.code, res.outputs, len(res.reqs), res.stdout, res.stderr)
	}
	verdict = res.outputs["result"] + ", " + res.outputs["errors"] + " errors, " + res.outputs["warnings"] + " warnings"
	return st.UserTime() + st.SystemTime(), wall, verdict
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
