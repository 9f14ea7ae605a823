package yamldoc

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

func TestParseVersionIsDigitsAndDots(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"17.3.7": "17.3.7", "v1.29": "1.29.0", " 2.0 ": "2.0.0", "1": "1.0.0",
		"1.30.0-rc.1": "1.30.0-rc.1", "v1.29.4+k3s1": "1.29.4+k3s1", "17.3.7-ee": "17.3.7-ee",
	}
	for in, want := range ok {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"1e400", "0x10", "1.2.3a", "1.0-", "1..2", "one.two", "", "v", "1.0 beta", "99999999999999999999"} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", in, v)
		} else if !strings.Contains(err.Error(), Quote(in)) && !strings.Contains(err.Error(), `"`+in+`"`) {
			t.Errorf("ParseVersion(%q): error %q does not name the value", in, err)
		}
	}
}

func TestParseConstraintChecksEveryVersion(t *testing.T) {
	t.Parallel()
	for _, in := range []string{">= 14.9, < 17", "~> 1.2", "= 1.0.0-rc.1", "!= 2.0", "1.0", ">=v1.27"} {
		if _, err := ParseConstraint(in); err != nil {
			t.Errorf("ParseConstraint(%q) = %v", in, err)
		}
	}
	for _, in := range []string{">= 1e400", "< 0x10", ">= 1.0, < 2e3", "", ">= "} {
		if c, err := ParseConstraint(in); err == nil {
			t.Errorf("ParseConstraint(%q) = %v, want an error", in, c)
		}
	}
}

func TestParseConstraintAlternatives(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in    string
		alts  int
		holds []string
		fails []string
	}{
		{">= 1.6.34, < 1.7 || >= 1.7.20, < 2.0 || >= 2.0", 3, []string{"1.6.36", "1.7.20", "2.1.0"}, []string{"1.6.33", "1.7.5", "1.5"}},
		{"~> 1.2.0 || = 3.0.0", 2, []string{"1.2.9", "3.0.0"}, []string{"1.3.0", "2.0"}},
		{">= 14.9, < 17", 1, []string{"16.2"}, []string{"17.0"}},
	} {
		c, err := ParseConstraint(tc.in)
		if err != nil || len(c) != tc.alts {
			t.Fatalf("ParseConstraint(%q) = %d alternatives, %v; want %d", tc.in, len(c), err, tc.alts)
		}
		check := func(v string) bool {
			for _, alt := range c {
				if alt.Check(version.Must(version.NewVersion(v))) {
					return true
				}
			}
			return false
		}
		for _, v := range tc.holds {
			if !check(v) {
				t.Errorf("%q does not hold for %s", tc.in, v)
			}
		}
		for _, v := range tc.fails {
			if check(v) {
				t.Errorf("%q holds for %s", tc.in, v)
			}
		}
	}
}

func TestParseConstraintLocatesTheBadAlternative(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in          string
		index, at   int
		alternative string
	}{
		{">= 1.0 || >= 1.x", 1, 10, ">= 1.x"},
		{">= 1.0 ||", 1, 9, ""},
		{"|| >= 1.0", 0, 0, ""},
		{">= 1.0 ||   < 2e3 || >= 3", 1, 12, "< 2e3"},
		{">= 1.0 | < 2", 0, 0, ">= 1.0 | < 2"},
	} {
		_, err := ParseConstraint(tc.in)
		var ce *ConstraintError
		if !errors.As(err, &ce) {
			t.Fatalf("ParseConstraint(%q) = %v, want a *ConstraintError", tc.in, err)
		}
		if ce.Index != tc.index || ce.Offset != tc.at || ce.Alternative != tc.alternative {
			t.Errorf("ParseConstraint(%q): alternative %d %q at %d, want %d %q at %d", tc.in, ce.Index, ce.Alternative, ce.Offset, tc.index, tc.alternative, tc.at)
		}
		if ce.Reason() == "" || !strings.Contains(err.Error(), ce.Reason()) {
			t.Errorf("ParseConstraint(%q): error %q does not say why (%q)", tc.in, err, ce.Reason())
		}
	}
}

