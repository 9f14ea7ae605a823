package plan

import (
	"container/heap"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Plan is every manifest of a run in order.
type Plan struct {
	// Steps are the manifests in the order Build was given them.
	Steps []*Step
	// Order lists the indices of Steps in the plan's order: a topological
	// order of spec.after and the chains, ties broken by component name,
	// then by the order given (stable).
	Order []int

	chains map[string][]int // component -> its chain, by from
}

// Step is one manifest's place in the plan.
type Step struct {
	*Header
	Index int // in Plan.Steps
	Pos   int // in Plan.Order

	// Before lists the steps ordered directly before this one: the
	// manifests spec.after names and the one before it in its chain.
	Before []int
	// Env is the environment when the step starts, by name: what the steps
	// before it leave (their environment, updated by each one's `to`) and
	// what the manifest declares itself.
	Env []EnvAt
	// Findings are the plan rules' findings about this manifest (UG801,
	// UG802 for a contradiction, UG803).
	Findings []finding.Finding

	chainPos int // in its component's chain, -1 when out of it
	// contradicted holds the plan's value of each component whose declared
	// value UG801 reports
	contradicted map[string]EnvAt
	inCycle      bool
	succs        []int
	// up holds, per component (sorted by it), the chain position of the
	// latest step of that component's chain ordered before this one (its
	// ancestors upgrading it)
	up []upAt
}

// EnvAt is one environment value at a point of the plan, and where it
// comes from.
type EnvAt struct {
	Name string
	Version
	// Source is the step that set it: the manifest that declares it, or the
	// upgrade whose `to` it is; -1 when it is today's value of a chain
	// (the first `from`), then Source names nothing and Today is true.
	Source int
	// Upgrade is true when the value is the `to` of the Source step.
	Upgrade bool
	// Declared is true when the step itself declares the value.
	Declared bool
}

// OrderBroken reports whether the step's place in the order is not known:
// its after names no manifest or itself, or it is in a cycle (UG803). The
// environment there is then not judged: the order is the one mistake.
func (s *Step) OrderBroken() bool {
	if s.inCycle {
		return true
	}
	for _, f := range s.Findings {
		if f.Rule == rules.UG803 {
			return true
		}
	}
	return false
}

// InChain reports whether the step is in its component's chain.
func (s *Step) InChain() bool { return s.chainPos >= 0 }

// Build orders the headers into a plan and finds UG801 (environments that
// contradict, chains that overlap or leave a gap), UG802 (a contradiction an
// upgrade not ordered before explains) and UG803 (after names no manifest
// or itself, or the order has a cycle).
func Build(hs []*Header) *Plan {
	p := build(hs)
	p.flow()
	return p
}

// build is Build up to the order: the steps, their edges and chains, the
// findings about them, before the environment flows.
func build(hs []*Header) *Plan { return buildOn(hs, runtime.GOMAXPROCS(0)) }

// buildOn is build with the chains linked on at most workers goroutines.
func buildOn(hs []*Header, workers int) *Plan {
	p := &Plan{Steps: make([]*Step, len(hs)), chains: map[string][]int{}}
	for i, h := range hs {
		p.Steps[i] = &Step{Header: h, Index: i, chainPos: -1}
	}
	edges := make([]map[int]bool, len(hs)) // i -> its direct predecessors
	addEdge := func(from, to int) {
		if edges[to] == nil {
			edges[to] = map[int]bool{}
		}
		if !edges[to][from] {
			edges[to][from] = true
			p.Steps[to].Before = append(p.Steps[to].Before, from)
			p.Steps[from].succs = append(p.Steps[from].succs, to)
		}
	}

	// spec.after, resolved by metadata.name (a duplicate name is UG004 at
	// its second manifest; after names the first)
	names := map[string]int{}
	var allNames []string
	dup := make([]bool, len(hs)) // a second manifest of a name (UG004): out of the chains, or it would overlap its copy
	for i, h := range hs {
		if _, seen := names[h.Name]; h.Name != "" && !seen {
			names[h.Name] = i
			allNames = append(allNames, h.Name)
		} else if seen {
			dup[i] = true
		}
	}
	for i, s := range p.Steps {
		for _, a := range s.After {
			j, ok := names[a.Name]
			switch {
			case !ok:
				hint := "name a manifest by its metadata.name"
				if near, ok := nearestName(a.Name, allNames); ok {
					hint = fmt.Sprintf("did you mean %q?", near)
				}
				s.add(rules.UG803, a.Path, a.Pos, hint, "after names %q, which no manifest of the run has", a.Name)
			case j == i:
				s.add(rules.UG803, a.Path, a.Pos, "remove it: a manifest cannot be completed before it starts",
					"after names %q, the manifest itself", a.Name)
			default:
				addEdge(j, i)
			}
		}
	}

	// chains: a component's manifests that are not failed or rolled back,
	// by from; each follows the one before it
	for i, h := range hs {
		if h.Component != "" && h.From.V != nil && h.To.V != nil && !h.OutOfChain() && !dup[i] {
			p.chains[h.Component] = append(p.chains[h.Component], i)
		}
	}
	// each chain on its own: a step is in one chain at most, so the chains
	// touch disjoint steps (their chain positions, the edge into each, their
	// findings) and can be worked on every CPU
	chains := make([][]int, 0, len(p.chains))
	for _, chain := range p.chains {
		chains = append(chains, chain)
	}
	eachChain(chains, workers, func(chain []int) { p.link(hs, chain, addEdge) })

	p.order()
	return p
}

// link sorts one component's chain by from, then to, orders each of its
// steps after the one before it, and finds where the chain overlaps or
// leaves a gap (UG801).
func (p *Plan) link(hs []*Header, chain []int, addEdge func(from, to int)) {
	// every step's from and to read once (upgradepath.Compare copies both
	// versions' segments on each call), sorted with the chain
	type linked struct {
		i        int
		from, to upgradepath.Key
	}
	ks := make([]linked, len(chain))
	for k, i := range chain {
		ks[k] = linked{i, upgradepath.KeyOf(hs[i].From.V), upgradepath.KeyOf(hs[i].To.V)}
	}
	slices.SortStableFunc(ks, func(x, y linked) int {
		if c := upgradepath.CompareKeys(&x.from, &y.from); c != 0 {
			return c
		}
		return upgradepath.CompareKeys(&x.to, &y.to)
	})
	for k := range ks {
		chain[k] = ks[k].i
	}
	reach := -1 // the step reaching furthest so far
	var reachTo *upgradepath.Key
	for k, i := range chain {
		s := p.Steps[i]
		s.chainPos = k
		if k == 0 {
			reach, reachTo = i, &ks[k].to
			continue
		}
		addEdge(chain[k-1], i)
		r := p.Steps[reach]
		switch c := upgradepath.CompareKeys(&ks[k].from, reachTo); {
		case c < 0:
			s.add(rules.UG801, s.From.Path, s.From.Pos,
				"start where the manifest before it ends, or mark a failed attempt with its outcome (outcome.result: failed keeps it out of the chain)",
				"%s overlaps %s (%s): both upgrade %s across %q (%s starts at %q, %s ends at %q)",
				s.Label(), r.Label(), where(r.Header, r.NamePos), s.Component, s.From.Raw, s.Label(), s.From.Raw, r.Label(), r.To.Raw)
		case c > 0:
			s.add(rules.UG801, s.From.Path, s.From.Pos,
				fmt.Sprintf("start at %q, or add the manifest for the upgrade from %q to %q", r.To.Raw, r.To.Raw, s.From.Raw),
				"%s starts at %q, but %s (%s), the manifest before it in %s's chain, ends at %q: no manifest upgrades %s from %q to %q",
				s.Label(), s.From.Raw, r.Label(), where(r.Header, r.To.Pos), s.Component, r.To.Raw, s.Component, r.To.Raw, s.From.Raw)
		}
		if upgradepath.CompareKeys(&ks[k].to, reachTo) > 0 {
			reach, reachTo = i, &ks[k].to
		}
	}
}

// chainWork is the least number of chained steps worth a goroutine per
// CPU for linking the chains.
const chainWork = 256

// eachChain runs fn on every chain, on up to workers goroutines when
// there are several chains and enough steps in them.
func eachChain(chains [][]int, workers int, fn func([]int)) {
	total := 0
	for _, c := range chains {
		total += len(c)
	}
	workers = min(workers, len(chains))
	if workers < 2 || total < chainWork {
		for _, c := range chains {
			fn(c)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < len(chains); k = int(next.Add(1)) - 1 {
				fn(chains[k])
			}
		})
	}
	wg.Wait()
}

