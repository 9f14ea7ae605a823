package upgradepath

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

// setUniverse mixes every form go-version accepts that orders differently:
// short and four-segment versions, trailing zeros, v prefixes,
// pre-releases (dotted, numeric, letters without a dash) and metadata.
var setUniverse = func() []*version.Version {
	var out []*version.Version
	for _, s := range []string{
		"0.9", "1", "1.0", "1.0.0", "1.0.0.0", "1.0.0.1", "1.0.0-rc1", "1.0.0-rc.2", "1.0.0-1", "1.0.0+meta",
		"v1.0.1", "1.0.1-beta", "1.0.1beta", "1.1", "1.1.0-alpha", "1.1.0-alpha.1", "1.1.0-alpha.b", "1.1.5",
		"1.2", "1.2.0.0-rc1", "1.2.3", "1.2.3.4", "1.2.3.4-rc1", "1.2.4", "1.3.0", "1.10.0", "2", "2.0.0-rc1",
		"2.0.0", "2.0.1", "2.1.0+build.7", "2.1.0", "3.0.0.0.1", "10.0.0",
	} {
		out = append(out, v(s))
	}
	return out
}()

var setTerms = func() []string {
	var out []string
	for _, op := range []string{"", "=", "!=", ">", ">=", "<", "<=", "~>"} {
		for _, ver := range []string{"1", "1.0", "1.0.0", "1.0.0-rc1", "1.0.0.0", "1.1", "1.1.0-alpha", "1.2.3",
			"1.2.3.4", "v1.2", "2.0.0", "2.1.0+build.7", "0.9", "1.0.0.1", "10"} {
			out = append(out, op+" "+ver)
		}
	}
	return out
}()

// TestConstraintSetMatchesCheck checks the segment arithmetic against
// go-version's own Check on every release, for single terms and for random
// conjunctions, by binary search and (for every other list, as when
// four-segment versions meet pre-releases out of order) release by release.
func TestConstraintSetMatchesCheck(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	lists := [][]*version.Version{setUniverse, universe, wideUniverse}
	for range 40 {
		var l []*version.Version
		for range 1 + r.IntN(20) {
			l = append(l, setUniverse[r.IntN(len(setUniverse))])
		}
		lists = append(lists, l)
	}
	var terms []string
	terms = append(terms, setTerms...)
	for range 300 {
		var parts []string
		for range 1 + r.IntN(3) {
			parts = append(parts, setTerms[r.IntN(len(setTerms))])
		}
		terms = append(terms, strings.Join(parts, ", "))
	}
	for i, l := range lists {
		e := New(Rules{Releases: l})
		if i%2 == 1 {
			e.ordered = false // the release-by-release evaluation
		}
		for _, ts := range terms {
			c := constraint(ts)
			s := e.constraintSet(c, &budget{})
			for i, rel := range e.rel {
				if got, want := e.has(s, int32(i)), goCheck(c, rel.Go()); got != want {
					t.Fatalf("releases %v: %q holds for %q: got %v, want %v (set %v)", originals(l), ts, rel.Original(), got, want, s)
				}
			}
		}
	}
}

// TestSetsStayCompact: a constraint's set has a few pieces however many
// pre-releases lie among the releases, so that the work stays linear.
func TestSetsStayCompact(t *testing.T) {
	t.Parallel()
	var rs []*version.Version
	for i := range 500 {
		rs = append(rs, v(fmt.Sprintf("1.%d.0-rc1", i)), v(fmt.Sprintf("1.%d.0", i)))
	}
	e := New(Rules{Releases: rs})
	for _, tc := range []struct {
		c    string
		want int
	}{
		{">= 1.10.0", 1}, {">= 1.10.0, < 1.400", 1}, {"!= 1.7.0", 2}, {"~> 1.3", 1}, {">= 1.20.0-rc1", 2},
	} {
		if got := len(e.constraintSet(constraint(tc.c), &budget{})); got != tc.want {
			t.Errorf("%q: %d pieces, want %d", tc.c, got, tc.want)
		}
	}
}

// hostileTerms is the policy of the report: one blocked entry whose From
// repeats ">= 0.0.1" terms times, over n releases.
func hostileTerms(n, terms int) Rules {
	var r Rules
	for i := range n {
		r.Releases = append(r.Releases, v(fmt.Sprintf("%d.%d.%d", i/10000, i/100%100, i%100)))
	}
	raw := strings.TrimSuffix(strings.Repeat(">= 0.0.1,", terms), ",")
	r.Blocked = []Blocked{{From: constraint(raw), To: constraint(">= 0"), FromRaw: raw, ToRaw: ">= 0"}}
	return r
}

// hostilePairs is the other one: n exact blocked pairs over n releases,
// release i blocked towards release i+1.
func hostilePairs(n int) Rules {
	var r Rules
	for i := range n {
		r.Releases = append(r.Releases, v(fmt.Sprintf("1.%d.%d", i/100, i%100)))
	}
	for i := 0; i+1 < n; i++ {
		f, t := "= "+r.Releases[i].Original(), "= "+r.Releases[i+1].Original()
		r.Blocked = append(r.Blocked, Blocked{From: constraint(f), To: constraint(t), FromRaw: f, ToRaw: t, Index: i})
	}
	return r
}

