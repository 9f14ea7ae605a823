package rules

import "testing"

func TestNearest(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"UG5O2", "UG502"}, {"ug5044", "UG504"}, {"UG2O1", "UG201"}, {"UG140", "UG104"}, {"ug5022", ""}, {"UG999", ""}, {"UG5", ""}, {"UG50", ""},
	} {
		got, ok := Nearest(tt.in)
		if got.String() != tt.want || ok != (tt.want != "") {
			t.Errorf("Nearest(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}
