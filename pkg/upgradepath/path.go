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
	// Conditional, when non-empty, says which instances need the stop:
	// crossing it is a warning, not an error. Suggest honours it all the same.
	Conditional string
	// Index is the stop's position in the policy's requiredStops.
	Index int
}

// Blocked is a hop that must never be taken: from a version satisfying From
// to a version satisfying To. An empty constraint holds for every version.
type Blocked struct {
	From, To       version.Constraints
	FromRaw, ToRaw string
	Reason, URL    string
	// Index is the entry's position in the policy's blocked list.
	Index int
}

// MaxStep limits how far one hop may go. A limit applies only when its Has
// field is true. Minor limits hops that keep the major.
type MaxStep struct {
	Major, Minor       int
	HasMajor, HasMinor bool
}

// Rules are the path rules of one policy.
type Rules struct {
	// Releases are the known releases, in any order, duplicates allowed.
	// Empty means the releases are unknown: Suggest then returns the crossed
	// stops only.
	Releases []*version.Version
	// Stops are the required stops, in any order.
	Stops   []Stop
	MaxStep MaxStep
	Blocked []Blocked
}

// Engine answers path questions for one policy. Build it with New; it is
// read-only afterwards and safe for concurrent use.
type Engine struct {
	step    MaxStep
	blocked []Blocked
	words   int // length of the blocked bit sets

	// Required stops: one group per distinct version, ascending.
	stops []stopGroup

	// Releases: distinct, ascending; every per-release slice below is
	// indexed like rel.
	rel   []*version.Version
	keys  []key
	major []int64
	minor []int64
	sr    []int32 // number of stops <= the release
	ti    []int32 // number of stops whose series is below the release's
	// Legal predecessors u of release i lie in
	// [max(cross[i], majLo[i]), majAt[i]) ∪ [max(cross[i], minLo[i]), i),
	// before the blocked entries are applied.
	cross []int32 // first release j with sr[j] >= ti[i]
	majLo []int32 // first release whose major is at least major[i]-maxStep.major
	majAt []int32 // first release of major[i]
	minLo []int32 // first release of major[i] within maxStep.minor of minor[i]

	// Blocked classes: releases with the same set of holding From
	// constraints share a from class, likewise for To.
	fromClass []int32    // per release
	toClass   []int32    // per release
	members   [][]int32  // per from class: its releases, ascending
	fromBits  [][]uint64 // per from class
	toBits    [][]uint64 // per to class
	allowed   [][]int32  // per to class: the from classes disjoint from it
}

type stopGroup struct {
	key          key
	major, minor int64
	stops        []Stop // same version, by Index
}

// New prepares an Engine. It copies, sorts and de-duplicates the releases
// and stops (nil versions are ignored) and evaluates every blocked
// constraint against every release once.
func New(r Rules) *Engine {
	e := &Engine{step: r.MaxStep}
	e.blocked = slices.Clone(r.Blocked)
	slices.SortStableFunc(e.blocked, func(a, b Blocked) int { return cmp.Compare(a.Index, b.Index) })
	e.words = (len(e.blocked) + 63) / 64

	var stops []Stop
	for _, s := range r.Stops {
		if s.Version != nil {
			stops = append(stops, s)
		}
	}
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

	for _, v := range r.Releases {
		if v != nil {
			e.keys = append(e.keys, keyOf(v))
		}
	}
	slices.SortStableFunc(e.keys, func(a, b key) int { return compareKeys(&a, &b) })
	e.keys = slices.CompactFunc(e.keys, func(a, b key) bool { return compareKeys(&a, &b) == 0 })
	n := len(e.keys)
	e.rel = make([]*version.Version, n)
	e.major = make([]int64, n)
	e.minor = make([]int64, n)
	e.sr = make([]int32, n)
	e.ti = make([]int32, n)
	for i := range e.keys {
		e.rel[i] = e.keys[i].v
		e.major[i], e.minor[i] = series(&e.keys[i])
		e.sr[i] = e.stopsUpTo(&e.keys[i])
		e.ti[i] = e.stopsBelowSeries(e.major[i], e.minor[i])
	}
	e.cross = make([]int32, n)
	e.majLo = make([]int32, n)
	e.majAt = make([]int32, n)
	e.minLo = make([]int32, n)
	for i := range n {
		e.cross[i], e.majLo[i], e.majAt[i], e.minLo[i] = e.bounds(e.major[i], e.minor[i], e.ti[i])
	}
	e.classify()
	return e
}

