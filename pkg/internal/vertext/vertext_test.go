package vertext

import "testing"

func TestSkipDigits(t *testing.T) {
	for _, c := range []struct {
		s    string
		i, n int
	}{
		{"", 0, 0}, {"123", 0, 3}, {"12.3", 0, 2}, {"v12", 1, 3}, {"a1", 0, 0}, {"1/9:0", 0, 1}, {"90", 2, 2},
	} {
		if got := SkipDigits(c.s, c.i); got != c.n {
			t.Errorf("SkipDigits(%q, %d) = %d, want %d", c.s, c.i, got, c.n)
		}
	}
}

func TestSkipParts(t *testing.T) {
	for _, c := range []struct {
		s    string
		i, n int
	}{
		{"rc.1", 0, 4}, {"rc.1+x", 0, 4}, {"a-b~c.D9", 0, 8}, {"1-rc", 2, 4},
		{"", 0, -1}, {".rc", 0, -1}, {"rc.", 0, -1}, {"rc..1", 0, -1}, {"+x", 0, -1},
		{"rc_1", 0, 2}, {"rc 1", 0, 2}, {"rc/1", 0, 2}, {"rc@", 0, 2}, {"rc[", 0, 2}, {"rc`", 0, 2}, {"rc{", 0, 2},
	} {
		if got := SkipParts(c.s, c.i); got != c.n {
			t.Errorf("SkipParts(%q, %d) = %d, want %d", c.s, c.i, got, c.n)
		}
	}
}

// TestIsPart: exactly letters, digits, "-" and "~" of all 256 bytes.
func TestIsPart(t *testing.T) {
	n := 0
	for c := 0; c < 256; c++ {
		if IsPart(byte(c)) {
			n++
		}
	}
	if n != 26+26+10+2 {
		t.Errorf("IsPart accepts %d bytes, want 64", n)
	}
	for _, c := range []byte("az AZ09-~") {
		if got := IsPart(c); got != (c != ' ') {
			t.Errorf("IsPart(%q) = %v", c, got)
		}
	}
}
