package upgradepath

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	version "github.com/hashicorp/go-version"
)

// sameAsGoVersion reports how ParseVersion differs from version.NewVersion
// on s: acceptance, error text, segments, pre-release, metadata, text, and
// the go-version version Go makes; "" when it does not.
func sameAsGoVersion(s string) string {
	gv, gerr := version.NewVersion(s)
	v, err := ParseVersion(s)
	switch {
	case (gerr == nil) != (err == nil):
		return "go-version error " + errText(gerr) + ", ParseVersion error " + errText(err)
	case gerr != nil:
		if gerr.Error() != err.Error() {
			return "error " + err.Error() + ", go-version's " + gerr.Error()
		}
		return ""
	case !slices.Equal(v.segments(), gv.Segments64()):
		return "segments differ"
	case v.pre != gv.Prerelease() || v.Prerelease() != gv.Prerelease():
		return "pre-release " + v.pre + ", go-version's " + gv.Prerelease()
	case v.metadata() != gv.Metadata():
		return "metadata " + v.metadata() + ", go-version's " + gv.Metadata()
	case v.Original() != s:
		return "text " + v.Original()
	case v.String() != gv.String():
		return "String() " + v.String() + ", go-version's " + gv.String()
	}
	k, gk := relKey(v), keyOf(gv)
	if compareKeys(&k, &gk) != 0 {
		return "the keys differ"
	}
	if g := v.Go(); g.Original() != s || g.String() != gv.String() || g.Compare(gv) != 0 {
		return "Go() is " + g.Original()
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return "nil"
	}
	return "«" + err.Error() + "»"
}

func TestParseVersion(t *testing.T) {
	for _, s := range []string{
		"", "v", "V1", "vv1", " 1.2", "1.2 ", "1.2\n", "1", "v1", "1.2", "1.2.3", "01.002.0003",
		"1.2.3.4.5.6.7", "v1.2.3.4-rc.1+b.2", "1.", "1..2", ".1", "1.2.", "1.a", "1.2.a",
		"1.0-1", "1.0-rc.1", "1.0-rc1", "1.0-1a.b", "1.0a", "1.0A.1", "1.0~x", "1.0-", "1.0--", "1.0---a",
		"1.0--1", "1.0-.a", "1.0-.", "1.0-a.", "1.0-a..b", "1.0-+m", "1.0-1+m", "1.0a+m.2", "1.0+", "1.0+.",
		"1.0+m.", "1.0+m+n", "1.0+-~", "1.0-a_b", "1.0-ä", "1.0+ä", "١.٢", "1.0-rc.1+k3s1", "1.0+k3s1",
		"9223372036854775807.0", "9223372036854775808", "999999999999999999.1", "1.000000000000000000000000000002", "1.99999999999999999999-rc.1",
		"99999999999999999999.1.", "1.99999999999999999999+m", "00000000000000000000000000001",
		"-1", "+1", "1-", "1+", "1~", "1.2.3-", "1.2.3-0", "1.2.3-0.0", "1.2.3-alpha-1", "1.2.3-x.7.z.92",
	} {
		if d := sameAsGoVersion(s); d != "" {
			t.Errorf("ParseVersion(%q): %s", s, d)
		}
	}
}

// TestParseVersionShortStrings compares ParseVersion with go-version on
// every string of up to five bytes over an alphabet of each kind of byte
// the syntax knows, and some it does not.
func TestParseVersionShortStrings(t *testing.T) {
	const alphabet = "v09.-+a~Z_ "
	max := 5
	if testing.Short() {
		max = 4
	}
	buf := make([]byte, 0, max)
	var walk func()
	walk = func() {
		if d := sameAsGoVersion(string(buf)); d != "" {
			t.Fatalf("ParseVersion(%q): %s", buf, d)
		}
		if len(buf) == max {
			return
		}
		for i := range len(alphabet) {
			buf = append(buf, alphabet[i])
			walk()
			buf = buf[:len(buf)-1]
		}
	}
	walk()
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"1.2.3", "v1.30.0-rc.1+k3s1", "1.0a", "1.0-", "1.0-.a", "1.2.3.4.5", "99999999999999999999", "1..2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d := sameAsGoVersion(s); d != "" {
			t.Fatalf("ParseVersion(%q): %s", s, d)
		}
	})
}

