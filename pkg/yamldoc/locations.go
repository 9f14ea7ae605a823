package yamldoc

import (
	"hash/maphash"
	"iter"
	"math"
	"strings"
)

// Pos is a 1-based line and column.
type Pos struct{ Line, Column int }

// Loc records where a field's key and value stand.
type Loc struct{ Key, Value Pos }

// Locations maps a field's path ("spec.path[1]", "spec.environment.postgresql")
// to where it stands in the file. Its zero value holds nothing and answers
// every question (Locate, Has); NewLocations makes one that Set can fill.
// Copies share their entries, as a map's do: an exception keeps its
// document's Locations while the decoder goes on recording.
//
// It is a table of (path, position) entries in the order they were set,
// with an open-addressing index over their paths' hashes: a manifest's 57
// positions take 2.3 KB instead of a map's 7 KB (Go's map doubles past 56
// of its slots and each slot held four ints).
type Locations struct{ t *locTable }

type locTable struct {
	entries []locEntry
	// slots index entries by the hash of their path (linear probing):
	// 0 is an empty slot, i+1 entry i. len(slots) is a power of two and
	// at least twice len(entries), so a probe ends at an empty slot soon.
	slots []uint32
	live  int // entries not deleted
}

type locEntry struct {
	path           string
	kl, kc, vl, vc int32
	deleted        bool
}

var locSeed = maphash.MakeSeed()

// NewLocations makes an empty Locations with room for n positions.
func NewLocations(n int) Locations {
	n = max(n, 0)
	size := 8
	for size < 2*n {
		size *= 2
	}
	return Locations{&locTable{entries: make([]locEntry, 0, n), slots: make([]uint32, size)}}
}

// find returns the index of path's entry (deleted or not), or -1, and the
// slot where it stands or would stand.
func (t *locTable) find(path string) (int, int) {
	mask := uint64(len(t.slots) - 1)
	s := maphash.String(locSeed, path) & mask
	for {
		e := t.slots[s]
		if e == 0 {
			return -1, int(s)
		}
		if t.entries[e-1].path == path {
			return int(e - 1), int(s)
		}
		s = (s + 1) & mask
	}
}

func (l Locations) entry(path string) *locEntry {
	if l.t == nil {
		return nil
	}
	i, _ := l.t.find(path)
	if i < 0 || l.t.entries[i].deleted {
		return nil
	}
	return &l.t.entries[i]
}

// Get returns the position recorded for path.
func (l Locations) Get(path string) (Loc, bool) {
	e := l.entry(path)
	if e == nil {
		return Loc{}, false
	}
	return e.loc(), true
}

func (e *locEntry) loc() Loc {
	return Loc{Key: Pos{int(e.kl), int(e.kc)}, Value: Pos{int(e.vl), int(e.vc)}}
}

// Set records the position of path, replacing one recorded before. On a
// zero Locations it makes the table first (the copies made before do not
// see it).
func (l *Locations) Set(path string, loc Loc) {
	if l.t == nil {
		*l = NewLocations(0)
	}
	t := l.t
	i, s := t.find(path)
	if i < 0 {
		if 2*(len(t.entries)+1) > len(t.slots) {
			t.grow()
			_, s = t.find(path)
		}
		t.entries = append(t.entries, locEntry{path: path})
		i = len(t.entries) - 1
		t.slots[s] = uint32(i + 1)
		t.live++
	} else if t.entries[i].deleted {
		t.entries[i].deleted = false
		t.live++
	}
	e := &t.entries[i]
	e.kl, e.kc, e.vl, e.vc = clamp(loc.Key.Line), clamp(loc.Key.Column), clamp(loc.Value.Line), clamp(loc.Value.Column)
}

// clamp fits a line or column in an entry (files are far smaller than 2 GiB
// lines; a larger number would stand at the largest).
func clamp(n int) int32 {
	if n > math.MaxInt32 {
		return math.MaxInt32
	}
	if n < math.MinInt32 {
		return math.MinInt32
	}
	return int32(n)
}

func (t *locTable) grow() {
	t.slots = make([]uint32, 2*len(t.slots))
	mask := uint64(len(t.slots) - 1)
	for i := range t.entries {
		s := maphash.String(locSeed, t.entries[i].path) & mask
		for t.slots[s] != 0 {
			s = (s + 1) & mask
		}
		t.slots[s] = uint32(i + 1)
	}
}

// Delete removes the position of path. Its entry stays in the table,
// marked, so that the index needs no repair; setting path again revives it.
func (l Locations) Delete(path string) {
	if e := l.entry(path); e != nil {
		e.deleted = true
		l.t.live--
	}
}

// Len returns the number of positions recorded.
func (l Locations) Len() int {
	if l.t == nil {
		return 0
	}
	return l.t.live
}

// All yields the recorded paths and positions, in the order they were
// first set.
func (l Locations) All() iter.Seq2[string, Loc] {
	return func(yield func(string, Loc) bool) {
		if l.t == nil {
			return
		}
		for i := range l.t.entries {
			if e := &l.t.entries[i]; !e.deleted && !yield(e.path, e.loc()) {
				return
			}
		}
	}
}

// Locate returns the position a finding about path should point at: the
// value's node when the field is present, otherwise the key of the nearest
// present ancestor (a missing child is reported at its parent's key), and
// line 1, column 1 of the document when nothing is present.
func (l Locations) Locate(path string) Pos {
	if l.t == nil {
		return Pos{1, 1}
	}
	if e := l.entry(path); e != nil {
		return Pos{int(e.vl), int(e.vc)}
	}
	for p := parent(path); p != ""; p = parent(p) {
		if e := l.entry(p); e != nil {
			return Pos{int(e.kl), int(e.kc)}
		}
	}
	if e := l.entry(""); e != nil {
		return Pos{int(e.vl), int(e.vc)}
	}
	return Pos{1, 1}
}

// Has reports whether the field at path was present.
func (l Locations) Has(path string) bool { return l.entry(path) != nil }

// Subset returns the entries of l that Locate and Has read for the given
// paths (each path's own, its ancestors' and the document's): for those
// paths the subset answers as l does, at the size of what they need.
func (l Locations) Subset(paths ...string) Locations {
	out := NewLocations(len(paths) + 2) // the paths, the document, their common ancestor ("spec")
	keep := func(p string) {
		if e := l.entry(p); e != nil {
			out.Set(p, e.loc())
		}
	}
	keep("")
	for _, p := range paths {
		for ; p != ""; p = parent(p) {
			if out.entry(p) != nil {
				break // its ancestors are in already
			}
			keep(p)
		}
	}
	return out
}

func parent(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}
