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
	if !(Constraint{}).Check(v("1.0")) || (Constraint{}).TooNew(v("1.0")) {
		t.Error("an empty constraint holds for every version")
	}
	if got, want := c.Terms(), 5; got != want {
		t.Errorf("Terms() = %d, want %d", got, want)
	}
}
