// Package upgradepath checks and suggests upgrade paths under a policy's path rules
// (manifest v1, section 2): required stops, maxStep and blocked hops.
//
// A hop u -> v crosses a required stop S when u < S and series(v) > series(S),
// where series is MAJOR.MINOR. It exceeds maxStep when it raises the major by
// more than maxStep.major or, within one major, the minor by more than
// maxStep.minor. It is blocked when a blocked entry's From holds for u and its
// To holds for v. Versions are ordered as hashicorp/go-version orders them.
//
// New prepares an Engine once per policy; the Engine is read-only afterwards
// and safe for concurrent use.
package upgradepath

import (
	"cmp"
	"errors"
	"slices"
	"sort"

	version "github.com/hashicorp/go-version"
)

// ErrNoPath is the error Suggest wraps when no legal path exists.
var ErrNoPath = errors.New("no legal upgrade path")

// Stop is one required stop of a policy.
type Stop struct {
	// Version is the stop's version.
	Version *version.Version
	// Raw is the version as written in the policy.
	Raw string
	// Series is true for a stop written as a series of two segments
	// (MAJOR.MINOR, "17.3"; see IsSeries): any release of the series
	// satisfies it. Version is then MAJOR.MINOR.0, so that the crossing rule
	// is the same as for an exact stop: a hop from below MAJOR.MINOR.0 (its
	// pre-releases included) to a later series crosses it.
	Series bool
	// Conditional, when non-empty, says which instances need the stop:
	// crossing it is a warning, not an error. Suggest honours it all the same.
	Conditional string
	// Index is the stop's position in the policy's requiredStops.
	Index int
	// Pos is where the stop was written.
	Pos Pos
}

// Pos is where a rule was written: a policy, or a vendor file the policy
// imports, so that findings about the rule can point there. The engine
// carries it and never reads it.
type Pos struct {
	File         string
	Line, Column int
}

// Blocked is a hop that must never be taken: from a version satisfying From
// to a version satisfying To. An empty constraint holds for every version.
type Blocked struct {
	From, To       Constraint
	FromRaw, ToRaw string
	Reason, URL    string
	// Index is the entry's position in the policy's blocked list.
	Index int
	// Pos is where the entry was written.
	Pos Pos
}

// MaxStep limits how far one hop may go. A limit applies only when its Has
// field is true. Minor limits hops that keep the major.
type MaxStep struct {
	Major, Minor       int
	HasMajor, HasMinor bool
	// Pos is where the limits were written.
	Pos Pos
}

// Rules are the path rules of one policy.
type Rules struct {
	// Releases are the known releases, in any order, duplicates allowed.
	// Empty means the releases are unknown: Suggest then returns the crossed
	// stops only.
	Releases []*version.Version
	// Parsed are more releases, read by ParseVersion: the engine orders
	// them by their segments and makes a go-version version only of those
	// it returns or compares with go-version (a policy's own releases).
	Parsed []*Version
	// Stops are the required stops, in any order.
	Stops   []Stop
	MaxStep MaxStep
	Blocked []Blocked
	// Graphs name the update graphs the policy imports (their files). With
	// any, a hop is legal only along one of Edges, and the edges' ends are
	// releases.
	Graphs []string
	Edges  []Edge
	// Rows are the compatibility rows: SuggestFor prefers routes whose
	// every stop the environment satisfies.
	Rows []Row
}

// Engine answers path questions for one policy. Build it with New; it is
// read-only afterwards and safe for concurrent use.
type Engine struct {
	step    MaxStep
	blocked []Blocked

	// Required stops: one group per distinct version, ascending.
	stops []stopGroup

	// Releases: distinct, ascending; every per-release slice below is
	// indexed like rel.
	rel []*Version // their keys are relKey(rel[i]), made when compared
	pre []bool     // the release has a pre-release
	sr  []int32    // number of stops <= the release
	ti  []int32    // number of stops whose series is below the release's
	// Legal predecessors u of release i lie in
	// [max(cross[i], majLo[i]), majAt[i]) ∪ [max(cross[i], minLo[i]), i),
	// before the blocked entries are applied.
	cross []int32 // first release j with sr[j] >= ti[i]
	majLo []int32 // first release whose major is at least major[i]-maxStep.major
	majAt []int32 // first release of major[i]
	minLo []int32 // first release of major[i] within maxStep.minor of minor[i]
	// preIdx lists the releases with a pre-release, ascending.
	preIdx []int32
	// ordered is true when the releases ascend in the order of their
	// segments (trailing zeros aside), as they do unless four-segment
	// versions meet pre-releases; blocked constraints are then evaluated
	// by binary search, else release by release.
	ordered bool

	// Blocked entries as sets of releases, in policy order.
	from, to []set
	// g holds the edges of the imported update graphs; nil without one.
	g *graph
	// rows are the compatibility rows; rowSets[k] the releases rows[k]
	// covers.
	rows    []Row
	rowSets []set
	// ruled remembers what each component version of an environment rules
	// out (ruledOut); envComps are the components the rows require, sorted
	// (EnvKey)
	ruled    *ruledOutMemo
	envComps []string

	// segs partition the releases so that within one segment the same
	// entries' To holds; into lists the releases a hop from which into the
	// segment is blocked (intoPre: into its pre-releases).
	segs []segment
}

