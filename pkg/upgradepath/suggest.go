package upgradepath

import (
	"errors"
	"fmt"
	"slices"

	version "github.com/hashicorp/go-version"
)

// Suggest returns the intermediate stops (from and to excluded) of the
// legal path from from to to with the fewest hops; among equally short
// paths, the one with the fewest conditional edges of the update graph
// (Rules.Edges with risks), then each stop the latest release available at
// its position.
// Intermediate stops are releases strictly between from and to; from and to
// need not be releases. The result is empty, not nil, when the direct hop
// is legal or from equals to. Conditional stops are honoured.
//
// Without releases, Suggest returns the versions of the stops the direct
// hop crosses, ascending; when that route itself breaks maxStep or a blocked
// entry, no legal path can be built and the error wraps ErrNoPath.
//
// When no legal path exists the error wraps ErrNoPath and says how far the
// search got from either end.
func (e *Engine) Suggest(from, to *version.Version) ([]*version.Version, error) {
	sg, err := e.SuggestFor(from, to, nil)
	return sg.Stops, err
}

// Env is the environment a route must be compatible with: each
// component's version, by name (manifest spec.environment).
type Env map[string]*version.Version

// Suggestion is a suggested route.
type Suggestion struct {
	// Stops are the intermediate stops, as Suggest returns them.
	Stops []*version.Version
	// Incompatible counts the stops the environment does not satisfy
	// (see Engine.Compatible): 0 for a compatible route.
	Incompatible int
}

// SuggestFor is Suggest with the environment (manifest v1, section 5): it
// ranks the legal routes by the number of stops the environment does not
// satisfy under the compatibility rows (Rules.Rows), then by hops, then
// by conditional edges, then by the latest releases. A compatible route is preferred whenever one
// exists; else the result is the route that comes closest, with
// Incompatible saying how many of its stops are unsupported. A nil env is
// Suggest.
func (e *Engine) SuggestFor(from, to *version.Version, env Env) (Suggestion, error) {
	if from == nil || to == nil {
		return Suggestion{}, errors.New("suggest path: from and to are required")
	}
	fk, tk := keyOf(from), keyOf(to)
	if len(e.rel) == 0 {
		stops := e.crossedStops(&fk, &tk)
		if vs := e.Validate(from, to, stops); len(vs) > 0 {
			route := "the direct hop"
			if len(stops) > 0 {
				route = "the route through the required stops"
			}
			return Suggestion{}, fmt.Errorf("%w from %q to %q: the policy lists no releases, and %s breaks its rules (%s): list the releases so that intermediate stops can be chosen",
				ErrNoPath, from.Original(), to.Original(), route, vs[0].describe())
		}
		sg := Suggestion{Stops: stops}
		for _, st := range stops {
			if !e.Compatible(env, st) {
				sg.Incompatible++
			}
		}
		return sg, nil
	}
	dir := compareKeys(&fk, &tk)
	if dir == 0 {
		return Suggestion{Stops: []*version.Version{}}, nil
	}
	src, dst := e.endpoint(&fk), e.endpoint(&tk)
	if e.pathOK(&src, &dst) && !e.blockedHop(from, to) && e.edgeOK(e.releaseIndex(&fk), e.releaseIndex(&tk)) {
		return Suggestion{Stops: []*version.Version{}}, nil
	}
	if dir > 0 {
		return Suggestion{}, fmt.Errorf("%w from %q to %q: the target is below the start and the direct hop is not legal",
			ErrNoPath, from.Original(), to.Original())
	}
	lo, hi := int32(e.releasesUpTo(&fk)), int32(e.releasesBelow(&tk))
	if lo >= hi {
		return Suggestion{}, fmt.Errorf("%w from %q to %q: the direct hop is not legal and no release lies between them",
			ErrNoPath, from.Original(), to.Original())
	}
	s := e.newSearch(lo, hi, &src, from, to)
	s.bad = e.incompatible(env, lo, hi)
	if stops, bad, ok := s.run(&dst); ok {
		if stops == nil {
			// Only an ordering that is not transitive (go-version
			// with four or more segments and pre-releases) gets here.
			return Suggestion{}, fmt.Errorf("suggest path from %q to %q: the releases are not consistently ordered", from.Original(), to.Original())
		}
		return Suggestion{Stops: stops, Incompatible: bad}, nil
	}
	return Suggestion{}, s.noPath(from, to)
}

