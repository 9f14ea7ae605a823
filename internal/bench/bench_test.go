package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// TestPathPolicyIsAValidPolicy: the generated policy decodes without a
// finding and its engine finds a path from the first release to the last,
// so the path figures measure a search, not an error.
func TestPathPolicyIsAValidPolicy(t *testing.T) {
	text := pathPolicy(2000)
	p, fs, err := policy.Parse("big.yaml", []byte(text))
	if err != nil || len(fs) != 0 || p == nil || p.Broken {
		t.Fatalf("policy.Parse: %v, findings %v", err, fs)
	}
	from, _ := yamldoc.ParseVersion(version(0))
	to, _ := yamldoc.ParseVersion(version(1999))
	stops, err := p.Engine.Suggest(from, to)
	if err != nil || len(stops) < 10 {
		t.Fatalf("Suggest(%s, %s) = %d stops, %v", from, to, len(stops), err)
	}
	if n := strings.Count(text, "\n    - version: "); n != 42 {
		t.Errorf("%d required stops, want one every 47 releases (42)", n)
	}
}

func TestVersionsAscend(t *testing.T) {
	prev, _ := yamldoc.ParseVersion(version(0))
	for i := 1; i < 20000; i += 7 {
		v, err := yamldoc.ParseVersion(version(i))
		if err != nil || !v.GreaterThan(prev) {
			t.Fatalf("version(%d) = %s after %s", i, version(i), prev)
		}
		prev = v
	}
}

// BenchmarkPathPolicy is `upgradegate path`'s own work on the generated
// policies without the process: parse and decode the policy, build its
// engine, suggest the path from the first release to the last. Its CPU
// profile (-cpuprofile) shows where the whole-process time goes without the
// noise of starting a process.
func BenchmarkPathPolicy(b *testing.B) {
	for _, n := range []int{2000, 20000} {
		text := []byte(pathPolicy(n))
		from, _ := yamldoc.ParseVersion(version(0))
		to, _ := yamldoc.ParseVersion(version(n - 1))
		b.Run(fmt.Sprintf("releases=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				p, fs, err := policy.Parse("big.yaml", text)
				if err != nil || len(fs) != 0 || p.Engine == nil {
					b.Fatalf("policy.Parse: %v, findings %v", err, fs)
				}
				if _, err := p.Engine.Suggest(from, to); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
