package upgradepath

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	version "github.com/hashicorp/go-version"
)

// benchRules generates n releases (majors from 1, 100 minors of 10 patches
// each), 300 required stops spread over them, maxStep {major: 1, minor: 5}
// and 3 blocked entries.
func benchRules(n int) Rules {
	var r Rules
	for i := range n {
		r.Releases = append(r.Releases, v(fmt.Sprintf("%d.%d.%d", 1+i/1000, i/10%100, i%10)))
	}
	// Releases arrive unsorted: reverse them.
	for i, j := 0, len(r.Releases)-1; i < j; i, j = i+1, j-1 {
		r.Releases[i], r.Releases[j] = r.Releases[j], r.Releases[i]
	}
	for i := range 300 {
		s := r.Releases[(i*n/300+n/600)%n]
		r.Stops = append(r.Stops, Stop{Version: s, Raw: s.Original(), Index: i})
	}
	r.MaxStep = MaxStep{Major: 1, HasMajor: true, Minor: 5, HasMinor: true}
	r.Blocked = []Blocked{
		block(">= 1.10.0, < 1.10.5", ">= 1.11.0", 0),
		block(">= 2.0.0, < 2.20.0", ">= 2.40.0, < 2.60.0", 1),
		block("~> 1.97.0", ">= 2.0.0", 2),
	}
	return r
}

var benchSizes = []int{2000, 5000, 10000, 20000}

func BenchmarkSuggestPath(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("releases=%d", n), func(b *testing.B) {
			e := New(benchRules(n))
			from, to := v("1.0.0"), e.rel[len(e.rel)-1].Go()
			path, err := e.Suggest(from, to)
			if err != nil {
				b.Fatal(err)
			}
			if vio := e.Validate(from, to, path); len(vio) != 0 {
				b.Fatalf("suggested path has violations: %v", vio)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := e.Suggest(from, to); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(path)+1), "hops")
		})
	}
}

// BenchmarkSuggestNoPath measures the failing search: the target lies two
// majors past the last release, so the backward search stops at once and
// the forward pass that explains the failure covers every release.
func BenchmarkSuggestNoPath(b *testing.B) {
	e := New(benchRules(20000))
	from, to := v("1.0.0"), v("22.0.0")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.Suggest(from, to); !errors.Is(err, ErrNoPath) {
			b.Fatalf("Suggest() error = %v, want ErrNoPath", err)
		}
	}
}

func BenchmarkNew(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("releases=%d", n), func(b *testing.B) {
			r := benchRules(n)
			b.ReportAllocs()
			for b.Loop() {
				New(r)
			}
		})
	}
}

func BenchmarkValidate(b *testing.B) {
	e := New(benchRules(20000))
	from, to := v("1.0.0"), e.rel[len(e.rel)-1].Go()
	path, err := e.Suggest(from, to)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		e.Validate(from, to, path)
	}
}

// benchGraph is benchRules(20000) with an update graph of 200,000 edges:
// each release has edges to the next five releases and to five more within
// the next 400 (a Cincinnati channel's shape: patches, and the next minors),
// every tenth of them conditional.
func benchGraph() Rules {
	r := benchRules(20000)
	rel := slices.Clone(r.Releases)
	slices.SortFunc(rel, func(a, b *version.Version) int { return a.Compare(b) })
	rnd := rand.New(rand.NewPCG(7, 8))
	r.Graphs = []string{"vendor/ocp/graph.json"}
	for i, u := range rel {
		for k := 1; k <= 10 && i+1 < len(rel); k++ {
			j := i + k
			if k > 5 {
				j = i + 6 + rnd.IntN(395)
			}
			if j >= len(rel) {
				j = len(rel) - 1
			}
			e := Edge{From: u, To: rel[j]}
			if len(r.Edges)%10 == 0 {
				e.Risks = []Risk{{Name: "SomeRisk", Message: "breaks something", URL: "https://example.com/risk"}}
			}
			r.Edges = append(r.Edges, e)
		}
	}
	return r
}

