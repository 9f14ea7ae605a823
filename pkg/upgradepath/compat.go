package upgradepath

import (
	"math"
	"slices"
	"sort"

	version "github.com/hashicorp/go-version"
)

// coverRows keeps the compatibility rows and turns each row's versions
// into the set of releases it covers, once per policy.
func (e *Engine) coverRows(rows []Row, b *budget) {
	e.rows = slices.Clone(rows)
	e.rowSets = make([]set, len(rows))
	for k := range e.rows {
		if b.what != "" {
			return
		}
		e.rowSets[k] = e.constraintSet(e.rows[k].Versions, b)
	}
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
// The cost is a few set operations per row and one pass over [lo, hi).
func (e *Engine) incompatible(env Env, lo, hi int32) []bool {
	if len(env) == 0 || len(e.rows) == 0 {
		return nil
	}
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
	u := unionAll(bads)
	if len(u) == 0 && len(direct) == 0 {
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
