package upgradepath

import (
	"errors"
	"fmt"
	"slices"

	version "github.com/hashicorp/go-version"
)

// Suggest returns the intermediate stops (from and to excluded) of the
// legal path from from to to with the fewest hops; among equally short
// paths, each stop is the latest release available at its position.
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
	if from == nil || to == nil {
		return nil, errors.New("suggest path: from and to are required")
	}
	fk, tk := keyOf(from), keyOf(to)
	if len(e.rel) == 0 {
		stops := e.crossedStops(&fk, &tk)
		if vs := e.Validate(from, to, stops); len(vs) > 0 {
			route := "the direct hop"
			if len(stops) > 0 {
				route = "the route through the required stops"
			}
			return nil, fmt.Errorf("%w from %q to %q: the policy lists no releases, and %s breaks its rules (%s): list the releases so that intermediate stops can be chosen",
				ErrNoPath, from.Original(), to.Original(), route, vs[0].describe())
		}
		return stops, nil
	}
	dir := compareKeys(&fk, &tk)
	if dir == 0 {
		return []*version.Version{}, nil
	}
	src, dst := e.endpoint(&fk), e.endpoint(&tk)
	if e.legal(&src, &dst) {
		return []*version.Version{}, nil
	}
	if dir > 0 {
		return nil, fmt.Errorf("%w from %q to %q: the target is below the start and the direct hop is not legal",
			ErrNoPath, from.Original(), to.Original())
	}
	lo, hi := int32(e.releasesUpTo(&fk)), int32(e.releasesBelow(&tk))
	if lo >= hi {
		return nil, fmt.Errorf("%w from %q to %q: the direct hop is not legal and no release lies between them",
			ErrNoPath, from.Original(), to.Original())
	}
	s := e.newSearch(lo, hi, &src)
	if stops, ok := s.run(&dst); ok {
		if stops == nil {
			// Only an ordering that is not transitive (go-version
			// with four or more segments and pre-releases) gets here.
			return nil, fmt.Errorf("suggest path from %q to %q: the releases are not consistently ordered", from.Original(), to.Original())
		}
		return stops, nil
	}
	return nil, s.noPath(from, to)
}

// noPath explains a failed search by how far it got from either end.
func (s *search) noPath(from, to *version.Version) error {
	e := s.e
	fwd := fmt.Sprintf("no release between them is reachable from %q", from.Original())
	u, w := from, s.lo // the last node reached and the next release
	if r := s.reachable(); r >= 0 {
		fwd = fmt.Sprintf("the highest release reachable from %q is %q", from.Original(), e.rel[r].Original())
		u, w = e.rel[r], r+1
	}
	next := to
	if w < s.hi {
		next = e.rel[w]
	}
	// why the search stops there: what the next hop breaks
	if vs := e.Validate(u, next, nil); len(vs) > 0 {
		fwd += ", and " + vs[0].describe()
	}
	bwd := fmt.Sprintf("no release between them reaches %q", to.Original())
	if len(s.queue) > 0 {
		bwd = fmt.Sprintf("the lowest release that reaches %q is %q", to.Original(), e.rel[slices.Min(s.queue)].Original())
	}
	return fmt.Errorf("%w from %q to %q: %s; %s", ErrNoPath, from.Original(), to.Original(), fwd, bwd)
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
	sr, ti       int32    // stops <= the version; stops below its series
	from, to     []uint64 // blocked entries whose From (To) holds
}

func (e *Engine) releasePoint(i int32) point {
	return point{
		major: e.major[i], minor: e.minor[i], sr: e.sr[i], ti: e.ti[i],
		from: e.fromBits[e.fromClass[i]], to: e.toBits[e.toClass[i]],
	}
}

func (e *Engine) endpoint(k *key) point {
	maj, mi := series(k)
	p := point{major: maj, minor: mi, sr: e.stopsUpTo(k), ti: e.stopsBelowSeries(maj, mi),
		from: make([]uint64, e.words), to: make([]uint64, e.words)}
	for j := range e.blocked {
		if e.blocked[j].From.Check(k.v) {
			p.from[j/64] |= 1 << (j % 64)
		}
		if e.blocked[j].To.Check(k.v) {
			p.to[j/64] |= 1 << (j % 64)
		}
	}
	return p
}

// legal reports whether the hop u -> v breaks no rule; it agrees with
// Validate.
func (e *Engine) legal(u, v *point) bool {
	return u.sr >= v.ti && e.stepOK(u.major, u.minor, v.major, v.minor) && disjoint(u.from, v.to)
}

// search is one Suggest query over the releases [lo, hi), which lie strictly
// between from and to.
type search struct {
	e      *Engine
	lo, hi int32
	src    *point
	// Per from class: its releases within [lo, hi) and skip pointers over
	// them (next[c][p] leads to the first unvisited position >= p; the last
	// entry is a sentinel).
	win  [][]int32
	next [][]int32
	// queue holds the visited releases in BFS order; layer k (distance k
	// to the target) is queue[starts[k]:starts[k+1]].
	queue  []int32
	starts []int
}