// targetsTried bounds how many releases above the target a failed search
// tries as another target (each try is one search).
const targetsTried = 16

// noPath explains a failed search: what the direct hop breaks, how far the
// search got through the releases between them from either end, and the
// lowest release above the target that from does reach, if any of the next
// few (pre-releases left out) does.
func (s *search) noPath(from, to *version.Version) error {
	e := s.e
	direct := "the direct hop is not legal"
	if vs := e.Validate(from, to, nil); len(vs) > 0 {
		direct = vs[0].describe()
	}
	fwd := fmt.Sprintf("no release between them is reachable from %q", from.Original())
	u, w := from, s.lo // the last node reached and the next release
	if r := s.reachable(); r >= 0 {
		fwd = fmt.Sprintf("the highest release reachable from %q is %q", from.Original(), e.rel[r].Original())
		u, w = e.rel[r].Go(), r+1
	}
	next := to
	if w < s.hi {
		next = e.rel[w].Go()
	}
	// why the search stops there: what the next hop breaks
	if vs := e.Validate(u, next, nil); len(vs) > 0 {
		fwd += ", and " + vs[0].describe()
	}
	bwd := fmt.Sprintf("no release between them reaches %q", to.Original())
	if len(s.queue) > 0 {
		bwd = fmt.Sprintf("the lowest release that reaches %q is %q", to.Original(), e.rel[slices.Min(s.queue)].Original())
	}
	fix := ""
	if t := e.reachableAbove(from, to); t != nil {
		fix = fmt.Sprintf("; the lowest release above %q that %q reaches is %q", to.Original(), from.Original(), t.Original())
	}
	return fmt.Errorf("%w from %q to %q: %s; %s; %s%s", ErrNoPath, from.Original(), to.Original(), direct, fwd, bwd, fix)
}

// ReachableAbove returns the lowest of the next few releases above to
// (pre-releases left out) that a legal path from from reaches, or nil: the
// nearest other target when none leads to to.
func (e *Engine) ReachableAbove(from, to *version.Version) *version.Version {
	if from == nil || to == nil {
		return nil
	}
	return e.reachableAbove(from, to)
}

// reachableAbove returns the lowest of the next targetsTried releases above
// to (pre-releases left out) that a legal path from from reaches, or nil.
func (e *Engine) reachableAbove(from, to *version.Version) *version.Version {
	tk := keyOf(to)
	tried := 0
	for i := e.releasesUpTo(&tk); i < len(e.rel) && tried < targetsTried; i++ {
		if e.pre[i] {
			continue
		}
		tried++
		if v := e.rel[i].Go(); e.reaches(from, v) {
			return v
		}
	}
	return nil
}

// reaches reports whether a legal path leads from from up to to, as Suggest
// would find it, without explaining a failure.
func (e *Engine) reaches(from, to *version.Version) bool {
	fk, tk := keyOf(from), keyOf(to)
	if compareKeys(&fk, &tk) >= 0 {
		return false
	}
	src, dst := e.endpoint(&fk), e.endpoint(&tk)
	if e.pathOK(&src, &dst) && !e.blockedHop(from, to) && e.edgeOK(e.releaseIndex(&fk), e.releaseIndex(&tk)) {
		return true
	}
	lo, hi := int32(e.releasesUpTo(&fk)), int32(e.releasesBelow(&tk))
	if lo >= hi {
		return false
	}
	stops, _, ok := e.newSearch(lo, hi, &src, from, to).run(&dst)
	return ok && stops != nil
}

// crossedStops returns the versions of the stops the hop from -> to crosses.
func (e *Engine) crossedStops(fk, tk *key) []*version.Version {
	maj, mi := series(tk)
	out := []*version.Version{}
	for j := e.stopsUpTo(fk); j < e.stopsBelowSeries(maj, mi); j++ {
		out = append(out, e.stops[j].stops[0].Version)
	}
	return out
}

// point is what the legality of a hop needs to know about either end.
type point struct {
	major, minor int64
	sr, ti       int32 // stops <= the version; stops below its series
}

func (e *Engine) releasePoint(i int32) point {
	return point{major: e.major(int(i)), minor: e.minor(int(i)), sr: e.sr[i], ti: e.ti[i]}
}

