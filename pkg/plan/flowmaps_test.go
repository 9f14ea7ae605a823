package plan

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	version "github.com/hashicorp/go-version"
)

// flowByMaps is flow as it was written before the flow kept its
// environments in sorted slices (maps, copied per step), the reference of
// TestFlowMatchesMaps. It returns each step's up; flow's other results are
// the steps' Env, Findings and contradicted, as flow leaves them.
//
// flowByMaps computes each step's environment along the order: what the steps
// before it leave, today's value of a chain (its first from) or the first
// declaration of a component no manifest upgrades, then what the step
// declares. A declared value that differs is UG801, or UG802 when an
// upgrade of the plan that is not ordered before the step provides it.
func (p *Plan) flowByMaps() map[int]map[string]int {
	ups := map[int]map[string]int{}
	firstDecl := map[string]int{} // a component no chain upgrades -> the step that declared it first for today
	var contradictions []pending
	// envs[i] is step i's environment while the flow runs (Env keeps it
	// sorted afterwards); what a step leaves is its environment with its own
	// component at `to` when it is in its chain
	envs := make([]map[string]EnvAt, len(p.Steps))
	leaves := func(pb *Step, fn func(c string, e EnvAt)) {
		for c, e := range envs[pb.Index] {
			if !(pb.InChain() && c == pb.Component) {
				fn(c, e)
			}
		}
		if pb.InChain() {
			fn(pb.Component, EnvAt{Name: pb.Component, Version: pb.To, Source: pb.Index, Upgrade: true})
		}
	}
	for _, i := range p.Order {
		s := p.Steps[i]
		up := map[string]int{}
		ups[i] = up
		inherited := map[string]EnvAt{}
		for _, b := range s.Before {
			pb := p.Steps[b]
			if pb.Pos > s.Pos {
				continue // the edge a cycle was broken at
			}
			for c, k := range ups[pb.Index] {
				if cur, ok := up[c]; !ok || k > cur {
					up[c] = k
				}
			}
			if pb.InChain() {
				if cur, ok := up[pb.Component]; !ok || pb.chainPos > cur {
					up[pb.Component] = pb.chainPos
				}
			}
			leaves(pb, func(c string, e EnvAt) {
				if cur, ok := inherited[c]; !ok || p.sourcePos(e) > p.sourcePos(cur) {
					inherited[c] = e
				}
			})
		}
		// (ancestor reads the step's up as flow leaves it)
		for c, k := range up {
			s.up = append(s.up, upAt{c, k})
		}
		slices.SortFunc(s.up, func(a, b upAt) int { return strings.Compare(a.component, b.component) })
		// a chain's latest upgrade before the step sets its component
		for c, k := range up {
			u := p.Steps[p.chains[c][k]]
			inherited[c] = EnvAt{Name: c, Version: u.To, Source: u.Index, Upgrade: true}
		}
		env := inherited // what the steps before it leave, then what it declares
		for c, e := range env {
			e.Declared = false
			env[c] = e
		}
		for _, e := range s.Environment {
			if e.Version.Raw == "" {
				continue
			}
			exp, ok := inherited[e.Name]
			if !ok && !s.Done() {
				if chain := p.chains[e.Name]; len(chain) > 0 && e.Name != s.Component {
					exp, ok = p.today(e.Name), true
				} else if j, seen := firstDecl[e.Name]; seen {
					exp, ok = p.declared(j, e.Name)
				} else {
					firstDecl[e.Name] = i
				}
			}
			if ok && s.Checkable && !equal(e.Version, exp.Version) {
				contradictions = append(contradictions, pending{step: i, env: e, expected: exp})
			}
			env[e.Name] = EnvAt{Name: e.Name, Version: e.Version, Source: i, Declared: true}
		}
		s.Env = make([]EnvAt, 0, len(env))
		for c, e := range env {
			if c != s.Component {
				s.Env = append(s.Env, e)
			}
		}
		sort.Slice(s.Env, func(a, b int) bool { return s.Env[a].Name < s.Env[b].Name })
		envs[i] = env
	}
	for _, c := range contradictions {
		if !p.Steps[c.step].OrderBroken() {
			p.contradiction(c) // else the broken order is the one mistake
		}
	}
	return ups
}