// add records a plan finding about the step's manifest at pos.
func (s *Step) add(rule rules.ID, node string, pos Pos, hint, format string, args ...any) {
	f := finding.New(rule, s.File, pos.Line, pos.Column, fmt.Sprintf(format, args...), hint)
	f.Node, f.Manifest = node, s.Name
	s.Findings = append(s.Findings, f)
}

// where is "FILE:LINE:COLUMN" (concatenated: it is in every plan
// contradiction's message).
func where(h *Header, p Pos) string {
	return h.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Column)
}

// order sorts the steps topologically (Kahn's algorithm); among the steps
// ready at once the one of the least component name goes first, then the
// one given first. A cycle is UG803 at a spec.after entry of it; the plan
// then goes on with its least step, as if the edge into it were not there.
func (p *Plan) order() {
	n := len(p.Steps)
	indeg := make([]int, n)
	for _, s := range p.Steps {
		indeg[s.Index] = len(s.Before)
	}
	ready := &stepHeap{steps: p.Steps}
	for i := range p.Steps {
		if indeg[i] == 0 {
			heap.Push(ready, i)
		}
	}
	placed := make([]bool, n)
	inCycle := make([]bool, n)
	p.Order = make([]int, 0, n)
	place := func(i int) {
		placed[i] = true
		p.Steps[i].Pos = len(p.Order)
		p.Order = append(p.Order, i)
		for _, j := range p.Steps[i].succs {
			if indeg[j]--; indeg[j] == 0 {
				heap.Push(ready, j)
			}
		}
	}
	next := 0 // the least index not placed, for breaking cycles
	for len(p.Order) < n {
		if ready.Len() > 0 {
			place(heap.Pop(ready).(int))
			continue
		}
		for placed[next] {
			next++
		}
		p.reportCycle(next, placed, inCycle)
		indeg[next] = 0
		place(next)
	}
}

