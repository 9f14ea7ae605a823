// Command bench measures upgradegate as a whole process against a floor
// measured in the same run (issue 12: ratios, never absolute limits):
//
//	go run ./internal/bench                 # 2,000 manifests + 5,000 other files, 5 runs each
//	go run ./internal/bench -runs 9 -keep   # more runs; keep the work directory
//	go run ./internal/bench -path-only      # only the path runs
//
// It builds upgradegate and the floor (internal/bench/floor: walk, read every
// YAML file, parse the ones that may hold a manifest), generates the corpus
// with internal/gen, runs check and the floor alternately after one warm-up
// run of each, and prints the median wall time and peak memory of both and
// their ratio. Then it times `upgradegate path` as a whole process on
// generated policies of 2,000 and 20,000 releases and prints both medians and
// their ratio.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

func main() {
	manifests := flag.Int("manifests", 2000, "upgrade manifests in the corpus")
	other := flag.Int("other", 5000, "YAML files of other tools in the corpus")
	runs := flag.Int("runs", 5, "measured runs of each program")
	work := flag.String("work", "", "work directory (default: a new temporary one)")
	keep := flag.Bool("keep", false, "keep the work directory")
	pathOnly := flag.Bool("path-only", false, "time upgradegate path alone (no corpus, no check, no floor)")
	flag.Parse()
	if err := run(*manifests, *other, *runs, *work, *keep, *pathOnly); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(manifests, other, runs int, work string, keep, pathOnly bool) error {
	if runs < 1 {
		return errors.New("-runs must be at least 1")
	}
	if work == "" {
		dir, err := os.MkdirTemp("", "upgradegate-bench-")
		if err != nil {
			return err
		}
		work = dir
	}
	if !keep {
		defer os.RemoveAll(work)
	} else {
		fmt.Println("work directory:", work)
	}
	ug, fl := filepath.Join(work, "upgradegate"), filepath.Join(work, "floor")
	corpus := filepath.Join(work, "corpus")
	builds := [][]string{{"go", "build", "-o", ug, "./cmd/upgradegate"}}
	if !pathOnly {
		builds = append(builds, []string{"go", "build", "-o", fl, "./internal/bench/floor"},
			[]string{"go", "run", "./internal/gen", "-out", corpus, "-manifests", fmt.Sprint(manifests), "-other", fmt.Sprint(other)})
	}
	for _, c := range builds {
		cmd := exec.Command(c[0], c[1:]...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s: %w", strings.Join(c, " "), err)
		}
	}
	if !pathOnly {
		if err := checkAgainstFloor(ug, fl, corpus, work, manifests, other, runs); err != nil {
			return err
		}
	}

	small, large := filepath.Join(work, "path-2000.yaml"), filepath.Join(work, "path-20000.yaml")
	for _, p := range []struct {
		file string
		n    int
	}{{small, 2000}, {large, 20000}} {
		if err := os.WriteFile(p.file, []byte(pathPolicy(p.n)), 0o644); err != nil {
			return err
		}
	}
	pathCmd := func(file string, n int) []string {
		return []string{ug, "path", "--policy", file, "--from", version(0), "--to", version(n - 1)}
	}
	s, l, err := alternate(runs, pathCmd(small, 2000), pathCmd(large, 20000))
	if err != nil {
		return err
	}
	fmt.Printf("upgradegate path, 2,000 releases:  %s (median), %s CPU, %.1f MiB\n", s.wall.Round(time.Millisecond), s.cpu.Round(time.Millisecond), s.rssMiB)
	fmt.Printf("upgradegate path, 20,000 releases: %s (median), %s CPU, %.1f MiB\n", l.wall.Round(time.Millisecond), l.cpu.Round(time.Millisecond), l.rssMiB)
	fmt.Printf("ratio 20,000/2,000 releases: %.2fx wall, %.2fx CPU\n", ratio(l.wall, s.wall), ratio(l.cpu, s.cpu))
	return nil
}

// checkAgainstFloor runs check and the floor alternately on the corpus
// and prints both medians and their ratio.
func checkAgainstFloor(ug, fl, corpus, work string, manifests, other, runs int) error {
	check := []string{ug, "check", corpus, "--format", "json=" + filepath.Join(work, "report.json"), "--now", "2026-11-22T12:00:00Z"}
	floor := []string{fl, corpus}
	fmt.Printf("corpus: %d manifests, %d other YAML files, 8 policies (internal/gen)\n", manifests, other)
	c, f, err := alternate(runs, check, floor)
	if err != nil {
		return err
	}
	fmt.Printf("%-28s %10s %10s %12s\n", "program (median of "+fmt.Sprint(runs)+")", "wall", "CPU", "peak RSS")
	fmt.Printf("%-28s %10s %10s %9.1f MiB\n", "upgradegate check", c.wall.Round(time.Millisecond), c.cpu.Round(time.Millisecond), c.rssMiB)
	fmt.Printf("%-28s %10s %10s %9.1f MiB\n", "floor (walk, read, parse)", f.wall.Round(time.Millisecond), f.cpu.Round(time.Millisecond), f.rssMiB)
	fmt.Printf("ratio check/floor: %.2fx wall, %.2fx CPU, %.2fx memory\n", ratio(c.wall, f.wall), ratio(c.cpu, f.cpu), c.rssMiB/f.rssMiB)
	fmt.Printf("load average: %s\n", loadAverage())
	return nil
}

// loadAverage is the first line of /proc/loadavg (the machine's load, to
// read the wall times by), or "unknown".
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(string(data))
}

