package upgradepath

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	version "github.com/hashicorp/go-version"
)

// A set of releases is a step function over release indexes: a piece
// [lo, hi) at level lvlAll holds every release in it, at level lvlStable
// only the releases without a pre-release. go-version sets pre-releases
// apart (a constraint without a pre-release never holds for one), so a
// constraint's releases are a few pieces whatever the number of
// pre-releases among them. Pieces are ascending, disjoint and never empty;
// adjacent pieces differ in level.
type piece struct {
	lo, hi int32
	lvl    uint8
}

type set []piece

// Levels of a piece.
const (
	lvlStable uint8 = 1 // the releases without a pre-release
	lvlAll    uint8 = 2 // every release
)

// add appends [lo, hi) at lvl; the pieces must arrive in order.
func (s set) add(lo, hi int32, lvl uint8) set {
	if lvl == 0 || lo >= hi {
		return s
	}
	if n := len(s); n > 0 && s[n-1].hi == lo && s[n-1].lvl == lvl {
		s[n-1].hi = hi
		return s
	}
	return append(s, piece{lo, hi, lvl})
}

// at returns the index of the first piece that ends after i.
func (s set) at(i int32) int {
	return sort.Search(len(s), func(j int) bool { return s[j].hi > i })
}

// level returns the level of release i in s (0: none).
func (s set) level(i int32) uint8 {
	if j := s.at(i); j < len(s) && s[j].lo <= i {
		return s[j].lvl
	}
	return 0
}

// has reports whether release i belongs to s.
func (e *Engine) has(s set, i int32) bool {
	switch s.level(i) {
	case lvlAll:
		return true
	case lvlStable:
		return !e.pre[i]
	}
	return false
}

// combine returns the set whose level is f(level in a, level in b)
// everywhere.
func combine(a, b set, f func(x, y uint8) uint8) set {
	pts := make([]int32, 0, 2*(len(a)+len(b)))
	for _, p := range a {
		pts = append(pts, p.lo, p.hi)
	}
	for _, p := range b {
		pts = append(pts, p.lo, p.hi)
	}
	slices.Sort(pts)
	pts = slices.Compact(pts)
	var out set
	ia, ib := 0, 0
	for k := 0; k+1 < len(pts); k++ {
		lo, hi := pts[k], pts[k+1]
		for ia < len(a) && a[ia].hi <= lo {
			ia++
		}
		for ib < len(b) && b[ib].hi <= lo {
			ib++
		}
		var x, y uint8
		if ia < len(a) && a[ia].lo <= lo {
			x = a[ia].lvl
		}
		if ib < len(b) && b[ib].lo <= lo {
			y = b[ib].lvl
		}
		out = out.add(lo, hi, f(x, y))
	}
	return out
}

// union and intersect combine levels.
func union(x, y uint8) uint8     { return max(x, y) }
func intersect(x, y uint8) uint8 { return min(x, y) }

// unionAll returns the union of many sets in O(P log P) for P pieces.
func unionAll(sets []set) set {
	var all, every []piece // pieces of level >= 1, of level 2
	for _, s := range sets {
		for _, p := range s {
			all = append(all, p)
			if p.lvl == lvlAll {
				every = append(every, p)
			}
		}
	}
	return combine(merge(all, lvlStable), merge(every, lvlAll), union)
}

// merge returns the union of the spans of ps, all at level lvl.
func merge(ps []piece, lvl uint8) set {
	slices.SortFunc(ps, func(a, b piece) int { return int(a.lo) - int(b.lo) })
	var out set
	for _, p := range ps {
		if n := len(out); n > 0 && p.lo <= out[n-1].hi {
			out[n-1].hi = max(out[n-1].hi, p.hi)
			continue
		}
		out = append(out, piece{p.lo, p.hi, lvl})
	}
	return out
}

// budget counts the work New does and may do per search, against a limit.
type budget struct {
	used, limit int64
	what        string // what exceeded the limit
}

func (b *budget) spend(n int64, what string) bool {
	b.used += n
	if b.limit > 0 && b.used > b.limit && b.what == "" {
		b.what = what
	}
	return b.what == ""
}

// LimitError says that a policy's blocked entries would take more work
// than the limit allows; New refuses such a policy rather than leave its
// entries out.
type LimitError struct {
	// What ran over: the blocked constraints, or the search.
	What  string
	Limit int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("the blocked entries over these releases need more than %d steps of work (%s)", e.Limit, e.What)
}

// constraintSet returns the releases that satisfy c: the union of its
// alternatives' sets.
func (e *Engine) constraintSet(c Constraint, b *budget) set {
	if len(c) == 0 {
		return set{}.add(0, int32(len(e.rel)), lvlAll) // an empty constraint holds for every version
	}
	var out set
	for i, alt := range c {
		s := e.termsSet(alt, b)
		if i == 0 {
			out = s
			continue
		}
		out = combine(out, s, union)
		b.spend(int64(len(out)), "blocked constraints")
	}
	return out
}

