package plan

import (
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// pending is a declared environment value that differs from what the plan
// has at that point, judged once every step's ancestors are known.
type pending struct {
	step     int
	env      Env
	expected EnvAt
}

// flow computes each step's environment along the order: what the steps
// before it leave, today's value of a chain (its first from) or the first
// declaration of a component no manifest upgrades, then what the step
// declares. A declared value that differs is UG801, or UG802 when an
// upgrade of the plan that is not ordered before the step provides it.
//
// Every environment is a slice sorted by name, and a step's is made by
// merging its predecessors' (no map per step, none copied): linear in the
// size of the environments, whatever the order of the declarations.
func (p *Plan) flow() {
	firstDecl := map[string]int{}  // a component no chain upgrades -> the step that declared it first for today
	var contradictions [][]pending // each step's, in the order
	// own[i] is step i's value of its own component, kept apart from its
	// Env (which leaves it out) for what a step out of its chain leaves
	own := make([]EnvAt, len(p.Steps))
	hasOwn := make([]bool, len(p.Steps))
	var inherited, leaves, declared, scratch []EnvAt
	var ups, upScratch []upAt
	var decl []int
	// the steps' up and Env are carved out of shared slabs (each clipped
	// to its length), not one allocation per step
	var upSlab []upAt
	var envSlab []EnvAt
	newer := func(cur, e EnvAt) bool { return p.sourcePos(e) > p.sourcePos(cur) }
	for _, i := range p.Order {
		s := p.Steps[i]
		inherited, ups = inherited[:0], ups[:0]
		for _, b := range s.Before {
			pb := p.Steps[b]
			if pb.Pos > s.Pos {
				continue // the edge a cycle was broken at
			}
			upScratch = mergeUp(upScratch[:0], ups, pb.up)
			ups, upScratch = upScratch, ups
			if pb.InChain() {
				upScratch = mergeUp(upScratch[:0], ups, []upAt{{pb.Component, pb.chainPos}})
				ups, upScratch = upScratch, ups
			}
			// what pb leaves: its environment with its own component at
			// `to` when it is in its chain
			leaves = append(leaves[:0], pb.Env...)
			switch {
			case pb.InChain():
				leaves = putEnv(leaves, EnvAt{Name: pb.Component, Version: pb.To, Source: pb.Index, Upgrade: true})
			case hasOwn[pb.Index]:
				leaves = putEnv(leaves, own[pb.Index])
			}
			scratch = mergeEnv(scratch[:0], inherited, leaves, newer)
			inherited, scratch = scratch, inherited
		}
		if len(ups) > 0 {
			if cap(upSlab)-len(upSlab) < len(ups) {
				upSlab = make([]upAt, 0, max(slabSize, len(ups)))
			}
			n := len(upSlab)
			upSlab = append(upSlab, ups...)
			s.up = upSlab[n:len(upSlab):len(upSlab)]
		}
		// a chain's latest upgrade before the step sets its component
		leaves = leaves[:0]
		for _, u := range s.up {
			st := p.Steps[p.chains[u.component][u.pos]]
			leaves = append(leaves, EnvAt{Name: u.component, Version: st.To, Source: st.Index, Upgrade: true})
		}
		scratch = mergeEnv(scratch[:0], inherited, leaves, always)
		inherited, scratch = scratch, inherited
		for k := range inherited {
			inherited[k].Declared = false
		}
		// then what it declares, by name (a name declared twice: the later
		// one is judged against the earlier), its contradictions in the
		// order of the declarations
		decl = decl[:0]
		for k, e := range s.Environment {
			if e.Version.Raw != "" {
				decl = append(decl, k)
			}
		}
		slices.SortStableFunc(decl, func(a, b int) int { return strings.Compare(s.Environment[a].Name, s.Environment[b].Name) })
		var found []pending
		var at []int // the declaration of each of found
		declared = declared[:0]
		for n, k := range decl {
			e := s.Environment[k]
			var exp EnvAt
			var ok bool
			if n > 0 && s.Environment[decl[n-1]].Name == e.Name {
				exp, ok = declared[len(declared)-1], true
				declared = declared[:len(declared)-1]
			} else if exp, ok = findEnv(inherited, e.Name); !ok && !s.Done() {
				if chain := p.chains[e.Name]; len(chain) > 0 && e.Name != s.Component {
					exp, ok = p.today(e.Name), true
				} else if j, seen := firstDecl[e.Name]; seen {
					exp, ok = p.declared(j, e.Name)
				} else {
					firstDecl[e.Name] = i
				}
			}
			if ok && s.Checkable && !equal(e.Version, exp.Version) {
				found = append(found, pending{step: i, env: e, expected: exp})
				at = append(at, k)
			}
			declared = append(declared, EnvAt{Name: e.Name, Version: e.Version, Source: i, Declared: true})
		}
		if len(found) > 1 {
			sort.Sort(byDeclaration{found, at})
		}
		if len(found) > 0 {
			contradictions = append(contradictions, found) // found is the step's own
		}
		if need := len(inherited) + len(declared); cap(envSlab)-len(envSlab) < need {
			envSlab = make([]EnvAt, 0, max(slabSize, need))
		}
		n := len(envSlab)
		envSlab = mergeEnv(envSlab, inherited, declared, always)
		env := envSlab[n:len(envSlab):len(envSlab)]
		if k, ok := slices.BinarySearchFunc(env, s.Component, func(e EnvAt, c string) int { return strings.Compare(e.Name, c) }); ok {
			own[i], hasOwn[i] = env[k], true
			env = slices.Delete(env, k, k+1)
		}
		s.Env = env
	}
	p.contradictions(contradictions)
}

// contradictions reports each pending contradiction (contradiction), on
// every CPU: groups holds each step's, a step's findings are its own, added
// in the order they come, and what they read of the plan no longer changes.
// The messages are most of the flow's time on a plan with many
// contradictions (789 in the bench corpus), and the run waits for the plan
// on one goroutine.
func (p *Plan) contradictions(groups [][]pending) {
	report := func(g []pending) {
		for _, c := range g {
			if !p.Steps[c.step].OrderBroken() {
				p.contradiction(c) // else the broken order is the one mistake
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(groups)/64) // a few: not worth a goroutine
	if workers < 2 {
		for _, g := range groups {
			report(g)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for k := int(next.Add(1)) - 1; k < len(groups); k = int(next.Add(1)) - 1 {
				report(groups[k])
			}
		})
	}
	wg.Wait()
}

// byDeclaration sorts one step's contradictions by the index of their
// declaration.
type byDeclaration struct {
	found []pending
	at    []int
}

func (d byDeclaration) Len() int           { return len(d.at) }
func (d byDeclaration) Less(a, b int) bool { return d.at[a] < d.at[b] }
func (d byDeclaration) Swap(a, b int) {
	d.found[a], d.found[b] = d.found[b], d.found[a]
	d.at[a], d.at[b] = d.at[b], d.at[a]
}

// slabSize is the least number of values a slab of flow holds.
const slabSize = 1024

// always takes the value merged in.
func always(_, _ EnvAt) bool { return true }

// mergeEnv appends to dst the union of a and b, both sorted by name with
// each name once: for a name in both, b's value when take(a's, b's) holds,
// else a's.
func mergeEnv(dst, a, b []EnvAt, take func(cur, e EnvAt) bool) []EnvAt {
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0].Name < b[0].Name:
			dst, a = append(dst, a[0]), a[1:]
		case b[0].Name < a[0].Name:
			dst, b = append(dst, b[0]), b[1:]
		default:
			if take(a[0], b[0]) {
				dst = append(dst, b[0])
			} else {
				dst = append(dst, a[0])
			}
			a, b = a[1:], b[1:]
		}
	}
	return append(append(dst, a...), b...)
}

