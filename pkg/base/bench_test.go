//go:build unix

package base

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
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

// BenchmarkRead100AtBaseAPI reads 100 tracked files of a base commit (of
// 1,000 in 20 directories) through the REST API against internal/fakegithub
// on 127.0.0.1, with pkg/github's client: OpenAPI (one recursive Git Trees
// listing) and 100 blobs, fresh each run. "truncated" has the fake cut the
// recursive listing at 500 entries, as GitHub does past 100,000: the root
// and the three directories on the way (deploy, d00, d10) are then listed one
// at a time. It reports the
// requests per run; cpu-ms/op counts the fake server's work too (it runs in
// the same process).
//
//	go test ./pkg/base -run '^$' -bench Read100AtBaseAPI -benchtime 20x
func BenchmarkRead100AtBaseAPI(b *testing.B) {
	files := map[string]string{}
	for i := 0; i < 1000; i++ {
		files[fmt.Sprintf("deploy/d%02d/values-%03d.yaml", i%20, i)] = fmt.Sprintf("image:\n  repository: registry.example.com/app\n  tag: 1.%d.0\n", i)
	}
	for _, bc := range []struct {
		name  string
		limit int
	}{{"whole", 0}, {"truncated", 500}} {
		b.Run(bc.name, func(b *testing.B) {
			gh := fakegithub.New(b, apiToken, "o", "r")
			gh.AddCommit(apiCommit, files)
			gh.TreeLimit = bc.limit
			c := apiClient(b, gh)
			b.ResetTimer()
			before, reqs := cpuTime(), len(gh.Requests())
			for i := 0; i < b.N; i++ {
				base, err := OpenAPI(context.Background(), c, apiCommit, "the REST API")
				if err != nil {
					b.Fatal(err)
				}
				for j := 0; j < 100; j++ {
					if _, err := base.Files.ReadFile(fmt.Sprintf("deploy/d%02d/values-%03d.yaml", (j*10)%20, j*10)); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(len(gh.Requests())-reqs)/float64(b.N), "requests/op")
		})
	}
}