// termsSet returns the releases that satisfy every term of cs.
func (e *Engine) termsSet(cs version.Constraints, b *budget) set {
	n := int32(len(e.rel))
	out := set{}.add(0, n, lvlAll) // an empty constraint holds for every version
	for _, c := range cs {
		if len(out) == 0 {
			break
		}
		out = combine(out, e.termSet(c, b), intersect)
		b.spend(int64(len(out)), "blocked constraints")
	}
	return out
}

// termSet returns the releases that satisfy one term, comparing segments
// and calling Check only on the releases whose segments equal the term's
// (trailing zeros aside), where pre-releases and metadata decide.
//
// Outside that bucket, go-version's Compare is the order of the segments,
// and a term without a pre-release holds for no pre-release; with one,
// the ordering operators hold for no pre-release either (the pre-release
// would need the term's segments), and ~> holds for none at all.
func (e *Engine) termSet(c *version.Constraint, b *budget) set {
	n := int32(len(e.rel))
	op, cv, written, ok := parseTerm(c)
	if !ok || !e.ordered {
		return e.direct(c, 0, n, b)
	}
	cs := cv.Segments64()
	lo := int32(sort.Search(int(n), func(i int) bool { return comparePadded(e.rel[i].segments(), cs) >= 0 }))
	hi := int32(sort.Search(int(n), func(i int) bool { return comparePadded(e.rel[i].segments(), cs) > 0 }))
	var below, above uint8 // the level of [0, lo) and of [hi, end)
	end := n
	directAbove := false
	switch op {
	case "!=":
		below, above = lvlAll, lvlAll
	case ">", ">=":
		above = lvlStable
	case "<", "<=":
		below = lvlStable
	case "~>":
		if cv.Prerelease() != "" {
			break
		}
		above = lvlStable
		if p := written - 1; p > 0 {
			end = int32(sort.Search(int(n), func(i int) bool { return comparePrefix(e.rel[i].segments(), cs, p) > 0 }))
		}
		// a term of four or more segments also needs as many in the version
		directAbove = len(cs) > 3
	}
	out := set{}.add(0, lo, below)
	d := e.direct(c, lo, hi, b)
	for _, p := range d {
		out = out.add(p.lo, p.hi, p.lvl)
	}
	if directAbove {
		for _, p := range e.direct(c, hi, end, b) {
			out = out.add(p.lo, p.hi, p.lvl)
		}
	} else {
		out = out.add(hi, end, above)
	}
	return out
}

// direct checks c on each release in [lo, hi).
func (e *Engine) direct(c *version.Constraint, lo, hi int32, b *budget) set {
	var out set
	if !b.spend(int64(hi-lo), "blocked constraints") {
		return out
	}
	t, fast := readTerm(c)
	for i := lo; i < hi; i++ {
		var holds bool
		if fast && !e.pre[i] {
			holds = t.holds(e.rel[i].segments())
		} else {
			holds = c.Check(e.rel[i].Go())
		}
		if holds {
			lvl := lvlStable // the same for one release, and it joins its neighbours
			if e.pre[i] {
				lvl = lvlAll
			}
			out = out.add(i, i+1, lvl)
		}
	}
	return out
}

// parseTerm reads a term's operator and version back from its text, which
// go-version parsed as `^\s*(<=|>=|!=|~>|<|>|=|)\s*VERSION\s*$`. written is
// the number of segments the version spells out.
func parseTerm(c *version.Constraint) (op string, v *version.Version, written int, ok bool) {
	s := strings.TrimSpace(c.String())
	op = "="
	for _, o := range []string{"<=", ">=", "!=", "~>", "<", ">", "="} {
		if strings.HasPrefix(s, o) {
			op, s = o, strings.TrimSpace(s[len(o):])
			break
		}
	}
	v, err := SharedGo(s) // a run checks the same few terms again and again
	if err != nil {
		return "", nil, 0, false
	}
	s = strings.TrimPrefix(s, "v")
	written = 1
	for i := 0; i < len(s); i++ {
		if s[i] == '.' && i+1 < len(s) && isDigit(s[i+1]) {
			written++
			continue
		}
		if !isDigit(s[i]) {
			break
		}
	}
	return op, v, written, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// comparePadded orders segment lists as go-version orders versions whose
// segments differ: missing segments count as 0.
func comparePadded(a, b []int64) int {
	for i := range max(len(a), len(b)) {
		var x, y int64
		if i < len(a) {
			x = a[i]
		}
		if i < len(b) {
			y = b[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// comparePrefix compares the first n segments of a and b, padded.
func comparePrefix(a, b []int64, n int) int {
	return comparePadded(a[:min(n, len(a))], b[:min(n, len(b))])
}