// putEnv sets e in env, sorted by name.
func putEnv(env []EnvAt, e EnvAt) []EnvAt {
	k := sort.Search(len(env), func(k int) bool { return env[k].Name >= e.Name })
	if k < len(env) && env[k].Name == e.Name {
		env[k] = e
		return env
	}
	return slices.Insert(env, k, e)
}

// findEnv returns the value of name in env, sorted by name.
func findEnv(env []EnvAt, name string) (EnvAt, bool) {
	k := sort.Search(len(env), func(k int) bool { return env[k].Name >= name })
	if k < len(env) && env[k].Name == name {
		return env[k], true
	}
	return EnvAt{}, false
}

// upAt is, for one component, the chain position of the latest step of its
// chain ordered before a step.
type upAt struct {
	component string
	pos       int
}

// mergeUp appends to dst the union of a and b, both sorted by component:
// the later position of a component in both.
func mergeUp(dst, a, b []upAt) []upAt {
	for len(a) > 0 && len(b) > 0 {
		switch {
		case a[0].component < b[0].component:
			dst, a = append(dst, a[0]), a[1:]
		case b[0].component < a[0].component:
			dst, b = append(dst, b[0]), b[1:]
		default:
			dst = append(dst, upAt{a[0].component, max(a[0].pos, b[0].pos)})
			a, b = a[1:], b[1:]
		}
	}
	return append(append(dst, a...), b...)
}