func (e *Engine) endpoint(k *key) point {
	maj, mi := series(k)
	return point{major: maj, minor: mi, sr: e.stopsUpTo(k), ti: e.stopsBelowSeries(maj, mi)}
}

// pathOK reports whether the hop u -> v crosses no stop and stays within
// maxStep; with the blocked entries it agrees with Validate.
func (e *Engine) pathOK(u, v *point) bool {
	return u.sr >= v.ti && e.stepOK(u.major, u.minor, v.major, v.minor)
}

// blockedHop reports whether a blocked entry forbids the hop u -> v.
func (e *Engine) blockedHop(u, v *version.Version) bool {
	for k := range e.blocked {
		if e.blocked[k].From.Check(u) && e.blocked[k].To.Check(v) {
			return true
		}
	}
	return false
}

// search is one Suggest query over the releases [lo, hi), which lie strictly
// between from and to.
type search struct {
	e      *Engine
	lo, hi int32
	src    *point
	// srcIdx and dstIdx are the releases from and to are (-1: none); with
	// a graph only their edges lead out of from and into to.
	srcIdx, dstIdx int32
	// seen marks the visited releases of a search along a graph's edges.
	seen []bool
	// out: the releases a hop from the source into is blocked; in: the
	// releases a hop from which into the target is blocked.
	out, in set
	// next[p] leads to the first unvisited release >= lo+p (the last entry
	// is a sentinel); preNext does the same over pre, the pre-releases
	// within [lo, hi).
	next    []int32
	pre     []int32
	preNext []int32
	// queue holds the visited releases in the order they were found.
	queue []int32
	// bad marks the releases of [lo, hi) the environment does not satisfy
	// (nil: none). The search ranks routes by the number of such stops,
	// then by hops: hop[p] and cost[p] are the hops and bad stops from
	// release lo+p to the target along its best route, set when found.
	bad       []bool
	hop, cost []int32
	atH, atB  int32 // hop and cost of the release being expanded
	// risk[p], with an update graph that has conditional edges (else nil),
	// is the fewest conditional edges on release lo+p's best routes to the
	// target; atR is the expanded release's.
	risk       []int32
	atR        int32
	cur, later []int32 // found, to expand at this cost; bad ones, at the next
}

func (e *Engine) newSearch(lo, hi int32, src *point, from, to *version.Version) *search {
	s := &search{e: e, lo: lo, hi: hi, src: src, srcIdx: -1, dstIdx: -1}
	if e.g != nil {
		fk, tk := keyOf(from), keyOf(to)
		s.srcIdx, s.dstIdx = e.releaseIndex(&fk), e.releaseIndex(&tk)
		s.seen = make([]bool, hi-lo)
	}
	var out, in []set
	for k := range e.blocked {
		if e.blocked[k].From.Check(from) {
			out = append(out, e.to[k])
		}
		if e.blocked[k].To.Check(to) {
			in = append(in, e.from[k])
		}
	}
	s.out, s.in = unionAll(out), unionAll(in)
	s.next = make([]int32, hi-lo+1)
	for p := range s.next {
		s.next[p] = int32(p)
	}
	a, _ := slices.BinarySearch(e.preIdx, lo)
	b, _ := slices.BinarySearch(e.preIdx, hi)
	s.pre = e.preIdx[a:b]
	s.preNext = make([]int32, len(s.pre)+1)
	for p := range s.preNext {
		s.preNext[p] = int32(p)
	}
	return s
}

// fromSource reports whether the hop from the source to release i is legal.
func (s *search) fromSource(i int32) bool {
	p := s.e.releasePoint(i)
	return s.e.pathOK(s.src, &p) && !s.e.has(s.out, i) && s.e.edgeOK(s.srcIdx, i)
}

// legal reports whether the hop from release u to release i is legal.
func (e *Engine) legal(u, i int32) bool {
	pu, pi := e.releasePoint(u), e.releasePoint(i)
	return e.pathOK(&pu, &pi) && !e.has(e.into(i), u) && e.edgeOK(u, i)
}