// TestVersionGoIsMadeOnceOnDemand: ParseVersion makes no go-version
// version; Go makes one, once, the same for every caller.
func TestVersionGoIsMadeOnceOnDemand(t *testing.T) {
	v, err := ParseVersion("v1.2.0-rc.1")
	if err != nil {
		t.Fatal(err)
	}
	if v.gv.Load() != nil {
		t.Fatal("ParseVersion made a go-version version")
	}
	got := make([]*version.Version, 8)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() { got[i] = v.Go() })
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] || g.Original() != "v1.2.0-rc.1" {
			t.Fatalf("Go() returned %p %v and %p %v", g, g, got[0], got[0])
		}
	}
}

// TestVersionGoOfTextGoVersionRejects: should ParseVersion ever accept a
// text go-version rejects, Go still returns the version of its segments,
// pre-release and metadata.
func TestVersionGoOfTextGoVersionRejects(t *testing.T) {
	v := &Version{text: "one.two+b5", pre: "rc.1"} // the metadata is read from the text
	v.more = &[]int64{1, 20, 3, 4}
	if g := v.Go(); g == nil || g.String() != "1.20.3.4-rc.1+b5" {
		t.Fatalf("Go() = %v, want 1.20.3.4-rc.1+b5", g)
	}
}

func TestFromGo(t *testing.T) {
	if FromGo(nil) != nil {
		t.Error("FromGo(nil) is not nil")
	}
	for _, s := range []string{"1.2", "v1.2.3.4-rc.1+m.5", "1.0a"} {
		gv := v(s)
		rv := FromGo(gv)
		if rv.Go() != gv || rv.Original() != s || rv.Prerelease() != gv.Prerelease() || rv.metadata() != gv.Metadata() || !slices.Equal(rv.segments(), gv.Segments64()) {
			t.Errorf("FromGo(%q) = %+v", s, rv)
		}
	}
}

// TestEngineMakesGoVersionsOnlyOfWhatItReturns: an engine of releases read
// by ParseVersion orders them without go-version; a suggestion makes the
// go-version versions of its stops only.
func TestEngineMakesGoVersionsOnlyOfWhatItReturns(t *testing.T) {
	r := benchRules(2000)
	r.Parsed = make([]*Version, len(r.Releases))
	for i, rel := range r.Releases {
		r.Parsed[i], _ = ParseVersion(rel.Original())
	}
	r.Releases = nil
	e := New(r)
	made := func() (n int) {
		for _, rv := range r.Parsed {
			if rv.gv.Load() != nil {
				n++
			}
		}
		return n
	}
	if n := made(); n != 0 {
		t.Fatalf("New made %d go-version versions", n)
	}
	stops, err := e.Suggest(v("1.0.0"), v("2.99.9")) // the first release and the last
	if err != nil || len(stops) < 10 {
		t.Fatalf("Suggest: %d stops, %v", len(stops), err)
	}
	if n := made(); n != len(stops) {
		t.Errorf("%d go-version versions made for a path of %d stops", n, len(stops))
	}
	for _, s := range stops {
		if !e.IsRelease(s) {
			t.Fatalf("stop %s is not a release", s.Original())
		}
	}
}

// TestEngineKeepsTheFirstSpellingOfParsedReleases: equal-ranked spellings
// (1.2, 1.2.0, v1.2.0) are one release, the one listed first, and
// pre-releases order before their release, as with go-version's releases.
func TestEngineKeepsTheFirstSpellingOfParsedReleases(t *testing.T) {
	texts := []string{"2.0", "1.2.0-rc.2", "1.2", "v1.2.0", "1.2.0-rc.10", "1.2.0-beta", "1.0", "1.2.0.0", "3.0.0.1", "3.0.0.1-rc.1"}
	var parsed []*Version
	for _, s := range texts {
		p, err := ParseVersion(s)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, p)
	}
	a, b := New(Rules{Releases: vs(texts...)}), New(Rules{Parsed: parsed})
	var got, want []string
	for i := range b.rel {
		got = append(got, b.rel[i].Original())
	}
	for i := range a.rel {
		want = append(want, a.rel[i].Original())
	}
	if !slices.Equal(got, want) || len(got) != 8 || got[4] != "1.2" {
		t.Fatalf("releases %v, with go-version's %v", got, want)
	}
}

