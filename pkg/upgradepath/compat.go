package upgradepath

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"sync"

	version "github.com/hashicorp/go-version"
)

// coverRows keeps the compatibility rows and turns each row's versions
// into the set of releases it covers, once per policy.
func (e *Engine) coverRows(rows []Row, b *budget) {
	e.rows = slices.Clone(rows)
	e.rowSets = make([]set, len(rows))
	for k := range e.rows {
		for _, q := range e.rows[k].Requires {
			if !slices.Contains(e.envComps, q.Component) {
				e.envComps = append(e.envComps, q.Component)
			}
		}
	}
	slices.Sort(e.envComps)
	for k := range e.rows {
		if b.what != "" {
			return
		}
		e.rowSets[k] = e.constraintSet(e.rows[k].Versions, b)
	}
}

// Covering returns, for each compatibility row in order, whether its
// versions hold for v, as rows[k].Versions.Check(v) says, read from the
// sets of releases each row covers (one binary search, then one per row)
// when v has the segments and pre-release of a release (exactRelease:
// constraints decide by those alone); ok is false for any other version,
// which the caller checks against the rows itself.
func (e *Engine) Covering(v *version.Version) (rows []bool, ok bool) {
	if e == nil || v == nil || len(e.rowSets) != len(e.rows) {
		return nil, false
	}
	k := keyOf(v)
	i := e.exactRelease(&k)
	if i < 0 {
		return nil, false
	}
	rows = make([]bool, len(e.rows))
	for r := range e.rows {
		rows[r] = e.has(e.rowSets[r], i)
	}
	return rows, true
}

// EnvKey returns a text that two environments share exactly when they agree,
// by version text, on every component the compatibility rows require (one
// lists it or neither does): SuggestFor, Compatible and what they report
// read nothing else of an environment. It is "" without rows, or for an
// environment that lists none of their components.
func (e *Engine) EnvKey(env Env) string {
	var b []byte
	listed := false
	for _, c := range e.envComps {
		v := env[c]
		if v == nil {
			b = append(b, '-')
			continue
		}
		listed = true
		t := v.Original()
		b = strconv.AppendInt(append(b, '+'), int64(len(t)), 10)
		b = append(append(b, ':'), t...)
	}
	if !listed {
		return ""
	}
	return string(b)
}

// Compatible reports whether env satisfies, at the component version v,
// every requirement of every row that covers v. A requirement whose
// component env does not list is not counted against v (the gate reports
// the missing component itself).
func (e *Engine) Compatible(env Env, v *version.Version) bool {
	if len(env) == 0 || v == nil {
		return true
	}
	for k := range e.rows {
		if e.rows[k].Versions.Check(v) && !e.rowAccepts(k, env, v) {
			return false
		}
	}
	return true
}

// rowAccepts reports whether env satisfies row k's requirements at v.
func (e *Engine) rowAccepts(k int, env Env, v *version.Version) bool {
	for _, q := range e.rows[k].Requires {
		if ev := env[q.Component]; ev != nil && !q.Allows(ev, v) {
			return false
		}
	}
	return true
}

// incompatible marks the releases of [lo, hi) that env does not satisfy
// (see Compatible), or returns nil when it satisfies them all. A row whose
// constraint requirement env fails rules out every release it covers; a
// relative requirement rules out the covered releases outside the window
// the environment's version fits, an index range found by binary search.
// Each component's version rules out its own set of releases (ruledOut,
// worked out once per engine, component and version); the union of those
// sets is what env rules out, and the cost per call is one union and one
// pass over [lo, hi).
func (e *Engine) incompatible(env Env, lo, hi int32) []bool {
	if len(env) == 0 || len(e.rows) == 0 {
		return nil
	}
	if !e.ordered {
		return e.incompatibleByRow(env, lo, hi)
	}
	var bads []set
	for comp, ev := range env { // the union does not depend on the order
		if ev == nil {
			continue
		}
		if s := e.ruledOut(comp, ev); len(s) > 0 {
			bads = append(bads, s)
		}
	}
	if len(bads) == 0 {
		return nil
	}
	u := bads[0]
	if len(bads) > 1 {
		u = unionAll(bads)
	}
	return e.marked(u, lo, hi)
}

// marked returns, for each release of [lo, hi), whether u holds it (nil
// when u is empty).
func (e *Engine) marked(u set, lo, hi int32) []bool {
	if len(u) == 0 {
		return nil
	}
	out := make([]bool, hi-lo)
	for _, p := range u {
		for i := max(p.lo, lo); i < min(p.hi, hi); i++ {
			if p.lvl == lvlAll || !e.pre[i] {
				out[i-lo] = true
			}
		}
	}
	return out
}