// push records release i, found from the release being expanded (or the
// target), and queues it at its cost.
func (s *search) push(i int32) {
	p := i - s.lo
	s.hop[p] = s.atH + 1
	s.queue = append(s.queue, i)
	if s.bad == nil { // one round, in the order found: the queue is cur
		return
	}
	if s.bad[p] {
		s.cost[p] = s.atB + 1
		s.later = append(s.later, i)
		return
	}
	s.cost[p] = s.atB
	s.cur = append(s.cur, i)
}

// costOf returns the bad stops on release i's best route to the target.
func (s *search) costOf(i int32) int32 {
	if s.bad == nil {
		return 0
	}
	return s.cost[i-s.lo]
}

// run searches backwards from the target for from, visiting the releases in
// the order of their routes' cost to the target: fewest bad stops, then
// fewest hops. Each is found once, at its best cost, because the one it is
// found from comes first in that order. Then it walks forward taking the
// latest release at each step that keeps the best cost. ok is false when
// no path exists; stops is nil with ok true only for an inconsistent order.
// bad is the number of bad stops on the route.
func (s *search) run(dst *point) (stops []*version.Version, bad int, ok bool) {
	e := s.e
	n := s.hi - s.lo
	s.queue = make([]int32, 0, n)
	s.hop = make([]int32, n)
	if s.bad != nil {
		s.cost = make([]int32, n)
		s.cur = make([]int32, 0, n)
	}
	if e.g != nil && e.g.inRisky != nil {
		s.risk = make([]int32, n)
	}
	if e.g != nil {
		s.expandEdges(s.dstIdx, dst, s.in, s.hi)
	} else {
		cross, majLo, majAt, minLo := e.bounds(dst.major, dst.minor, dst.ti)
		s.expand(s.in, cross, majLo, majAt, minLo, s.hi)
	}
	found := int32(-1)
	// one round per number of bad stops: the bad releases found in a round
	// start the next, merged by hops with what that round finds
	var seeds []int32
	list := &s.cur // what this round expands at its cost
	if s.bad == nil {
		list = &s.queue // one round, in the order found
	}
	for found < 0 && len(*list)+len(seeds)+len(s.later) > 0 {
		ci, si := 0, 0
		for found < 0 && (ci < len(*list) || si < len(seeds)) {
			var i int32
			if si < len(seeds) && (ci == len(*list) || s.hop[seeds[si]-s.lo] <= s.hop[(*list)[ci]-s.lo]) {
				i, si = seeds[si], si+1
			} else {
				i, ci = (*list)[ci], ci+1
			}
			if s.fromSource(i) {
				found = i
				break
			}
			s.atH, s.atB = s.hop[i-s.lo], s.costOf(i)
			if s.risk != nil {
				s.atR = s.risk[i-s.lo]
			}
			if e.g != nil {
				p := e.releasePoint(i)
				s.expandEdges(i, &p, e.into(i), i)
			} else {
				s.expand(e.into(i), e.cross[i], e.majLo[i], e.majAt[i], e.minLo[i], i)
			}
		}
		if s.bad == nil {
			break
		}
		seeds, s.later, s.cur = s.later, nil, s.cur[:0]
	}
	if found < 0 {
		return nil, 0, false
	}
	hops, want := s.hop[found-s.lo]+1, s.costOf(found)
	byHop, start := s.byHop(hops)
	stops = make([]*version.Version, 0, hops-1)
	cur, at := int32(-1), s.lo-1 // cur -1: the source
	for k := hops - 1; k >= 1; k-- {
		best, bestRisky := int32(-1), int32(0)
		for _, g := range byHop[start[k]:start[k+1]] {
			if g <= at || s.costOf(g) != want || !(cur < 0 && s.fromSource(g) || cur >= 0 && e.legal(cur, g)) {
				continue
			}
			// the fewest conditional edges from here on, then the latest release
			r := int32(0)
			if s.risk != nil {
				r = s.risk[g-s.lo] + s.riskyHop(cur, g)
			}
			if best < 0 || r < bestRisky || r == bestRisky && g > best {
				best, bestRisky = g, r
			}
		}
		// Every release at k hops and cost want reaches one at k-1 hops
		// and the cost without it, and cur reaches one of them, so best
		// >= 0 unless the order is inconsistent.
		if best < 0 {
			return nil, 0, true
		}
		stops = append(stops, e.rel[best].Go())
		if s.bad != nil && s.bad[best-s.lo] {
			want--
		}
		cur, at = best, best
	}
	return stops, int(s.costOf(found)), true
}