type segment struct {
	lo, hi        int32
	into, intoPre set
}

type stopGroup struct {
	key          key
	major, minor int64
	stops        []Stop // same version, by Index
}

// DefaultLimit is the work limit policies are built with (NewLimited): far
// above what a real policy needs (tens of blocked entries over thousands
// of releases need thousands of steps), and a search within it takes
// milliseconds.
const DefaultLimit = 5_000_000

// New prepares an Engine without a work limit. It copies, sorts and
// de-duplicates the releases and stops (nil versions are ignored) and
// turns every blocked constraint into ranges of releases once.
func New(r Rules) *Engine {
	e, _ := NewLimited(r, 0)
	return e
}

// NewLimited is New with a bound on the work: evaluating the blocked
// constraints and, per search, scanning the blocked ranges may take at most
// limit steps (0: no limit). Over the limit it returns a *LimitError and
// no engine.
func NewLimited(r Rules, limit int64) (*Engine, error) {
	e := &Engine{step: r.MaxStep, ruled: &ruledOutMemo{}}
	e.blocked = slices.Clone(r.Blocked)
	slices.SortStableFunc(e.blocked, func(a, b Blocked) int { return cmp.Compare(a.Index, b.Index) })

	stops := MergeStops(r.Stops)
	skeys := make([]key, len(stops))
	order := make([]int, len(stops))
	for i := range stops {
		skeys[i] = keyOf(stops[i].Version)
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if c := compareKeys(&skeys[a], &skeys[b]); c != 0 {
			return c
		}
		return cmp.Compare(stops[a].Index, stops[b].Index)
	})
	for _, i := range order {
		if n := len(e.stops); n > 0 && compareKeys(&e.stops[n-1].key, &skeys[i]) == 0 {
			e.stops[n-1].stops = append(e.stops[n-1].stops, stops[i])
			continue
		}
		maj, mi := series(&skeys[i])
		e.stops = append(e.stops, stopGroup{key: skeys[i], major: maj, minor: mi, stops: []Stop{stops[i]}})
	}

	releases := make([]*Version, 0, len(r.Releases)+len(r.Parsed))
	for _, v := range r.Releases {
		if v != nil {
			releases = append(releases, FromGo(v))
		}
	}
	for _, v := range r.Parsed {
		if v != nil {
			releases = append(releases, v)
		}
	}
	if len(r.Graphs) > 0 {
		releases = append(releases, edgeEndpoints(releases, r.Edges)...)
	}
	// the releases are sorted and compacted themselves, their keys made
	// for each comparison (relKey allocates nothing): an array of keys
	// was 56 bytes of fresh memory per release
	byVersion := func(a, b *Version) int {
		ka, kb := relKey(a), relKey(b)
		return compareKeys(&ka, &kb)
	}
	if !slices.IsSortedFunc(releases, byVersion) { // policies list them in order: that costs one pass
		slices.SortStableFunc(releases, byVersion)
	}
	var index map[*version.Version]int32 // with a graph: go-version pointer of a release -> index
	if len(r.Graphs) > 0 {
		index = make(map[*version.Version]int32, len(releases))
		at := int32(-1)
		for i := range releases {
			if i == 0 || byVersion(releases[i-1], releases[i]) != 0 {
				at++
			}
			if gv := releases[i].gv.Load(); gv != nil {
				index[gv] = at
			}
		}
	}
	e.rel = slices.CompactFunc(releases, func(a, b *Version) bool { return byVersion(a, b) == 0 })
	n := len(e.rel)
	e.pre = make([]bool, n)
	e.sr = make([]int32, n)
	e.ti = make([]int32, n)
	e.ordered = true
	// Without a pre-release, releases and stops are in one total order
	// (segments, missing ones 0): every count and bound below is then
	// non-decreasing along the releases, and one sweep finds them all
	// (sweep), instead of binary searches per release.
	sweep := true
	for _, v := range e.rel {
		sweep = sweep && v.pre == ""
	}
	for j := range e.stops {
		sweep = sweep && e.stops[j].key.pre == ""
	}
	var upTo, below int32 // the sweep's stop counts
	for i, v := range e.rel {
		k := relKey(v)
		e.pre[i] = k.pre != ""
		if e.pre[i] {
			e.preIdx = append(e.preIdx, int32(i))
		}
		if i > 0 && comparePadded(e.rel[i-1].segments(), k.segs) > 0 {
			e.ordered = false
		}
		maj, mi := series(&k)
		if !sweep {
			e.sr[i] = e.stopsUpTo(&k)
			e.ti[i] = e.stopsBelowSeries(maj, mi)
			continue
		}
		for int(upTo) < len(e.stops) && compareKeys(&e.stops[upTo].key, &k) <= 0 {
			upTo++
		}
		for int(below) < len(e.stops) && (e.stops[below].major < maj || e.stops[below].major == maj && e.stops[below].minor < mi) {
			below++
		}
		e.sr[i], e.ti[i] = upTo, below
	}
	e.cross = make([]int32, n)
	e.majLo = make([]int32, n)
	e.majAt = make([]int32, n)
	e.minLo = make([]int32, n)
	if sweep {
		e.sweepBounds()
	} else {
		for i := range n {
			e.cross[i], e.majLo[i], e.majAt[i], e.minLo[i] = e.bounds(e.major(i), e.minor(i), e.ti[i])
		}
	}
	if len(r.Graphs) > 0 {
		e.buildGraph(r.Graphs, r.Edges, index)
	}
	b := &budget{limit: limit}
	e.classify(b)
	e.coverRows(r.Rows, b)
	if b.what != "" {
		return nil, &LimitError{What: b.what, Limit: limit}
	}
	return e, nil
}

