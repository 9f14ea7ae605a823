//go:build unix

package base

import (
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// BenchmarkRead100AtBase opens the repository, finds the merge base of main
// and HEAD, and reads 100 tracked files at it (of 1,000 in 20 directories,
// through go-git's object store): the cost --base adds before any rule.
//
//	go test ./pkg/base -run '^$' -bench Read100AtBase -benchtime 20x
func BenchmarkRead100AtBase(b *testing.B) {
	files := map[string]string{}
	for i := 0; i < 1000; i++ {
		files[fmt.Sprintf("deploy/d%02d/values-%03d.yaml", i%20, i)] = fmt.Sprintf("image:\n  repository: registry.example.com/app\n  tag: 1.%d.0\n", i)
	}
	dir := testtree.Write(b, files)
	testtree.GitInit(b, dir)
	testtree.GitCommit(b, dir, "base")
	testtree.GitSwitch(b, dir, "pr")
	testtree.Add(b, dir, map[string]string{"deploy/d00/values-000.yaml": "image:\n  tag: 2.0.0\n"})
	testtree.GitCommit(b, dir, "head")
	b.ResetTimer()
	before := cpuTime()
	for i := 0; i < b.N; i++ {
		g, err := OpenGit(dir)
		if err != nil {
			b.Fatal(err)
		}
		base, err := g.MergeBase("main")
		if err != nil {
			b.Fatal(err)
		}
		for j := 0; j < 100; j++ {
			if _, err := base.Files.ReadFile(fmt.Sprintf("deploy/d%02d/values-%03d.yaml", (j*10)%20, j*10)); err != nil {
				b.Fatal(err)
			}
		}
	}
	// the CPU time too: on a shared, loaded machine wall time mostly
	// measures the wait for a core
	b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