// TestHostilePoliciesWorkIsLinear builds both reported policies and counts
// the work: it grows with the policy's size, not with its square. (The
// sizes are smaller than the report's; BenchmarkHostile runs those.)
func TestHostilePoliciesWorkIsLinear(t *testing.T) {
	t.Parallel()
	work := func(r Rules) int64 {
		e, err := NewLimited(r, DefaultLimit)
		if err != nil {
			t.Fatalf("NewLimited() error = %v", err)
		}
		b := &budget{}
		e.classify(b) // again, to count
		return b.used
	}
	for _, tc := range []struct {
		name   string
		rules  func(n int) Rules
		perRel int64
	}{
		{"terms", func(n int) Rules { return hostileTerms(n, n) }, 6},
		{"pairs", hostilePairs, 12},
	} {
		small, large := work(tc.rules(500)), work(tc.rules(2000))
		if large > tc.perRel*2000 || large > 6*small {
			t.Errorf("%s: work %d for 500, %d for 2000: want at most %d per release, linear growth", tc.name, small, large, tc.perRel)
		}
	}
	// the paths still come out right: release i cannot go to i+1
	r := hostilePairs(300)
	e := New(r)
	got, err := e.Suggest(r.Releases[0], r.Releases[2])
	if err != nil || len(got) != 0 {
		t.Fatalf("Suggest(1.0.0, 1.0.2) = %v, %v: want the direct hop", originals(got), err)
	}
	if vio := e.Validate(r.Releases[0], r.Releases[1], nil); len(vio) != 1 || vio[0].Kind != IsBlocked {
		t.Fatalf("Validate(1.0.0 -> 1.0.1) = %v, want one blocked hop", vio)
	}
	checkCase(t, randomCase{rules: Rules{Releases: r.Releases[:12], Blocked: r.Blocked[:11], MaxStep: MaxStep{Minor: 0, HasMinor: true}},
		from: r.Releases[0], to: r.Releases[11]})
}

// TestLimitRefusesTooMuchWork: over the limit, NewLimited says so rather
// than build an engine without the entries.
func TestLimitRefusesTooMuchWork(t *testing.T) {
	t.Parallel()
	// every release blocked from 200 separate single releases: each search
	// may scan 200 pieces per release
	var r Rules
	for i := range 2000 {
		r.Releases = append(r.Releases, v(fmt.Sprintf("1.%d.%d", i/100, i%100)))
	}
	for i := range 200 {
		f := "= " + r.Releases[i*10].Original()
		r.Blocked = append(r.Blocked, Blocked{From: constraint(f), To: constraint(">= 0"), FromRaw: f, ToRaw: ">= 0", Index: i})
	}
	e, err := NewLimited(r, 100_000)
	var le *LimitError
	if !errors.As(err, &le) || e != nil {
		t.Fatalf("NewLimited() = %v, %v: want a *LimitError", e, err)
	}
	if le.Limit != 100_000 || !strings.Contains(err.Error(), "100000") || !strings.Contains(err.Error(), "search") {
		t.Fatalf("error %q: want the limit 100000 and what ran over", err)
	}
	if _, err := NewLimited(r, DefaultLimit); err != nil {
		t.Fatalf("NewLimited(DefaultLimit) error = %v: this policy is within the default", err)
	}
}

func BenchmarkHostile(b *testing.B) {
	b.Run("terms=20000", func(b *testing.B) {
		r := hostileTerms(20000, 20000)
		for b.Loop() {
			New(r)
		}
	})
	b.Run("pairs=8000", func(b *testing.B) {
		r := hostilePairs(8000)
		e := New(r)
		from, to := r.Releases[0], r.Releases[len(r.Releases)-1]
		b.ReportAllocs()
		for b.Loop() {
			New(r)
		}
		if _, err := e.Suggest(from, to); err != nil {
			b.Fatal(err)
		}
	})
}

// TestValidateBlockedOverOddVersions compares Validate with the reference
// on releases and hops of every form (four segments, trailing zeros,
// pre-releases, metadata), where a node that only compares equal to a
// release must not borrow the release's blocked sets.
func TestValidateBlockedOverOddVersions(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 8))
	for range 500 {
		var rules Rules
		for range 1 + r.IntN(12) {
			rules.Releases = append(rules.Releases, setUniverse[r.IntN(len(setUniverse))])
		}
		for i := range 1 + r.IntN(4) {
			f, to := setTerms[r.IntN(len(setTerms))], setTerms[r.IntN(len(setTerms))]
			rules.Blocked = append(rules.Blocked, Blocked{From: constraint(f), To: constraint(to), FromRaw: f, ToRaw: to, Index: i})
		}
		e, n := New(rules), naive{rules}
		for range 20 {
			u, w := setUniverse[r.IntN(len(setUniverse))], setUniverse[r.IntN(len(setUniverse))]
			if diff := cmp.Diff(n.violations(0, u, w), e.Validate(u, w, nil), cmpOpts); diff != "" {
				t.Fatalf("releases %v blocked %v: hop %s -> %s (-want +got):\n%s", originals(rules.Releases), rules.Blocked, u.Original(), w.Original(), diff)
			}
		}
	}
}

// TestBudgetAllowsItsLimit: work equal to the limit is within it (a
// LimitError is for more work than the limit allows); one unit more is
// not, and the first thing over it is what the error names.
func TestBudgetAllowsItsLimit(t *testing.T) {
	t.Parallel()
	b := &budget{limit: 10}
	if !b.spend(4, "first") || !b.spend(6, "second") {
		t.Fatalf("spending exactly the limit of 10 refused (used %d, over at %q)", b.used, b.what)
	}
	if b.spend(1, "third") || b.what != "third" {
		t.Errorf("spending 11 of a limit of 10: over at %q, want %q", b.what, "third")
	}
	if b.spend(0, "fourth") || b.what != "third" {
		t.Errorf("after the limit, over at %q, want it to stay %q", b.what, "third")
	}
	free := &budget{}
	if !free.spend(1<<40, "anything") {
		t.Errorf("a budget without a limit refused work")
	}
}
