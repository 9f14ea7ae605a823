package plan

import (
	"fmt"
	"sort"
	"strings"

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
func (p *Plan) flow() {
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
		s.up = map[string]int{}
		inherited := map[string]EnvAt{}
		for _, b := range s.Before {
			pb := p.Steps[b]
			if pb.Pos > s.Pos {
				continue // the edge a cycle was broken at
			}
			for c, k := range pb.up {
				if cur, ok := s.up[c]; !ok || k > cur {
					s.up[c] = k
				}
			}
			if pb.InChain() {
				if cur, ok := s.up[pb.Component]; !ok || pb.chainPos > cur {
					s.up[pb.Component] = pb.chainPos
				}
			}
			leaves(pb, func(c string, e EnvAt) {
				if cur, ok := inherited[c]; !ok || p.sourcePos(e) > p.sourcePos(cur) {
					inherited[c] = e
				}
			})
		}
		// a chain's latest upgrade before the step sets its component
		for c, k := range s.up {
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
		return fmt.Sprintf("%s (%s) upgrades %s to %q before %s starts", src.Label(), where(src.Header, src.To.Pos), e.Name, e.Raw, s.Label())
	case src.Pos < s.Pos && p.ancestor(src.Index, s.Index):
		return fmt.Sprintf("%s (%s), ordered before %s, declares %s %q", src.Label(), where(src.Header, e.Pos), s.Label(), e.Name, e.Raw)
	}
	return fmt.Sprintf("%s (%s) declares %s %q for today", src.Label(), where(src.Header, e.Pos), e.Name, e.Raw)
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
		k, ok := sb.up[sa.Component]
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
