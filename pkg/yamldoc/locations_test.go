package yamldoc

import (
	"fmt"
	"math/rand"
	"testing"
)

// TestLocationsAsAMap: Set, Delete, Get, Has, Len and All answer as a map
// of the same operations does, through the table's growth (a small start,
// thousands of paths), with deleted paths set again, and in the order the
// paths were first set.
func TestLocationsAsAMap(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewSource(1))
	for _, start := range []int{0, 1, 57, 3000} {
		l := NewLocations(start)
		want := map[string]Loc{}
		var order []string // paths in the order first set (a deleted one set again keeps its place)
		first := map[string]bool{}
		for i := 0; i < 6000; i++ {
			p := fmt.Sprintf("spec.path[%d]", rng.Intn(2500))
			switch rng.Intn(4) {
			case 0:
				l.Delete(p)
				delete(want, p)
			default:
				loc := Loc{Key: Pos{rng.Intn(1000) + 1, rng.Intn(80) + 1}, Value: Pos{i + 1, 3}}
				if !first[p] {
					first[p] = true
					order = append(order, p)
				}
				l.Set(p, loc)
				want[p] = loc
			}
		}
		if l.Len() != len(want) {
			t.Fatalf("start %d: Len() = %d, want %d", start, l.Len(), len(want))
		}
		for i := 0; i < 2500; i++ {
			p := fmt.Sprintf("spec.path[%d]", i)
			got, ok := l.Get(p)
			w, wok := want[p]
			if got != w || ok != wok || l.Has(p) != wok {
				t.Fatalf("start %d: Get(%q) = %v, %v; want %v, %v", start, p, got, ok, w, wok)
			}
		}
		var all []string
		for p, loc := range l.All() {
			if loc != want[p] {
				t.Fatalf("start %d: All yields %q at %v, want %v", start, p, loc, want[p])
			}
			all = append(all, p)
		}
		var wantAll []string
		for _, p := range order {
			if _, ok := want[p]; ok {
				wantAll = append(wantAll, p)
			}
		}
		if fmt.Sprint(all) != fmt.Sprint(wantAll) {
			t.Fatalf("start %d: All yields %d paths out of the order they were first set", start, len(all))
		}
	}
}

// TestLocationsZero: the zero Locations holds nothing and places every
// path at 1:1; Set on it makes its own table; copies share entries.
func TestLocationsZero(t *testing.T) {
	t.Parallel()
	var l Locations
	if l.Has("") || l.Len() != 0 || l.Locate("spec.to") != (Pos{1, 1}) {
		t.Fatalf("zero Locations: Has %v, Len %d, Locate %v", l.Has(""), l.Len(), l.Locate("spec.to"))
	}
	l.Delete("spec") // no table: nothing to do
	l.Set("spec", Loc{Key: Pos{3, 1}, Value: Pos{4, 3}})
	c := l
	l.Set("spec.to", Loc{Key: Pos{4, 3}, Value: Pos{4, 7}})
	if got := c.Locate("spec.to"); got != (Pos{4, 7}) {
		t.Errorf("a copy's Locate(spec.to) = %v, want 4:7 (set after the copy)", got)
	}
	if got := c.Locate("spec.from"); got != (Pos{3, 1}) {
		t.Errorf("Locate(spec.from) = %v, want spec's key 3:1", got)
	}
	l.Set("big", Loc{Key: Pos{1 << 40, 1}, Value: Pos{-1 << 40, 1}})
	if got, _ := l.Get("big"); got.Key.Line != 1<<31-1 || got.Value.Line != -1<<31 {
		t.Errorf("out-of-range lines stored as %v, want them clamped to int32", got)
	}
}