// TestSweepIsTheSearches: without pre-releases New finds every release's
// stop counts and bounds in one sweep; they are those the binary searches
// (stopsUpTo, stopsBelowSeries, bounds) find, for random rules over
// versions of two to four segments and every kind of maxStep, and the
// engine answers as the reference does.
func TestSweepIsTheSearches(t *testing.T) {
	var u []*version.Version
	for _, x := range append(slices.Clone(universe), wideUniverse...) {
		if x.Prerelease() == "" {
			u = append(u, x)
		}
	}
	u = append(u, vs("1.2.0.0", "1.2.0.1", "2.0.0.5", "3.1.1.1", "4.0.0.0.0")...)
	r := rand.New(rand.NewPCG(3, 4))
	swept := 0
	for range 3000 {
		c := genCase(r.IntN, u)
		c.rules.MaxStep = MaxStep{Major: r.IntN(4) - 1, HasMajor: r.IntN(2) == 1, Minor: r.IntN(4) - 1, HasMinor: r.IntN(2) == 1}
		if r.IntN(4) == 0 {
			c.rules.Graphs, c.rules.Edges = nil, nil
		}
		e := New(c.rules)
		for _, st := range e.stops {
			if st.key.pre != "" {
				t.Fatalf("%v: a stop has a pre-release", c)
			}
		}
		if len(e.rel) > 1 {
			swept++
		}
		for i := range e.rel {
			ki := relKey(e.rel[i])
			k := &ki
			cross, majLo, majAt, minLo := e.bounds(e.major(i), e.minor(i), e.ti[i])
			if e.sr[i] != e.stopsUpTo(k) || e.ti[i] != e.stopsBelowSeries(e.major(i), e.minor(i)) ||
				e.cross[i] != cross || e.majLo[i] != majLo || e.majAt[i] != majAt || e.minLo[i] != minLo {
				t.Fatalf("%v, maxStep %+v: release %s: sweep sr %d ti %d bounds %d %d %d %d; searches %d %d, %d %d %d %d", c, c.rules.MaxStep, e.rel[i].Original(),
					e.sr[i], e.ti[i], e.cross[i], e.majLo[i], e.majAt[i], e.minLo[i], e.stopsUpTo(k), e.stopsBelowSeries(e.major(i), e.minor(i)), cross, majLo, majAt, minLo)
			}
		}
		checkCase(t, c)
	}
	if swept < 1000 {
		t.Fatalf("only %d cases with more than one release", swept)
	}
	// With pre-releases the counts and bounds are the searches' too, also
	// where go-version's order is not total (four segments against
	// pre-releases: 1.0.0.0-rc1 = 1.0.0.0 = 1.0.0 > 1.0.0-rc1).
	wild := append(slices.Clone(universe), vs("1.0.0.0-rc1", "1.0.0.0", "1.1.0.0-rc.2", "1.1.0.1", "2.0.0.0-beta", "2.0.0.0.0", "3.3.0.0-rc1")...)
	for range 3000 {
		c := genCase(r.IntN, wild)
		e := New(c.rules)
		for i := range e.rel {
			ki := relKey(e.rel[i])
			k := &ki
			cross, majLo, majAt, minLo := e.bounds(e.major(i), e.minor(i), e.ti[i])
			if e.sr[i] != e.stopsUpTo(k) || e.ti[i] != e.stopsBelowSeries(e.major(i), e.minor(i)) ||
				e.cross[i] != cross || e.majLo[i] != majLo || e.majAt[i] != majAt || e.minLo[i] != minLo {
				t.Fatalf("%v: release %s: counts %d %d bounds %d %d %d %d, searches %d %d, %d %d %d %d", c, e.rel[i].Original(),
					e.sr[i], e.ti[i], e.cross[i], e.majLo[i], e.majAt[i], e.minLo[i], e.stopsUpTo(k), e.stopsBelowSeries(e.major(i), e.minor(i)), cross, majLo, majAt, minLo)
			}
		}
	}
}