func (e *Engine) newSearch(lo, hi int32, src *point) *search {
	s := &search{e: e, lo: lo, hi: hi, src: src}
	c := len(e.members)
	s.win = make([][]int32, c)
	s.next = make([][]int32, c)
	backing := make([]int32, int(hi-lo)+c)
	off := 0
	for f, m := range e.members {
		a, _ := slices.BinarySearch(m, lo)
		b, _ := slices.BinarySearch(m, hi)
		s.win[f] = m[a:b]
		nx := backing[off : off+b-a+1]
		for p := range nx {
			nx[p] = int32(p)
		}
		s.next[f] = nx
		off += len(nx)
	}
	return s
}

// run searches backwards from the target for the layer of from, then walks
// forward taking the latest release of each layer. ok is false when no path
// exists; stops is nil with ok true only for an inconsistent order.
func (s *search) run(dst *point) ([]*version.Version, bool) {
	e := s.e
	s.queue = make([]int32, 0, s.hi-s.lo)
	cross, majLo, majAt, minLo := e.bounds(dst.major, dst.minor, dst.ti)
	s.expand(e.allowedFrom(dst.to), cross, majLo, majAt, minLo, s.hi)
	s.starts = append(s.starts, 0, 0, len(s.queue))
	hops := -1
	for head, k := 0, 1; head < len(s.queue); head++ {
		if head == s.starts[k+1] {
			k++
			s.starts = append(s.starts, len(s.queue))
		}
		i := s.queue[head]
		p := e.releasePoint(i)
		if e.legal(s.src, &p) {
			hops = k + 1
			break
		}
		s.expand(e.allowed[e.toClass[i]], e.cross[i], e.majLo[i], e.majAt[i], e.minLo[i], i)
	}
	if hops < 0 {
		return nil, false
	}
	stops := make([]*version.Version, 0, hops-1)
	cur, at := *s.src, s.lo-1
	for k := hops - 1; k >= 1; k-- {
		best := int32(-1)
		for _, g := range s.queue[s.starts[k]:s.starts[k+1]] {
			if g > at && g > best {
				if p := e.releasePoint(g); e.legal(&cur, &p) {
					best = g
				}
			}
		}
		// Every release in layer k reaches layer k-1 and cur reaches
		// layer k, so best >= 0 unless the order is inconsistent.
		if best < 0 {
			return nil, true
		}
		stops = append(stops, e.rel[best])
		cur, at = e.releasePoint(best), best
	}
	return stops, true
}

// expand visits the unvisited legal predecessors of a node: releases of the
// allowed from classes in [max(cross, majLo), majAt) ∪ [max(cross, minLo), end),
// clipped to [lo, hi).
func (s *search) expand(allowed []int32, cross, majLo, majAt, minLo, end int32) {
	lo := max(cross, s.lo)
	a1, b1 := max(lo, majLo), min(majAt, s.hi)
	a2, b2 := max(lo, minLo), min(end, s.hi)
	if a1 < b1 && a2 < b2 && b1 >= a2 {
		b1, a2, b2 = b2, 0, 0
	}
	for _, c := range allowed {
		if a1 < b1 {
			s.visit(c, a1, b1)
		}
		if a2 < b2 {
			s.visit(c, a2, b2)
		}
	}
}

// visit queues the unvisited releases of class c in [a, b).
func (s *search) visit(c, a, b int32) {
	w, nx := s.win[c], s.next[c]
	p, _ := slices.BinarySearch(w, a)
	for q := find(nx, int32(p)); int(q) < len(w) && w[q] < b; q = find(nx, q+1) {
		nx[q] = q + 1
		s.queue = append(s.queue, w[q])
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
// source, or -1. It runs a forward pass in version order, counting the
// reachable releases of each class so that a node asks its predecessor
// intervals in O(log n).
func (s *search) reachable() int32 {
	e := s.e
	counts := make([][]int32, len(s.win))
	for c := range counts {
		counts[c] = make([]int32, 1, len(s.win[c])+1)
	}
	best := int32(-1)
	for i := s.lo; i < s.hi; i++ {
		p := e.releasePoint(i)
		ok := e.legal(s.src, &p)
		if !ok {
			lo := max(e.cross[i], s.lo)
			ivs := [2][2]int32{{max(lo, e.majLo[i]), e.majAt[i]}, {max(lo, e.minLo[i]), i}}
		classes:
			for _, c := range e.allowed[e.toClass[i]] {
				done := s.win[c][:len(counts[c])-1]
				for _, iv := range ivs {
					if iv[0] >= iv[1] {
						continue
					}
					x, _ := slices.BinarySearch(done, iv[0])
					y, _ := slices.BinarySearch(done, iv[1])
					if counts[c][y] > counts[c][x] {
						ok = true
						break classes
					}
				}
			}
		}
		c := e.fromClass[i]
		n := counts[c][len(counts[c])-1]
		if ok {
			n++
			best = i
		}
		counts[c] = append(counts[c], n)
	}
	return best
}