// upOf returns the chain position of the latest step of component's chain
// ordered before s.
func (s *Step) upOf(component string) (int, bool) {
	k := sort.Search(len(s.up), func(k int) bool { return s.up[k].component >= component })
	if k < len(s.up) && s.up[k].component == component {
		return s.up[k].pos, true
	}
	return 0, false
}

// contradiction reports a declared value the plan does not have there:
// UG802 when an upgrade not ordered before the step provides it, else UG801.
func (p *Plan) contradiction(c pending) {
	s := p.Steps[c.step]
	if u := p.provider(c.step, c.env.Name, func(v Version) bool { return equal(v, c.env.Version) }); u != nil {
		line := p.AfterLine(c.step, u.Name)
		s.add(rules.UG802, c.env.Version.Path, c.env.Version.Pos, fmt.Sprintf("add %s to %s's spec", line, s.Label()),
			"%s %q is what %s (%s) upgrades %s to, but %s is not ordered before %s: without it, %s; add %s",
			c.env.Name, c.env.Version.Raw, u.Label(), where(u.Header, u.To.Pos), c.env.Name, u.Label(), s.Label(),
			p.Describe(c.expected, s), line)
		return
	}
	if s.contradicted == nil {
		s.contradicted = map[string]EnvAt{}
	}
	s.contradicted[c.env.Name] = c.expected
	s.add(rules.UG801, c.env.Version.Path, c.env.Version.Pos,
		fmt.Sprintf("write %s as it is when %s starts, or order the upgrade that changes it before %s with spec.after", c.env.Name, s.Label(), s.Label()),
		"environment %s %q contradicts the plan: %s, and no upgrade ordered in between explains the change",
		c.env.Name, c.env.Version.Raw, p.Describe(c.expected, s))
}

// Describe says where an environment value at step s comes from, naming
// its location: "postgres-14 (upgrades/pg-14.yaml:9:7) upgrades postgresql
// to "14.14" before gitlab-17 starts".
func (p *Plan) Describe(e EnvAt, s *Step) string {
	if e.Source < 0 {
		first := p.Steps[p.chains[e.Name][0]]
		return fmt.Sprintf("%s is %q today: %s (%s), the first of %s's chain, starts from it",
			e.Name, e.Raw, first.Label(), where(first.Header, first.From.Pos), e.Name)
	}
	src := p.Steps[e.Source]
	switch {
	case e.Upgrade:
		return src.Label() + " (" + where(src.Header, src.To.Pos) + ") upgrades " + e.Name + " to " + strconv.Quote(e.Raw) + " before " + s.Label() + " starts"
	case src.Pos < s.Pos && p.ancestor(src.Index, s.Index):
		return src.Label() + " (" + where(src.Header, e.Pos) + "), ordered before " + s.Label() + ", declares " + e.Name + " " + strconv.Quote(e.Raw)
	}
	return src.Label() + " (" + where(src.Header, e.Pos) + ") declares " + e.Name + " " + strconv.Quote(e.Raw) + " for today"
}