// envValue is one component's version in an environment, as written:
// equal texts are equal versions.
type envValue struct {
	component, version string
}

// maxRuledOut bounds the component versions an engine remembers (ruledOut);
// past them each is worked out again.
const maxRuledOut = 1 << 12

// ruledOutMemo holds what each component version rules out (ruledOut). The
// engine is shared by the goroutines that check manifests: the map is
// guarded.
type ruledOutMemo struct {
	mu   sync.RWMutex
	sets map[envValue]set
}

// ruledOut returns the releases the version ev of component comp rules out
// in the rows (ordered releases only): the releases of every row with a
// constraint requirement of comp that ev fails, and of every row with a
// relative requirement of comp those outside ev's window. The union over
// an environment's components is the union over rows and requirements that
// incompatible marks. The set is shared: callers only read it.
func (e *Engine) ruledOut(comp string, ev *version.Version) set {
	k := envValue{comp, ev.Original()}
	m := e.ruled
	m.mu.RLock()
	s, ok := m.sets[k]
	m.mu.RUnlock()
	if ok {
		return s
	}
	n := int32(len(e.rel))
	var bads []set
	for r := range e.rows {
		for _, q := range e.rows[r].Requires {
			if q.Component != comp {
				continue
			}
			if q.Relative == nil {
				if !q.Constraint.Check(ev) {
					bads = append(bads, e.rowSets[r])
				}
				continue
			}
			a, b := e.window(q.Relative, ev)
			b = max(a, b) // an empty window (low above high) allows nothing
			outside := set{}.add(0, a, lvlAll).add(b, n, lvlAll)
			bads = append(bads, combine(e.rowSets[r], outside, intersect))
		}
	}
	s = unionAll(bads)
	m.mu.Lock()
	if m.sets == nil {
		m.sets = map[envValue]set{}
	}
	if len(m.sets) < maxRuledOut {
		m.sets[k] = s
	}
	m.mu.Unlock()
	return s
}

// incompatibleByRow is incompatible for releases that do not ascend in the
// order of their segments: a relative requirement is then decided release
// by release.
func (e *Engine) incompatibleByRow(env Env, lo, hi int32) []bool {
	n := int32(len(e.rel))
	var bads []set
	var direct []int // rows decided release by release
	for k := range e.rows {
		whole := false
		var parts []set
		for _, q := range e.rows[k].Requires {
			ev := env[q.Component]
			if ev == nil {
				continue
			}
			if q.Relative == nil {
				if !q.Constraint.Check(ev) {
					whole = true
					break
				}
				continue
			}
			if !e.ordered {
				direct = append(direct, k)
				parts = nil
				break
			}
			a, b := e.window(q.Relative, ev)
			b = max(a, b) // an empty window (low above high) allows nothing
			outside := set{}.add(0, a, lvlAll).add(b, n, lvlAll)
			parts = append(parts, combine(e.rowSets[k], outside, intersect))
		}
		if whole {
			bads = append(bads, e.rowSets[k])
		} else {
			bads = append(bads, parts...)
		}
	}
	out := e.marked(unionAll(bads), lo, hi)
	if out == nil {
		if len(direct) == 0 {
			return nil
		}
		out = make([]bool, hi-lo)
	}
	for _, k := range direct {
		for i := lo; i < hi; i++ {
			if !out[i-lo] && e.has(e.rowSets[k], i) && !e.rowAccepts(k, env, e.rel[i].Go()) {
				out[i-lo] = true
			}
		}
	}
	return out
}

// window returns the releases [a, b) at which the environment version ev
// fits the relative requirement r: for {minor: [lo, hi]} those of ev's
// major whose minor lies from ev's minor - hi to ev's minor - lo, for
// {major: [lo, hi]} those whose major lies from ev's major - hi to ev's
// major - lo. The releases ascend by major and minor.
func (e *Engine) window(r *Relative, ev *version.Version) (a, b int32) {
	em, en := seriesOf(ev)
	n := len(e.rel)
	atLeast := func(maj, mi int64) int32 {
		return int32(sort.Search(n, func(i int) bool { return e.major(i) > maj || e.major(i) == maj && e.minor(i) >= mi }))
	}
	if r.Major {
		return atLeast(add(em, -r.Hi), math.MinInt64), atLeast(add(add(em, -r.Lo), 1), math.MinInt64)
	}
	return atLeast(em, add(en, -r.Hi)), atLeast(em, add(add(en, -r.Lo), 1))
}