// classify evaluates the blocked constraints on every release and groups
// the releases by the set of entries whose From (and To) holds.
func (e *Engine) classify() {
	n := len(e.rel)
	e.fromClass = make([]int32, n)
	e.toClass = make([]int32, n)
	fromIDs := map[string]int32{}
	toIDs := map[string]int32{}
	var buf []byte
	intern := func(ids map[string]int32, sets *[][]uint64, bits []uint64) int32 {
		buf = appendBits(buf[:0], bits)
		if id, ok := ids[string(buf)]; ok {
			return id
		}
		id := int32(len(*sets))
		ids[string(buf)] = id
		*sets = append(*sets, slices.Clone(bits))
		return id
	}
	fb := make([]uint64, e.words)
	tb := make([]uint64, e.words)
	for i, v := range e.rel {
		clear(fb)
		clear(tb)
		for j := range e.blocked {
			if e.blocked[j].From.Check(v) {
				fb[j/64] |= 1 << (j % 64)
			}
			if e.blocked[j].To.Check(v) {
				tb[j/64] |= 1 << (j % 64)
			}
		}
		f := intern(fromIDs, &e.fromBits, fb)
		e.fromClass[i] = f
		e.toClass[i] = intern(toIDs, &e.toBits, tb)
		if int(f) == len(e.members) {
			e.members = append(e.members, nil)
		}
		e.members[f] = append(e.members[f], int32(i))
	}
	e.allowed = make([][]int32, len(e.toBits))
	for t, bits := range e.toBits {
		e.allowed[t] = e.allowedFrom(bits)
	}
}

// allowedFrom lists the from classes none of whose entries has a To that
// holds in toBits.
func (e *Engine) allowedFrom(toBits []uint64) []int32 {
	var out []int32
	for f, bits := range e.fromBits {
		if disjoint(bits, toBits) {
			out = append(out, int32(f))
		}
	}
	return out
}

// bounds returns, for a target with the given series and stop count ti, the
// first release that does not cross a stop into it (cross) and the maxStep
// bounds described on Engine.
func (e *Engine) bounds(maj, mi int64, ti int32) (cross, majLo, majAt, minLo int32) {
	n := len(e.rel)
	cross = int32(sort.Search(n, func(j int) bool { return e.sr[j] >= ti }))
	majAt = int32(sort.Search(n, func(j int) bool { return e.major[j] >= maj }))
	switch {
	case !e.step.HasMajor:
		majLo = 0
	case e.step.Major < 0:
		majLo = majAt
	default:
		lo := maj - int64(e.step.Major)
		majLo = int32(sort.Search(n, func(j int) bool { return e.major[j] >= lo }))
	}
	switch {
	case e.step.HasMajor && e.step.Major < 0, e.step.HasMinor && e.step.Minor < 0:
		minLo = int32(n)
	case !e.step.HasMinor:
		minLo = majAt
	default:
		lo := mi - int64(e.step.Minor)
		minLo = int32(sort.Search(n, func(j int) bool {
			return e.major[j] > maj || e.major[j] == maj && e.minor[j] >= lo
		}))
	}
	return cross, majLo, majAt, minLo
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
	return i < len(e.rel) && compareKeys(&e.keys[i], &k) == 0
}

// releasesBelow returns the number of releases < k.
func (e *Engine) releasesBelow(k *key) int {
	return sort.Search(len(e.keys), func(j int) bool { return compareKeys(&e.keys[j], k) >= 0 })
}

// releasesUpTo returns the number of releases <= k.
func (e *Engine) releasesUpTo(k *key) int {
	return sort.Search(len(e.keys), func(j int) bool { return compareKeys(&e.keys[j], k) > 0 })
}

func disjoint(a, b []uint64) bool {
	for i := range a {
		if a[i]&b[i] != 0 {
			return false
		}
	}
	return true
}

// appendBits appends the bytes of a bit set, to key a map by it.
func appendBits(b []byte, bits []uint64) []byte {
	for _, w := range bits {
		for s := 0; s < 64; s += 8 {
			b = append(b, byte(w>>s))
		}
	}
	return b
}