// today is a chain's value before any of it: its first from.
func (p *Plan) today(component string) EnvAt {
	first := p.Steps[p.chains[component][0]]
	return EnvAt{Name: component, Version: first.From, Source: -1}
}

// declared is step j's own declaration of component.
func (p *Plan) declared(j int, component string) (EnvAt, bool) {
	for _, e := range p.Steps[j].Environment {
		if e.Name == component {
			return EnvAt{Name: component, Version: e.Version, Source: j, Declared: true}, true
		}
	}
	return EnvAt{}, false
}

// sourcePos is the plan position of where a value comes from (-1: today).
func (p *Plan) sourcePos(e EnvAt) int {
	if e.Source < 0 {
		return -1
	}
	return p.Steps[e.Source].Pos
}

// Contradicted returns the plan's value of component at step i when the
// step declares another one and UG801 reports it: the checks that use the
// environment take the plan's, so the contradiction is the one finding.
func (p *Plan) Contradicted(i int, component string) (EnvAt, bool) {
	e, ok := p.Steps[i].contradicted[component]
	return e, ok
}

// ValueAt returns the environment value of component when step i starts:
// what flows to it or it declares, else today's value of the component's
// chain.
func (p *Plan) ValueAt(i int, component string) (EnvAt, bool) {
	s := p.Steps[i]
	k := sort.Search(len(s.Env), func(k int) bool { return s.Env[k].Name >= component })
	if k < len(s.Env) && s.Env[k].Name == component {
		return s.Env[k], true
	}
	if len(p.chains[component]) > 0 && component != s.Component {
		return p.today(component), true
	}
	return EnvAt{}, false
}

// Providers returns the steps of component's chain that step i could be
// ordered after but is not: neither before it nor after it, in chain order.
func (p *Plan) Providers(i int, component string) []*Step {
	var out []*Step
	for _, j := range p.chains[component] {
		if j != i && !p.ancestor(j, i) && !p.ancestor(i, j) {
			out = append(out, p.Steps[j])
		}
	}
	return out
}

// provider is the first of Providers whose `to` ok accepts, or nil.
func (p *Plan) provider(i int, component string, ok func(Version) bool) *Step {
	for _, u := range p.Providers(i, component) {
		if ok(u.To) {
			return u
		}
	}
	return nil
}

// ancestor reports whether step a is ordered before step b (through after
// and the chains).
func (p *Plan) ancestor(a, b int) bool {
	sa, sb := p.Steps[a], p.Steps[b]
	if sa.Pos >= sb.Pos {
		return false
	}
	if sa.InChain() {
		k, ok := sb.upOf(sa.Component)
		return ok && k >= sa.chainPos
	}
	// a step out of every chain: search forward from it
	seen := map[int]bool{a: true}
	queue := []int{a}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, w := range p.Steps[v].succs {
			if w == b {
				return true
			}
			if !seen[w] && p.Steps[w].Pos < sb.Pos {
				seen[w] = true
				queue = append(queue, w)
			}
		}
	}
	return false
}

// AfterLine is the spec.after line step i needs to name add as well:
// "after: [postgres-14, postgres-16]".
func (p *Plan) AfterLine(i int, add string) string {
	var names []string
	for _, r := range p.Steps[i].After {
		names = append(names, r.Name)
	}
	return "after: [" + strings.Join(append(names, add), ", ") + "]"
}

// Chain returns the steps of a component's chain, by from.
func (p *Plan) Chain(component string) []*Step {
	out := make([]*Step, 0, len(p.chains[component]))
	for _, i := range p.chains[component] {
		out = append(out, p.Steps[i])
	}
	return out
}

// equal compares two versions as versions when both parse, else as written.
func equal(a, b Version) bool {
	if a.V != nil && b.V != nil {
		return upgradepath.Compare(a.V, b.V) == 0
	}
	return a.Raw == b.Raw
}
