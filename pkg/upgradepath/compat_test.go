package upgradepath

import (
	"math"
	"slices"
	"testing"
)

// TestSuggestForRelativeRowsReleaseByRelease: a relative requirement
// decided release by release (the evaluation used when the releases do not
// ascend by their segments) rules out the same stops as the index window:
// the route avoids the release the kubelet's skew forbids.
func TestSuggestForRelativeRowsReleaseByRelease(t *testing.T) {
	t.Parallel()
	rules := Rules{
		Releases: vs("1.0.0", "1.1.0", "1.2.0", "1.3.0"),
		MaxStep:  MaxStep{Minor: 2, HasMinor: true},
		Rows: []Row{{Versions: constraint(">= 1.0"),
			Requires: []Requirement{{Component: "kubelet", Relative: &Relative{Lo: 0, Hi: 0}}}}},
	}
	env := Env{"kubelet": v("1.1.4")}
	for _, ordered := range []bool{true, false} {
		e := New(rules)
		e.ordered = ordered
		sg, err := e.SuggestFor(v("1.0.0"), v("1.3.0"), env)
		if err != nil {
			t.Fatalf("ordered %v: %v", ordered, err)
		}
		// 1.2.0 is the latest one-stop route, but kubelet 1.1 is outside
		// {minor: [0, 0]} at 1.2.0; at 1.1.0 it fits
		if got := originals(sg.Stops); !slices.Equal(got, []string{"1.1.0"}) || sg.Incompatible != 0 {
			t.Errorf("ordered %v: route %v with %d unsupported stops, want [1.1.0] with 0", ordered, got, sg.Incompatible)
		}
	}
	// with no route that fits, the closest one is counted
	e := New(rules)
	e.ordered = false
	sg, err := e.SuggestFor(v("1.0.0"), v("1.3.0"), Env{"kubelet": v("1.0.9")})
	if err != nil || !slices.Equal(originals(sg.Stops), []string{"1.2.0"}) || sg.Incompatible != 1 {
		t.Errorf("kubelet 1.0.9: route %v with %d unsupported stops (err %v), want [1.2.0] with 1", originals(sg.Stops), sg.Incompatible, err)
	}
}

// TestRelativeEdges: the windows include both ends, TooNew is false for an
// environment version the window allows, and At names the window as the
// user reads it.
func TestRelativeEdges(t *testing.T) {
	t.Parallel()
	maj := Relative{Major: true, Lo: -1, Hi: 0}
	if !maj.Allows(v("17.0"), v("17.3.7")) || !maj.Allows(v("16.0"), v("17.3.7")) {
		t.Errorf("%v at 17.3.7 allows majors 16 and 17, both ends", maj)
	}
	if maj.TooNew(v("17.0"), v("17.3.7")) || !maj.TooNew(v("18.0"), v("17.3.7")) {
		t.Errorf("%v at 17.3.7: 17.0 is allowed, not too new; 18.0 is too new", maj)
	}
	skew := Relative{Lo: -3, Hi: 0}
	if skew.TooNew(v("1.30.0"), v("1.30.2")) || !skew.TooNew(v("1.31.0"), v("1.30.2")) {
		t.Errorf("%v at 1.30.2: 1.30 is allowed, not too new; 1.31 is too new", skew)
	}
	for _, tc := range []struct {
		r    Relative
		at   string
		want string
	}{
		{skew, "1.0.5", "1.0"},                                // the window ends at minor 0
		{Relative{Lo: -5, Hi: -1}, "1.0.5", "no 1.x version"}, // the window lies below minor 0
		{Relative{Lo: -2, Hi: -2}, "1.4", "1.2"},
		{Relative{Major: true, Lo: 0, Hi: 0}, "3.1", "major 3"},
	} {
		if got := tc.r.At(v(tc.at)); got != tc.want {
			t.Errorf("%v.At(%s) = %q, want %q", tc.r, tc.at, got, tc.want)
		}
	}
}

// TestRelativeHugeBounds: a window bound near the int64 limit is held at
// the limit rather than wrapping round into a window that allows nothing.
func TestRelativeHugeBounds(t *testing.T) {
	t.Parallel()
	wide := Relative{Major: true, Lo: -1, Hi: math.MaxInt64}
	if !wide.Allows(v("9.0"), v("3.1")) || wide.TooNew(v("9.0"), v("3.1")) {
		t.Errorf("%v at 3.1 allows 9.0", wide)
	}
	minor := Relative{Lo: 0, Hi: math.MaxInt64}
	if !minor.Allows(v("3.9"), v("3.1")) {
		t.Errorf("%v at 3.1 allows 3.9", minor)
	}
	if got, want := minor.At(v("3.1")), "3.1 to 3.9223372036854775807"; got != want {
		t.Errorf("At() = %q, want %q", got, want)
	}
	// the engine's index window agrees
	e := New(Rules{Releases: vs("1.0.0", "2.0.0", "3.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true},
		Rows: []Row{{Versions: constraint(">= 1"), Requires: []Requirement{{Component: "db", Relative: &wide}}}}})
	sg, err := e.SuggestFor(v("1.0.0"), v("3.0.0"), Env{"db": v("9.0")})
	if err != nil || !slices.Equal(originals(sg.Stops), []string{"2.0.0"}) || sg.Incompatible != 0 {
		t.Errorf("route %v with %d unsupported stops (err %v), want [2.0.0] with 0", originals(sg.Stops), sg.Incompatible, err)
	}
}
