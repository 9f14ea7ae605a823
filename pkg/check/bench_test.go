package check

import (
	"context"
	"os"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

// BenchmarkCheckManifest measures one manifest with its policy (the golden
// base, testdata/base, which is the whole of case base-pass), in process:
// decoding the manifest and applying every rule. The policy is read once per
// run and shared, as in a real run, so it is warmed before the timer starts.
func BenchmarkCheckManifest(b *testing.B) {
	r, err := repo.Open("../../testdata/base")
	if err != nil {
		b.Fatal(err)
	}
	g := newGate(r, Options{Now: goldenNow, FailOn: finding.Error})
	c := workspace.Candidate{Rel: "upgrades/app.yaml", Explicit: true}
	ctx := context.Background()
	warm := g.ws.Read(c)
	if len(warm.Manifests) != 1 {
		b.Fatalf("want one manifest, got %d", len(warm.Manifests))
	}
	if res := g.checkManifest(ctx, warm.Manifests[0], warm.Decoded[0], g.headerOf(warm.Manifests[0]), nil); len(res.findings) != 0 {
		b.Fatalf("base case must pass: %v", res.findings)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fr := g.ws.Read(c)
		g.checkManifest(ctx, fr.Manifests[0], fr.Decoded[0], g.headerOf(fr.Manifests[0]), nil)
	}
}

// BenchmarkRun measures a whole run on one small repository: discovery,
// reading, the policy, the rules and the report.
func BenchmarkRun(b *testing.B) {
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := Run(ctx, Options{Root: "../../testdata/base", Now: goldenNow, FailOn: finding.Error}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunCorpus runs the gate on the repository in
// $UPGRADEGATE_CORPUS (go run ./internal/gen -plan -out DIR: 2,000 manifests
// in one plan), with the plan and without it, in the same run: the ratio of
// the two is what the plan costs (BENCHMARKS.md). Skipped without the variable.
func BenchmarkRunCorpus(b *testing.B) {
	root := os.Getenv("UPGRADEGATE_CORPUS")
	if root == "" {
		b.Skip("UPGRADEGATE_CORPUS names no corpus (go run ./internal/gen -plan -out DIR)")
	}
	ctx := context.Background()
	for _, bc := range []struct {
		name        string
		withoutPlan bool
	}{{"plan", false}, {"without-plan", true}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu := processCPU()
			for i := 0; i < b.N; i++ {
				rep, err := Run(ctx, Options{Root: root, Now: goldenNow, FailOn: finding.Error, withoutPlan: bc.withoutPlan})
				if err != nil {
					b.Fatal(err)
				}
				if i == 0 {
					b.ReportMetric(float64(len(rep.Plan)), "steps")
				}
			}
			if cpu := processCPU() - cpu; cpu > 0 {
				b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
			}
		})
	}
}