// measure is one program's median wall time, CPU time (user + system:
// the figure a loaded machine disturbs least) and peak memory.
type measure struct {
	wall, cpu time.Duration
	rssMiB    float64
}

// alternate runs a and b once each to warm the caches, then runs times
// each, alternating, and returns their medians. Exit code 1 (findings) is
// a result, not a failure.
func alternate(times int, a, b []string) (measure, measure, error) {
	var walls, cpus [2][]time.Duration
	var rss [2][]float64
	for i := -1; i < times; i++ {
		for k, c := range [][]string{a, b} {
			w, cpu, m, err := once(c)
			if err != nil {
				return measure{}, measure{}, err
			}
			if i >= 0 {
				walls[k] = append(walls[k], w)
				cpus[k] = append(cpus[k], cpu)
				rss[k] = append(rss[k], m)
			}
		}
	}
	med := func(k int) measure {
		slices.Sort(walls[k])
		slices.Sort(cpus[k])
		slices.Sort(rss[k])
		return measure{wall: walls[k][len(walls[k])/2], cpu: cpus[k][len(cpus[k])/2], rssMiB: rss[k][len(rss[k])/2]}
	}
	return med(0), med(1), nil
}

func once(c []string) (wall, cpu time.Duration, rssMiB float64, err error) {
	cmd := exec.Command(c[0], c[1:]...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start)
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		return 0, 0, 0, fmt.Errorf("%s: %v\n%s", strings.Join(c, " "), err, stderr.String())
	}
	var kb int64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		kb = ru.Maxrss // kilobytes on Linux
	}
	cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	return wall, cpu, float64(kb) / 1024, nil
}

func ratio(a, b time.Duration) float64 { return float64(a) / float64(b) }

// version is the i-th release of a generated policy: 1.0.0 … with 20 patches
// per minor and 50 minors per major.
func version(i int) string {
	return fmt.Sprintf("%d.%d.%d", 1+i/1000, i/20%50, i%20)
}

// pathPolicy writes a policy of n releases with a required stop every 47
// releases, maxStep {major: 1, minor: 5} and three blocked ranges, the shape
// of the 20,000-release policy issue 12 measures.
func pathPolicy(n int) string {
	var b strings.Builder
	b.WriteString("apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: big}\nspec:\n  component: big\n  releases:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - %s\n", version(i))
	}
	b.WriteString("  requiredStops:\n")
	for i := 46; i < n-1; i += 47 {
		fmt.Fprintf(&b, "    - version: %s\n", version(i))
	}
	b.WriteString("  maxStep: {major: 1, minor: 5}\n  blocked:\n")
	for _, i := range []int{n / 4, n / 2, 3 * n / 4} {
		fmt.Fprintf(&b, "    - {from: \">= %s, < %s\", to: \">= %s\"}\n", version(i), version(i+5), version(i+200))
	}
	return b.String()
}