// TestIsVersionMatchesPattern compares the byte-by-byte reading with the
// pattern's regular expression on every string of up to five bytes over an
// alphabet of each kind of byte the pattern treats apart, and on longer
// random ones.
func TestIsVersionMatchesPattern(t *testing.T) {
	t.Parallel()
	re := versionPattern
	const alphabet = "v1.-+a~_ Z9"
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		if got, want := isVersion(prefix), re.MatchString(prefix); got != want {
			t.Fatalf("isVersion(%q) = %v, the pattern says %v", prefix, got, want)
		}
		if depth == 0 {
			return
		}
		for i := range len(alphabet) {
			walk(prefix+alphabet[i:i+1], depth-1)
		}
	}
	walk("", 5)
	r := rand.New(rand.NewPCG(7, 8))
	for range 50000 {
		b := make([]byte, 6+r.IntN(10))
		for i := range b {
			b[i] = "v0123456789..--++az~AZ"[r.IntN(22)]
		}
		if got, want := isVersion(string(b)), re.MatchString(string(b)); got != want {
			t.Fatalf("isVersion(%q) = %v, the pattern says %v", b, got, want)
		}
	}
}

// releaseDiffers says how ParseRelease(s) differs from ParseVersion(s):
// acceptance, error text, and the version it makes; "" when it does not.
func releaseDiffers(s string) string {
	want, werr := ParseVersion(s)
	got, err := ParseRelease(nil, s)
	if len(s)%2 == 1 {
		got, err = ParseRelease(upgradepath.NewBatch(1), s)
	}
	switch {
	case (werr == nil) != (err == nil):
		return fmt.Sprintf("ParseRelease(%q) error %v, ParseVersion's %v", s, err, werr)
	case err != nil:
		if err.Error() != werr.Error() {
			return fmt.Sprintf("ParseRelease(%q) error %q, ParseVersion's %q", s, err, werr)
		}
		return ""
	}
	if g := got.Go(); g.Original() != want.Original() || g.String() != want.String() || g.Compare(want) != 0 || got.Prerelease() != want.Prerelease() {
		return fmt.Sprintf("ParseRelease(%q) = %s (%s), ParseVersion's %s (%s)", s, g.Original(), g, want.Original(), want)
	}
	return ""
}

// TestParseReleaseIsParseVersion: the same texts, errors and versions, on
// the cases of TestParseVersionIsDigitsAndDots and on every string of up
// to four bytes over an alphabet of each kind of byte versions treat apart.
func TestParseReleaseIsParseVersion(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"17.3.7", "v1.29", " 2.0 ", "1", "1.30.0-rc.1", "v1.29.4+k3s1", "17.3.7-ee", "1.2.3.4.5",
		"1e400", "0x10", "1.2.3a", "1.0-", "1..2", "one.two", "", "v", "1.0 beta", "99999999999999999999", "1.99999999999999999999-rc.1"} {
		if d := releaseDiffers(s); d != "" {
			t.Error(d)
		}
	}
	const alphabet = "v1.-+a~_ 9"
	var walk func(prefix string, depth int)
	walk = func(prefix string, depth int) {
		if d := releaseDiffers(prefix); d != "" {
			t.Fatal(d)
		}
		if depth == 0 {
			return
		}
		for i := range len(alphabet) {
			walk(prefix+alphabet[i:i+1], depth-1)
		}
	}
	walk("", 4)
}

// TestPlainHTTPURL: what ParseURL accepts without net/url, net/url accepts
// too (random strings over the characters that matter, and examples); and
// it does not take what net/url refuses or what it leaves to net/url.
func TestPlainHTTPURL(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"https://example.com/comp1/releases/16.2.4", "http://a", "https://grafana.example.com/d/comp1", "http://x.y/~a_b/-./"} {
		if !plainHTTPURL(s) || parseURL(s) != nil {
			t.Errorf("%q: plainHTTPURL %v, net/url %v; want both to accept it", s, plainHTTPURL(s), parseURL(s))
		}
	}
	for _, s := range []string{"https://", "https:///x", "ftp://a/b", "HTTPS://a/b", "https://a:443/b", "https://a/b?c", "https://a/%zz", "https://a b/", "https://a/b#c", "https://a_b/", "https://[::1]/"} {
		if plainHTTPURL(s) {
			t.Errorf("plainHTTPURL(%q) = true, want it left to net/url", s)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	const chars = "aZ09.-/_~:?#%[]@ "
	for i := 0; i < 20000; i++ {
		b := []byte([]string{"http://", "https://"}[rng.IntN(2)])
		for n := rng.IntN(12); n > 0; n-- {
			b = append(b, chars[rng.IntN(len(chars))])
		}
		if s := string(b); plainHTTPURL(s) && parseURL(s) != nil {
			t.Fatalf("plainHTTPURL(%q) = true, but net/url says %v", s, parseURL(s))
		}
	}
}