// riskyHop is 1 when the hop between releases u and v (u -1: the source)
// is a conditional edge of the graph, else 0.
func (s *search) riskyHop(u, v int32) int32 {
	if u < 0 {
		u = s.srcIdx
	}
	if k := s.e.g.edgeIndex(u, v); k >= 0 && len(s.e.g.edges[k].Risks) > 0 {
		return 1
	}
	return 0
}

// byHop returns the releases found less than hops from the target, by
// their hops: those at h hops are list[start[h]:start[h+1]]. Without bad
// releases the queue is in that order already.
func (s *search) byHop(hops int32) (list, start []int32) {
	start = make([]int32, hops+1)
	for _, i := range s.queue {
		if h := s.hop[i-s.lo]; h < hops {
			start[h+1]++
		}
	}
	for h := int32(1); h <= hops; h++ {
		start[h] += start[h-1]
	}
	if s.bad == nil {
		return s.queue, start
	}
	list = make([]int32, len(s.queue))
	fill := slices.Clone(start)
	for _, i := range s.queue {
		if h := s.hop[i-s.lo]; h < hops {
			list[fill[h]] = i
			fill[h]++
		}
	}
	return list, start
}

// expand visits the unvisited legal predecessors of a node: releases in
// [max(cross, majLo), majAt) ∪ [max(cross, minLo), end), clipped to
// [lo, hi), outside the blocked set in.
func (s *search) expand(in set, cross, majLo, majAt, minLo, end int32) {
	lo := max(cross, s.lo)
	a1, b1 := max(lo, majLo), min(majAt, s.hi)
	a2, b2 := max(lo, minLo), min(end, s.hi)
	if a1 < b1 && a2 < b2 && b1 >= a2 {
		b1, a2, b2 = b2, 0, 0
	}
	if a1 < b1 {
		s.visitOutside(in, a1, b1)
	}
	if a2 < b2 {
		s.visitOutside(in, a2, b2)
	}
}

// expandEdges visits the unvisited legal predecessors of node v (a release
// index, -1 for a target that is none) along the graph's edges into it:
// releases in [lo, min(end, hi)) that cross no stop into it, stay within
// maxStep and are outside the blocked set in.
func (s *search) expandEdges(v int32, pv *point, in set, end int32) {
	if v < 0 {
		return
	}
	e, g := s.e, s.e.g
	end = min(end, s.hi)
	from := g.inFrom[g.inStart[v]:g.inStart[v+1]]
	k, _ := slices.BinarySearch(from, s.lo)
	for j := k; j < len(from); j++ {
		u := from[j]
		if u >= end {
			break
		}
		p := u - s.lo
		// a release found already is visited again only to lower its
		// conditional edges: when as far from the target, as costly, and
		// with more conditional edges than this route could give it
		if s.seen[p] && (s.risk == nil || s.risk[p] <= s.atR || s.hop[p] != s.atH+1 || s.costOf(u) != s.atB+s.badOf(u)) {
			continue
		}
		pu := e.releasePoint(u)
		if !e.pathOK(&pu, pv) || e.has(in, u) {
			continue
		}
		r := s.atR
		if s.risk != nil && g.inRisky[g.inStart[v]+int32(j)] {
			r++
		}
		if !s.seen[p] {
			s.seen[p] = true
			s.push(u)
			if s.risk != nil {
				s.risk[p] = r
			}
			continue
		}
		// found already, as far from the target and as costly: this edge
		// reaches it with fewer conditional edges (r is atR or atR+1, and
		// its risk is above atR)
		s.risk[p] = r
	}
}

// badOf is 1 when the environment does not satisfy release i, else 0.
func (s *search) badOf(i int32) int32 {
	if s.bad != nil && s.bad[i-s.lo] {
		return 1
	}
	return 0
}

// visitOutside queues the unvisited releases of [a, b) that in does not
// hold: all of them between its pieces, the pre-releases within its
// lvlStable pieces.
func (s *search) visitOutside(in set, a, b int32) {
	j := in.at(a)
	for p := a; p < b; {
		if j < len(in) && in[j].lo <= p {
			q := min(in[j].hi, b)
			if in[j].lvl == lvlStable {
				s.visitPre(p, q)
			}
			p = q
			j++
			continue
		}
		q := b
		if j < len(in) && in[j].lo < b {
			q = in[j].lo
		}
		s.visitAll(p, q)
		p = q
	}
}

