package upgradepath

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	version "github.com/hashicorp/go-version"
)

// TestNoPathTriesSixteenTargets: a failed search names another target only
// among the next sixteen releases above to, pre-releases not counted.
func TestNoPathTriesSixteenTargets(t *testing.T) {
	t.Parallel()
	rules := func(firstOK int) Rules {
		// 1.0.0 and 1.5.0 reach no release below 2.0.<firstOK>
		r := Rules{Releases: vs("1.0.0", "1.5.0", "2.0.0"), Blocked: []Blocked{block(">= 1.0.0, < 2.0.0", fmt.Sprintf("< 2.0.%d", firstOK), 0)}}
		for i := 1; i <= 20; i++ {
			// a pre-release before each release, never a target; each
			// needs its own entry (a term holds for a pre-release only
			// with the same segments)
			pre := fmt.Sprintf("2.0.%d-rc1", i)
			r.Releases = append(r.Releases, v(pre), v(fmt.Sprintf("2.0.%d", i)))
			r.Blocked = append(r.Blocked, block(">= 1.0.0, < 2.0.0", "= "+pre, i))
		}
		return r
	}
	for _, tc := range []struct {
		firstOK int
		want    string // the other target named, "" for none
	}{
		{16, "2.0.16"},
		{17, ""}, // the seventeenth release above 2.0.0
	} {
		e := New(rules(tc.firstOK))
		_, err := e.Suggest(v("1.0.0"), v("2.0.0"))
		if !errorsIsNoPath(err) {
			t.Fatalf("first reachable 2.0.%d: error %v, want ErrNoPath", tc.firstOK, err)
		}
		clause := `; the lowest release above "2.0.0" that "1.0.0" reaches is`
		switch got := err.Error(); {
		case tc.want == "" && strings.Contains(got, clause):
			t.Errorf("first reachable 2.0.%d: %q names a target beyond the sixteen tried", tc.firstOK, got)
		case tc.want != "" && !strings.HasSuffix(got, clause+` "`+tc.want+`"`):
			t.Errorf("first reachable 2.0.%d: %q, want it to end naming %s", tc.firstOK, got, tc.want)
		}
		var want *version.Version
		if tc.want != "" {
			want = v(tc.want)
		}
		if got := e.ReachableAbove(v("1.0.0"), v("2.0.0")); (got == nil) != (want == nil) || got != nil && !got.Equal(want) {
			t.Errorf("first reachable 2.0.%d: ReachableAbove = %v, want %v", tc.firstOK, got, want)
		}
	}
}

// TestReachableAboveFromAboveTo: asked with from above to, the other
// target is a release from upgrades to, never from itself.
func TestReachableAboveFromAboveTo(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs("2.0.0", "2.0.3", "2.0.5", "2.0.6")})
	if got := e.ReachableAbove(v("2.0.5"), v("2.0.0")); got == nil || got.Original() != "2.0.6" {
		t.Errorf("ReachableAbove(2.0.5, 2.0.0) = %v, want 2.0.6 (2.0.3 is below 2.0.5, 2.0.5 is where it starts)", got)
	}
}

// TestSuggestForFewestHopsAmongUnsupportedRoutes: when every route has an
// unsupported stop, the shortest of those with the fewest wins, even when a
// longer one is found first (from the lower of two unsupported stops that
// both lead to the target).
func TestSuggestForFewestHopsAmongUnsupportedRoutes(t *testing.T) {
	t.Parallel()
	e := New(Rules{
		// older releases too, as policies list them
		Releases: vs("0.8.0", "0.9.0", "0.9.1", "1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0"),
		Graphs:   []string{"g.json"},
		Edges: []Edge{
			edge("0.8.0", "0.9.0"), edge("0.9.0", "1.0.0"),
			edge("1.0.0", "1.1.0"), edge("1.1.0", "1.2.0"), edge("1.2.0", "1.4.0"), // two stops, 1.2.0 unsupported
			edge("1.0.0", "1.3.0"), edge("1.3.0", "1.4.0"), // one stop, unsupported
		},
		Rows: []Row{{Versions: constraint(">= 1.2.0, < 1.4.0"), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}}},
	})
	sg, err := e.SuggestFor(v("1.0.0"), v("1.4.0"), Env{"db": v("1.0")})
	if err != nil || !slices.Equal(originals(sg.Stops), []string{"1.3.0"}) || sg.Incompatible != 1 {
		t.Errorf("SuggestFor() = %v with %d unsupported stops, %v; want [1.3.0] with 1", originals(sg.Stops), sg.Incompatible, err)
	}
}

// TestSuggestForRouteFoundInALaterRound: the route with an unsupported
// stop is found in the second round, after a longer chain of supported
// releases that leads nowhere near from; the route is still read back.
func TestSuggestForRouteFoundInALaterRound(t *testing.T) {
	t.Parallel()
	e := New(Rules{
		Releases: vs("1.0.0", "1.1.0", "1.2.0", "1.3.0", "1.4.0", "1.5.0", "1.6.0"),
		Graphs:   []string{"g.json"},
		Edges: []Edge{
			edge("1.1.0", "1.2.0"), edge("1.2.0", "1.4.0"), edge("1.4.0", "1.6.0"), // no edge from 1.0.0 into this chain
			edge("1.0.0", "1.3.0"), edge("1.3.0", "1.5.0"), edge("1.5.0", "1.6.0"), // through 1.5.0, unsupported
		},
		Rows: []Row{{Versions: constraint("= 1.5.0"), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}}},
	})
	sg, err := e.SuggestFor(v("1.0.0"), v("1.6.0"), Env{"db": v("1.0")})
	if err != nil || !slices.Equal(originals(sg.Stops), []string{"1.3.0", "1.5.0"}) || sg.Incompatible != 1 {
		t.Errorf("SuggestFor() = %v with %d unsupported stops, %v; want [1.3.0 1.5.0] with 1", originals(sg.Stops), sg.Incompatible, err)
	}
}