// TestBatch: a Batch reads as ParseVersion does; a text that fails takes
// no Version of the batch and leaves none half-written; past its size, and
// when nil, it makes new ones.
func TestBatch(t *testing.T) {
	b := NewBatch(2)
	held := b.free
	var got []*Version
	for _, s := range []string{"1.2.99999999999999999999", "3", "x", "v1.2.3.4-rc.1+m", "2.0", "1.0a"} {
		v, err := b.Parse(s)
		want, werr := ParseVersion(s)
		if errText(err) != errText(werr) {
			t.Fatalf("Parse(%q): error %v, ParseVersion's %v", s, err, werr)
		}
		if err != nil {
			continue
		}
		if v.String() != want.String() || v.Original() != s || !slices.Equal(v.segments(), want.segments()) || v.pre != want.pre || v.metadata() != want.metadata() {
			t.Fatalf("Parse(%q) = %s %v, ParseVersion's %s %v", s, v, v.segments(), want, want.segments())
		}
		got = append(got, v)
	}
	if len(got) != 4 || got[0] != &held[0] || got[1] != &held[1] || got[2] == &held[0] || got[2] == &held[1] || got[3] == got[2] || len(b.free) != 0 {
		t.Fatalf("%d versions, %d left in the batch", len(got), len(b.free))
	}
	if got[0].String() != "3.0.0" || got[1].String() != "1.2.3.4-rc.1+m" {
		t.Fatalf("batch: versions %s, %s", got[0], got[1])
	}
	var none *Batch
	if v, err := none.Parse("1.2"); err != nil || v.String() != "1.2.0" {
		t.Fatalf("nil batch: %v, %v", v, err)
	}
	if NewBatch(-1) == nil {
		t.Fatal("NewBatch(-1) is nil")
	}
}

// TestSharedGo: one *version.Version per text, shared with the releases'
// Go, errors as go-version's; past maxShared texts, versions are still
// made, no longer held.
func TestSharedGo(t *testing.T) {
	reset := func() { shared.Clear(); sharedHeld.Store(0) } // other tests may have filled it
	reset()
	defer reset()
	a, err := SharedGo("7.7.7-shared")
	b, err2 := SharedGo("7.7.7-shared")
	if err != nil || err2 != nil || a != b || a.Original() != "7.7.7-shared" {
		t.Fatalf("SharedGo twice: %p %v, %p %v", a, err, b, err2)
	}
	r, _ := ParseVersion("7.7.7-shared")
	if r.Go() != a {
		t.Error("a release's Go does not share the version SharedGo made")
	}
	if _, err := SharedGo("7..7"); err == nil || err.Error() != "malformed version: 7..7" {
		t.Errorf("SharedGo(7..7): %v", err)
	}
	for i := 0; sharedHeld.Load() < maxShared-1; i++ {
		if _, err := SharedGo(fmt.Sprintf("8.%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if last, _ := SharedGo("9.9.8-last"); last == nil || func() *version.Version { v, _ := SharedGo("9.9.8-last"); return v }() != last {
		t.Fatalf("the %dth text is not held", maxShared)
	}
	c, err := SharedGo("9.9.9-past")
	d, err2 := SharedGo("9.9.9-past")
	if err != nil || err2 != nil || c == d || c.String() != "9.9.9-past" || d.Compare(c) != 0 {
		t.Fatalf("past the bound: %p %v %v, %p %v", c, c, err, d, err2)
	}
	if e, _ := SharedGo("7.7.7-shared"); e != a {
		t.Error("a version held before the bound is no longer shared")
	}
}

// TestBatchParseAllocates: a Batch's Version of up to three segments takes
// no memory of its own (its segments are in the Version; a parse that took
// the address of its local slice moved it to the heap for every release), a
// longer one its segments and their slice header, and both read back as
// parsed.
func TestBatchParseAllocates(t *testing.T) {
	for _, tc := range []struct {
		text   string
		allocs float64
		segs   []int64
	}{{"1.2.3", 0, []int64{1, 2, 3}}, {"v1.2-rc.1+m", 0, []int64{1, 2, 0}}, {"1.2.3.4", 2, []int64{1, 2, 3, 4}}} {
		b := NewBatch(202)
		var v *Version
		n := testing.AllocsPerRun(200, func() {
			var err error
			if v, err = b.Parse(tc.text); err != nil {
				t.Fatal(err)
			}
		})
		if n != tc.allocs || !slices.Equal(v.segments(), tc.segs) || v.String() != v.Go().String() {
			t.Errorf("Parse(%q): %v allocations (want %v), segments %v (want %v), String %s", tc.text, n, tc.allocs, v.segments(), tc.segs, v)
		}
	}
}