// visitAll queues the unvisited releases in [a, b).
func (s *search) visitAll(a, b int32) {
	for q := find(s.next, a-s.lo); q+s.lo < b; q = find(s.next, q+1) {
		i := q + s.lo
		s.next[q] = q + 1
		if s.e.pre[i] {
			r, _ := slices.BinarySearch(s.pre, i)
			s.preNext[r] = int32(r) + 1
		}
		s.push(i)
	}
}

// visitPre queues the unvisited pre-releases in [a, b).
func (s *search) visitPre(a, b int32) {
	r, _ := slices.BinarySearch(s.pre, a)
	for q := find(s.preNext, int32(r)); int(q) < len(s.pre) && s.pre[q] < b; q = find(s.preNext, q+1) {
		i := s.pre[q]
		s.preNext[q] = q + 1
		s.next[i-s.lo] = i - s.lo + 1
		s.push(i)
	}
}

// find returns the first unvisited position >= p, halving the path.
func find(nx []int32, p int32) int32 {
	for nx[p] != p {
		nx[p] = nx[nx[p]]
		p = nx[p]
	}
	return p
}

// reachable returns the highest release in [lo, hi) reachable from the
// source, or -1. It runs a forward pass in version order, keeping the
// latest reachable release (and pre-release) below each position, so that
// a node asks each gap between its blocked pieces in O(1).
func (s *search) reachable() int32 {
	e := s.e
	w := s.hi - s.lo + 1
	last := make([]int32, w)    // last[p]: the highest reachable release < lo+p, or -1
	lastPre := make([]int32, w) // likewise among the pre-releases
	last[0], lastPre[0] = -1, -1
	best := int32(-1)
	if e.g != nil {
		return s.reachableEdges()
	}
	for i := s.lo; i < s.hi; i++ {
		ok := s.fromSource(i)
		if !ok {
			lo := max(e.cross[i], s.lo)
			in := e.into(i)
			for _, iv := range [2][2]int32{{max(lo, e.majLo[i]), e.majAt[i]}, {max(lo, e.minLo[i]), i}} {
				if iv[0] < iv[1] && s.reachedOutside(in, iv[0], iv[1], last, lastPre) {
					ok = true
					break
				}
			}
		}
		p := i - s.lo
		last[p+1], lastPre[p+1] = last[p], lastPre[p]
		if ok {
			best = i
			last[p+1] = i
			if e.pre[i] {
				lastPre[p+1] = i
			}
		}
	}
	return best
}

// reachedOutside reports whether a reachable release of [a, b) lies
// outside in; every position below b has been decided.
func (s *search) reachedOutside(in set, a, b int32, last, lastPre []int32) bool {
	j := in.at(a)
	for p := a; p < b; {
		if j < len(in) && in[j].lo <= p {
			q := min(in[j].hi, b)
			if in[j].lvl == lvlStable && lastPre[q-s.lo] >= p {
				return true
			}
			p = q
			j++
			continue
		}
		q := b
		if j < len(in) && in[j].lo < b {
			q = in[j].lo
		}
		if last[q-s.lo] >= p {
			return true
		}
		p = q
	}
	return false
}

// reachableEdges is reachable along a graph's edges: a forward pass in
// version order over each release's incoming edges.
func (s *search) reachableEdges() int32 {
	e, g := s.e, s.e.g
	reached := make([]bool, s.hi-s.lo)
	best := int32(-1)
	for i := s.lo; i < s.hi; i++ {
		ok := s.fromSource(i)
		if !ok {
			pi := e.releasePoint(i)
			in := e.into(i)
			from := g.inFrom[g.inStart[i]:g.inStart[i+1]]
			k, _ := slices.BinarySearch(from, s.lo)
			for _, u := range from[k:] {
				if u >= i {
					break
				}
				if !reached[u-s.lo] {
					continue
				}
				pu := e.releasePoint(u)
				if e.pathOK(&pu, &pi) && !e.has(in, u) {
					ok = true
					break
				}
			}
		}
		if ok {
			reached[i-s.lo] = true
			best = i
		}
	}
	return best
}