// classify turns the blocked constraints into sets of releases and, for
// each segment of releases where the same To constraints hold, the union
// of the matching From sets.
func (e *Engine) classify(b *budget) {
	n := int32(len(e.rel))
	e.from = make([]set, len(e.blocked))
	e.to = make([]set, len(e.blocked))
	for k := range e.blocked {
		e.from[k] = e.constraintSet(e.blocked[k].From, b)
		e.to[k] = e.constraintSet(e.blocked[k].To, b)
		if b.what != "" {
			return
		}
	}
	// sweep the To pieces: events set an entry's level from a position on
	type event struct {
		at  int32
		k   int32
		lvl uint8
	}
	var evs []event
	for k, s := range e.to {
		for _, p := range s {
			evs = append(evs, event{p.lo, int32(k), p.lvl}, event{p.hi, int32(k), 0})
		}
	}
	// at one position, ends before starts
	slices.SortStableFunc(evs, func(x, y event) int {
		if c := cmp.Compare(x.at, y.at); c != 0 {
			return c
		}
		return cmp.Compare(min(x.lvl, 1), min(y.lvl, 1))
	})
	level := make([]uint8, len(e.blocked))
	var active []int32 // entries with a level, in no order
	pos := make([]int32, len(e.blocked))
	var scan int64 // pieces a search may scan over all releases
	var stable, every []set
	for j, at := 0, int32(0); at < n; {
		for ; j < len(evs) && evs[j].at == at; j++ {
			ev := evs[j]
			switch {
			case level[ev.k] == 0 && ev.lvl != 0:
				pos[ev.k] = int32(len(active))
				active = append(active, ev.k)
			case level[ev.k] != 0 && ev.lvl == 0:
				last := active[len(active)-1]
				active[pos[ev.k]], pos[last] = last, pos[ev.k]
				active = active[:len(active)-1]
			}
			level[ev.k] = ev.lvl
		}
		next := n
		if j < len(evs) {
			next = min(evs[j].at, n)
		}
		if len(active) > 0 {
			stable, every = stable[:0], every[:0]
			for _, k := range active {
				stable = append(stable, e.from[k])
				if level[k] == lvlAll {
					every = append(every, e.from[k])
				}
				if !b.spend(int64(len(e.from[k])), "blocked constraints") {
					return
				}
			}
			sg := segment{lo: at, hi: next, into: unionAll(stable)}
			a, _ := slices.BinarySearch(e.preIdx, at)
			z, _ := slices.BinarySearch(e.preIdx, next)
			if z > a {
				sg.intoPre = unionAll(every)
			}
			scan += int64(int(next-at)-(z-a))*int64(len(sg.into)) + int64(z-a)*int64(len(sg.intoPre))
			e.segs = append(e.segs, sg)
		}
		at = next
	}
	b.spend(scan, "a search over the blocked ranges")
}

// into returns the releases a hop from which into release i is blocked.
func (e *Engine) into(i int32) set {
	j := sort.Search(len(e.segs), func(j int) bool { return e.segs[j].hi > i })
	if j == len(e.segs) || e.segs[j].lo > i {
		return nil
	}
	if e.pre[i] {
		return e.segs[j].intoPre
	}
	return e.segs[j].into
}