// reportCycle walks back from start along steps not yet placed (each has
// one, or it would be ready) until a step repeats, and reports that cycle
// once.
func (p *Plan) reportCycle(start int, placed, inCycle []bool) {
	seenAt := map[int]int{}
	var walk []int
	v := start
	for {
		if at, ok := seenAt[v]; ok {
			walk = walk[at:]
			break
		}
		seenAt[v] = len(walk)
		walk = append(walk, v)
		pred := -1
		for _, u := range p.Steps[v].Before {
			if !placed[u] {
				pred = u
				break
			}
		}
		if pred < 0 {
			return // cannot happen: a step not ready has a predecessor not placed
		}
		v = pred
	}
	for _, i := range walk {
		if inCycle[i] {
			return // reported with another cycle through it
		}
	}
	// walk runs against the order: walk[k+1] comes before walk[k]
	cycle := make([]int, len(walk))
	for k, i := range walk {
		cycle[len(walk)-1-k] = i
		inCycle[i] = true
		p.Steps[i].inCycle = true
	}
	// the finding points at the after entry of the cycle's first manifest
	// (as given) that has one in it; the list starts there
	at, first := -1, 0
	var ref Ref
	for k, i := range cycle {
		prev := p.Steps[cycle[(k+len(cycle)-1)%len(cycle)]]
		if r, ok := p.Steps[i].afterRef(prev.Name); ok && (at < 0 || i < at) {
			at, ref, first = i, r, k
		}
	}
	if at < 0 {
		return // a chain alone has no cycle
	}
	cycle = append(cycle[first:], cycle[:first]...)
	labels := make([]string, 0, len(cycle)+1)
	var why []string
	for k, i := range cycle {
		s := p.Steps[i]
		labels = append(labels, s.Label())
		next := p.Steps[cycle[(k+1)%len(cycle)]]
		if _, ok := next.afterRef(s.Name); ok {
			why = append(why, fmt.Sprintf("%s names %s in after", next.Label(), s.Label()))
		} else {
			why = append(why, fmt.Sprintf("%s follows %s in %s's chain", next.Label(), s.Label(), s.Component))
		}
	}
	labels = append(labels, labels[0])
	p.Steps[at].add(rules.UG803, ref.Path, ref.Pos,
		"remove one of these after entries: one of the manifests must come first",
		"the order has a cycle: %s (%s)", strings.Join(labels, " → "), strings.Join(why, "; "))
}

// afterRef returns the spec.after entry that names name.
func (s *Step) afterRef(name string) (Ref, bool) {
	for _, r := range s.After {
		if r.Name == name && name != "" {
			return r, true
		}
	}
	return Ref{}, false
}

// stepHeap is the steps ready to be placed, least component name first,
// then least index.
type stepHeap struct {
	steps []*Step
	items []int
}

func (h *stepHeap) Len() int { return len(h.items) }
func (h *stepHeap) Less(a, b int) bool {
	x, y := h.steps[h.items[a]], h.steps[h.items[b]]
	if x.Component != y.Component {
		return x.Component < y.Component
	}
	return x.Index < y.Index
}
func (h *stepHeap) Swap(a, b int) { h.items[a], h.items[b] = h.items[b], h.items[a] }
func (h *stepHeap) Push(x any)    { h.items = append(h.items, x.(int)) }
func (h *stepHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// nearestName is the "did you mean" for a name after gives: among at most
// maxSuggest names (each comparison costs an edit distance).
func nearestName(name string, names []string) (string, bool) {
	const maxSuggest = 5000
	if len(names) > maxSuggest {
		return "", false
	}
	return yamldoc.Nearest(name, names)
}
