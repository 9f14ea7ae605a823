package upgradepath

import "testing"

func TestConstraintAlternatives(t *testing.T) {
	t.Parallel()
	c := constraint(">= 1.6.34, < 1.7 || >= 1.7.20, < 2.0 || >= 2.0")
	for _, tc := range []struct {
		v             string
		holds, tooNew bool
	}{
		{"1.6.36", true, false},
		{"1.7.20", true, false},
		{"2.3.0", true, false},
		{"1.7.5", false, false}, // in the gap: a newer 1.7 holds
		{"1.6.10", false, false},
	} {
		if got := c.Check(v(tc.v)); got != tc.holds {
			t.Errorf("Check(%s) = %v, want %v", tc.v, got, tc.holds)
		}
		if got := c.TooNew(v(tc.v)); got != tc.tooNew {
			t.Errorf("TooNew(%s) = %v, want %v", tc.v, got, tc.tooNew)
		}
	}
	old := constraint(">= 13, < 15 || >= 15.2, < 16")
	if !old.TooNew(v("16.1")) || old.TooNew(v("15.1")) || old.TooNew(v("12")) {
		t.Errorf("TooNew of %q: 16.1 is too new, 15.1 (in a gap) and 12 are not", old)
	}
	tilde := constraint("~> 14.0 || ~> 13.0")
	if !tilde.TooNew(v("16.4")) || tilde.TooNew(v("12.1")) || tilde.TooNew(v("14.2")) {
		t.Errorf("TooNew of %q: 16.4 is too new, 12.1 too old, 14.2 holds", tilde)
	}
	if !(Constraint{}).Check(v("1.0")) || (Constraint{}).TooNew(v("1.0")) {
		t.Error("an empty constraint holds for every version")
	}
	if got, want := c.Terms(), 5; got != want {
		t.Errorf("Terms() = %d, want %d", got, want)
	}
}

func TestRelative(t *testing.T) {
	t.Parallel()
	skew := Relative{Lo: -3, Hi: 0}
	for _, tc := range []struct {
		env, at       string
		allows, newer bool
	}{
		{"1.27.9", "1.30.2", true, false},
		{"1.30.0", "1.30.2", true, false},
		{"1.26.9", "1.30.2", false, false},
		{"1.31.0", "1.30.2", false, true},
		{"2.27.0", "1.30.2", false, true},
		{"0.30.0", "1.30.2", false, false},
		{"1.0", "1.2", true, false}, // the window is cut at minor 0
	} {
		q := Requirement{Component: "kubelet", Relative: &skew}
		if got := q.Allows(v(tc.env), v(tc.at)); got != tc.allows {
			t.Errorf("%v.Allows(%s at %s) = %v, want %v", skew, tc.env, tc.at, got, tc.allows)
		}
		if got := q.TooNew(v(tc.env), v(tc.at)); got != tc.newer {
			t.Errorf("%v.TooNew(%s at %s) = %v, want %v", skew, tc.env, tc.at, got, tc.newer)
		}
	}
	if got, want := skew.At(v("1.30.2")), "1.27 to 1.30"; got != want {
		t.Errorf("At() = %q, want %q", got, want)
	}
	if got, want := skew.At(v("1.1")), "1.0 to 1.1"; got != want {
		t.Errorf("At() = %q, want %q", got, want)
	}
	maj := Relative{Major: true, Lo: -1, Hi: 0}
	if !maj.Allows(v("16.4"), v("17.3.7")) || maj.Allows(v("15.9"), v("17.3.7")) || !maj.TooNew(v("18.0"), v("17.3.7")) {
		t.Errorf("%v: 16.4 allowed at 17.3.7, 15.9 not, 18.0 too new", maj)
	}
	if got, want := maj.String()+" "+maj.At(v("17.3")), "{major: [-1, 0]} majors 16 to 17"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	abs := Requirement{Component: "postgresql", Constraint: constraint(">= 14.9, < 17")}
	if !abs.Allows(v("16.1"), nil) || abs.Allows(v("13.0"), nil) || !abs.TooNew(v("17.1"), nil) {
		t.Error("an absolute requirement is its constraint")
	}
}