// TestFlowMatchesMaps: on random plans (some large enough that the
// contradictions are reported on every CPU; chains that follow, overlap and
// leave gaps, failed upgrades out of their chain, after lists with names
// that exist and do not and cycles, done manifests, environments that
// declare a component twice, leave a version empty, agree with the plan or
// contradict it), flow gives every step the environment, findings,
// contradictions and chain ancestry the map-based flow gave.
func TestFlowMatchesMaps(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(12, 2026))
	for round := 0; round < 202; round++ {
		n := 1 + rng.IntN(40)
		if round >= 200 {
			n = 500 // enough contradictions for them to be reported on every CPU
		}
		hs := randomHeaders(rng, n)
		got, want := build(hs), build(hs)
		got.flow()
		ups := want.flowByMaps()
		for i := range got.Steps {
			g, w := got.Steps[i], want.Steps[i]
			name := fmt.Sprintf("round %d, step %d (%s)", round, i, g.Name)
			if d := cmp.Diff(w.Env, g.Env, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s: Env (-maps +flow):\n%s", name, d)
			}
			if d := cmp.Diff(w.Findings, g.Findings, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s: Findings (-maps +flow):\n%s", name, d)
			}
			if d := cmp.Diff(w.contradicted, g.contradicted, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s: contradicted (-maps +flow):\n%s", name, d)
			}
			up := map[string]int{}
			for _, u := range g.up {
				up[u.component] = u.pos
			}
			if d := cmp.Diff(ups[i], up, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s: up (-maps +flow):\n%s", name, d)
			}
			if !slices.IsSortedFunc(g.up, func(a, b upAt) int { return strings.Compare(a.component, b.component) }) {
				t.Fatalf("%s: up is not sorted: %v", name, g.up)
			}
		}
	}
}

// randomHeaders makes n headers over four components (and two that only
// environments name), for TestFlowMatchesMaps.
func randomHeaders(rng *rand.Rand, n int) []*Header {
	comps := []string{"app", "db", "cache", "queue", "os", "net"}
	ver := func(line int) Version {
		raw := fmt.Sprintf("1.%d.0", rng.IntN(6))
		return Version{Raw: raw, V: version.Must(version.NewVersion(raw)), Path: "spec.x", Pos: Pos{Line: line, Column: 7}}
	}
	var hs []*Header
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("m%d", i)
		from := ver(8)
		to := from
		to.Raw = fmt.Sprintf("1.%d.0", from.V.Segments()[1]+1+rng.IntN(2))
		to.V = version.Must(version.NewVersion(to.Raw))
		to.Pos.Line = 9
		h := &Header{File: "upgrades/" + name + ".yaml", Line: 1, Name: name, NamePos: Pos{Line: 4, Column: 9},
			Component: comps[rng.IntN(4)], From: from, To: to, Checkable: rng.IntN(10) > 0, Checked: true}
		switch rng.IntN(12) {
		case 0:
			h.Outcome = "failed"
		case 1:
			h.HasOutcome = true // done
		}
		for k := rng.IntN(3); k > 0; k-- {
			a := fmt.Sprintf("m%d", rng.IntN(n+2)) // sometimes none, sometimes itself, sometimes a cycle
			h.After = append(h.After, Ref{Name: a, Path: fmt.Sprintf("spec.after[%d]", len(h.After)), Pos: Pos{Line: 10, Column: 12}})
		}
		for k := rng.IntN(5); k > 0; k-- {
			v := ver(12 + len(h.Environment))
			if rng.IntN(8) == 0 {
				v = Version{Path: "spec.y", Pos: Pos{Line: 20, Column: 3}}
			}
			h.Environment = append(h.Environment, Env{Name: comps[rng.IntN(len(comps))], Version: v})
		}
		hs = append(hs, h)
	}
	return hs
}

// TestChainsOnEveryCPU: linking the chains on several goroutines (each
// chain's sort, edges and UG801) gives every step what linking them one
// after the other gives: its chain position, the steps before and after
// it, its findings in the same order, its place in the order.
func TestChainsOnEveryCPU(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 2026))
	for round := 0; round < 4; round++ {
		hs := randomHeaders(rng, 2*chainWork+rng.IntN(200)) // four chains, enough steps for the goroutines
		serial, parallel := buildOn(hs, 1), buildOn(hs, 4)
		if d := cmp.Diff(serial.Order, parallel.Order); d != "" {
			t.Fatalf("round %d: Order (-serial +parallel):\n%s", round, d)
		}
		overlaps := 0
		for i := range serial.Steps {
			s, p := serial.Steps[i], parallel.Steps[i]
			name := fmt.Sprintf("round %d, step %d (%s)", round, i, s.Name)
			if s.chainPos != p.chainPos || s.Pos != p.Pos {
				t.Fatalf("%s: chain position %d, plan position %d; want %d, %d", name, p.chainPos, p.Pos, s.chainPos, s.Pos)
			}
			if d := cmp.Diff(s.Before, p.Before); d != "" {
				t.Fatalf("%s: Before (-serial +parallel):\n%s", name, d)
			}
			if d := cmp.Diff(s.succs, p.succs); d != "" {
				t.Fatalf("%s: succs (-serial +parallel):\n%s", name, d)
			}
			if d := cmp.Diff(s.Findings, p.Findings, cmpopts.EquateEmpty()); d != "" {
				t.Fatalf("%s: Findings (-serial +parallel):\n%s", name, d)
			}
			for _, f := range s.Findings {
				if strings.Contains(f.Message, " overlaps ") {
					overlaps++
				}
			}
		}
		if overlaps == 0 {
			t.Fatalf("round %d: no chain overlaps (UG801), want the random plan to have some", round)
		}
	}
}