// BenchmarkSuggestGraph measures Suggest along a 20,000-node graph with
// 200,000 edges (target: under 20 ms per suggestion) and, beside it, the
// floor: one plain breadth-first search backwards over the same edges,
// with no path rule at all, which any search along the graph must do. The
// ratio of the two, taken in the same run, is the engine's overhead.
func BenchmarkSuggestGraph(b *testing.B) {
	r := benchGraph()
	e := New(r)
	from, to := e.rel[0].Go(), e.rel[len(e.rel)-1].Go()
	path, err := e.Suggest(from, to)
	if err != nil {
		b.Fatal(err)
	}
	if vio := e.Validate(from, to, path); len(vio) != 0 {
		b.Fatalf("suggested path has violations: %v", vio[0])
	}
	b.Run("suggest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.Suggest(from, to); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(path)+1), "hops")
		b.ReportMetric(float64(len(e.g.outTo)), "edges")
	})
	b.Run("floor", func(b *testing.B) {
		g := e.g
		n := int32(len(e.rel))
		b.ReportAllocs()
		for b.Loop() {
			seen := make([]bool, n)
			queue := make([]int32, 0, n)
			queue = append(queue, n-1)
			seen[n-1] = true
			for head := 0; head < len(queue); head++ {
				v := queue[head]
				if v == 0 {
					break
				}
				for _, u := range g.inFrom[g.inStart[v]:g.inStart[v+1]] {
					if !seen[u] {
						seen[u] = true
						queue = append(queue, u)
					}
				}
			}
		}
	})
}

// BenchmarkNewGraph measures preparing the engine with the graph of
// BenchmarkSuggestGraph (once per policy and run).
func BenchmarkNewGraph(b *testing.B) {
	r := benchGraph()
	b.ReportAllocs()
	for b.Loop() {
		New(r)
	}
}

// benchCompat is benchRules(20000) with 201 compatibility rows: the last
// patch of every series of majors 1 and 2 (where a plain suggestion stops)
// needs a database the environment does not have, each row written with
// alternatives, and one relative row covers every release.
func benchCompat() (Rules, Env) {
	r := benchRules(20000)
	for maj := 1; maj <= 2; maj++ {
		for mi := range 100 {
			r.Rows = append(r.Rows, Row{
				Versions: constraint(fmt.Sprintf("= %d.%d.9 || = %d.%d.9-rc1", maj, mi, maj, mi)),
				Requires: []Requirement{{Component: "db", Constraint: constraint(">= 99, < 100 || >= 200")}},
			})
		}
	}
	r.Rows = append(r.Rows, Row{Versions: constraint(">= 0"), Requires: []Requirement{{Component: "k", Relative: &Relative{Major: true, Lo: -20, Hi: 20}}}})
	return r, Env{"db": v("16.1"), "k": v("5.0")}
}

// BenchmarkSuggestCompatible measures SuggestFor over 20,000 releases with
// compatibility rows (target: under 20 ms per suggestion) and, beside it,
// the floor: Suggest on the same engine without an environment. The ratio
// of the two, taken in the same run, is the cost of ranking by
// compatibility.
func BenchmarkSuggestCompatible(b *testing.B) {
	r, env := benchCompat()
	e := New(r)
	from, to := v("1.0.0"), e.rel[len(e.rel)-1].Go()
	plain, err := e.Suggest(from, to)
	if err != nil {
		b.Fatal(err)
	}
	sg, err := e.SuggestFor(from, to, env)
	if err != nil || sg.Incompatible != 0 {
		b.Fatalf("SuggestFor() = %v, %v: want a compatible route", sg, err)
	}
	if vio := e.Validate(from, to, sg.Stops); len(vio) != 0 {
		b.Fatalf("suggested path has violations: %v", vio[0])
	}
	changed := 0
	for _, st := range sg.Stops {
		if !e.Compatible(env, st) {
			b.Fatalf("stop %s is not compatible", st.Original())
		}
	}
	for _, st := range plain {
		if !e.Compatible(env, st) {
			changed++
		}
	}
	if changed == 0 {
		b.Fatal("the plain suggestion is compatible already: the benchmark measures nothing")
	}
	b.Run("suggest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.SuggestFor(from, to, env); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(sg.Stops)+1), "hops")
		b.ReportMetric(float64(len(r.Rows)), "rows")
		b.ReportMetric(float64(changed), "avoided")
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := e.Suggest(from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
}