// bounds returns, for a target with the given series and stop count ti, the
// first release that does not cross a stop into it (cross) and the maxStep
// bounds described on Engine.
func (e *Engine) bounds(maj, mi int64, ti int32) (cross, majLo, majAt, minLo int32) {
	n := len(e.rel)
	cross = int32(sort.Search(n, func(j int) bool { return e.sr[j] >= ti }))
	majAt = int32(sort.Search(n, func(j int) bool { return e.major(j) >= maj }))
	switch {
	case !e.step.HasMajor:
		majLo = 0
	case e.step.Major < 0:
		majLo = majAt
	default:
		lo := maj - int64(e.step.Major)
		majLo = int32(sort.Search(n, func(j int) bool { return e.major(j) >= lo }))
	}
	switch {
	case e.step.HasMajor && e.step.Major < 0, e.step.HasMinor && e.step.Minor < 0:
		minLo = int32(n)
	case !e.step.HasMinor:
		minLo = majAt
	default:
		lo := mi - int64(e.step.Minor)
		minLo = int32(sort.Search(n, func(j int) bool {
			return e.major(j) > maj || e.major(j) == maj && e.minor(j) >= lo
		}))
	}
	return cross, majLo, majAt, minLo
}

// sweepBounds sets every release's cross, majLo, majAt and minLo as bounds
// finds them, in one pass: when major, minor, sr and ti never decrease
// along the releases (New's sweep), neither does any bound, so each search
// resumes where the one of the release before ended.
func (e *Engine) sweepBounds() {
	n := int32(len(e.rel))
	var cross, majLo, majAt, minLo int32
	for i := range n {
		maj, mi := e.major(int(i)), e.minor(int(i))
		for cross < n && e.sr[cross] < e.ti[i] {
			cross++
		}
		for majAt < n && e.major(int(majAt)) < maj {
			majAt++
		}
		e.cross[i], e.majAt[i] = cross, majAt
		switch {
		case !e.step.HasMajor:
			e.majLo[i] = 0
		case e.step.Major < 0:
			e.majLo[i] = majAt
		default:
			lo := maj - int64(e.step.Major)
			for majLo < n && e.major(int(majLo)) < lo {
				majLo++
			}
			e.majLo[i] = majLo
		}
		switch {
		case e.step.HasMajor && e.step.Major < 0, e.step.HasMinor && e.step.Minor < 0:
			e.minLo[i] = n
		case !e.step.HasMinor:
			e.minLo[i] = majAt
		default:
			lo := mi - int64(e.step.Minor)
			for minLo < n && (e.major(int(minLo)) < maj || e.major(int(minLo)) == maj && e.minor(int(minLo)) < lo) {
				minLo++
			}
			e.minLo[i] = minLo
		}
	}
}

// stopsUpTo returns the number of distinct stop versions <= k.
func (e *Engine) stopsUpTo(k *key) int32 {
	return int32(sort.Search(len(e.stops), func(j int) bool { return compareKeys(&e.stops[j].key, k) > 0 }))
}

// stopsBelowSeries returns the number of distinct stop versions whose series
// is below maj.mi. Those stops are a prefix of e.stops.
func (e *Engine) stopsBelowSeries(maj, mi int64) int32 {
	return int32(sort.Search(len(e.stops), func(j int) bool {
		s := &e.stops[j]
		return s.major > maj || s.major == maj && s.minor >= mi
	}))
}

// HasReleases reports whether the policy lists its releases.
func (e *Engine) HasReleases() bool { return len(e.rel) > 0 }

// IsRelease reports whether v equals one of the releases.
func (e *Engine) IsRelease(v *version.Version) bool {
	if v == nil {
		return false
	}
	k := keyOf(v)
	i := e.releasesBelow(&k)
	return i < len(e.rel) && e.compareRelease(i, &k) == 0
}

// releasesBelow returns the number of releases < k.
func (e *Engine) releasesBelow(k *key) int {
	return sort.Search(len(e.rel), func(j int) bool { return e.compareRelease(j, k) >= 0 })
}

// releasesUpTo returns the number of releases <= k.
func (e *Engine) releasesUpTo(k *key) int {
	return sort.Search(len(e.rel), func(j int) bool { return e.compareRelease(j, k) > 0 })
}

// major and minor return release i's MAJOR and MINOR (series): read from
// the release rather than held in arrays beside rel, 16 bytes of fresh
// memory per release.
func (e *Engine) major(i int) int64 {
	if s := e.rel[i].segments(); len(s) > 0 {
		return s[0]
	}
	return 0
}

func (e *Engine) minor(i int) int64 {
	if s := e.rel[i].segments(); len(s) > 1 {
		return s[1]
	}
	return 0
}

// compareRelease is compareKeys of release i and k.
func (e *Engine) compareRelease(i int, k *key) int {
	ki := relKey(e.rel[i])
	return compareKeys(&ki, k)
}
