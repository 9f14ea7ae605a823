package yamldoc

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	version "github.com/hashicorp/go-version"
)

var versionPattern = regexp.MustCompile(VersionPattern)

// FuzzValues: the value parsers never panic, a duration is never negative,
// isVersion agrees with VersionPattern, and ParseRelease with ParseVersion.
func FuzzValues(f *testing.F) {
	for _, s := range []string{" 1.30.0-rc.1+k3s1 ", "1.0a", "99999999999999999999", "45m", "14d", "1w2d", "1.5h", "0", "none", "2026-12-01", "2026-12-01T22:00:00Z", "https://example.com/x", "http://a-b.example/~u/x_y/", "https://-./", "99999999999999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		_, _ = ParseTime(s)
		if err := parseURL(s); plainHTTPURL(strings.TrimSpace(s)) && err != nil {
			t.Fatalf("ParseURL(%q) accepts it without net/url, which says %v", s, err)
		}
		_, _ = Nearest(s, []string{"rollback", "dryRun", "healthChecks"})
		if got, want := isVersion(s), versionPattern.MatchString(s); got != want {
			t.Fatalf("isVersion(%q) = %v, VersionPattern says %v", s, got, want)
		}
		if d := releaseDiffers(s); d != "" {
			t.Fatal(d)
		}
	})
}

// FuzzParseConstraint: the constraint parser never panics; a constraint it
// accepts has one alternative per "||" and each checks a version without
// panicking; a rejected one names an alternative that starts where the
// error says, inside the text.
func FuzzParseConstraint(f *testing.F) {
	for _, s := range []string{">= 1.6.34, < 1.7 || >= 1.7.20, < 2.0 || >= 2.0", "~> 1.2", "|| >= 1", ">= 1 ||", ">= 1 ||| < 2", "= 1.0.0-rc.1 || != 2", ">= 1e400 || < 2", "\t>=1 ||\t<0x10"} {
		f.Add(s)
	}
	v := version.Must(version.NewVersion("1.7.20"))
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseConstraint(s)
		if err == nil {
			if len(c) != strings.Count(s, "||")+1 {
				t.Fatalf("ParseConstraint(%q) = %d alternatives", s, len(c))
			}
			for _, alt := range c {
				alt.Check(v)
			}
			return
		}
		var ce *ConstraintError
		if !errors.As(err, &ce) {
			t.Fatalf("ParseConstraint(%q) = %v, not a *ConstraintError", s, err)
		}
		if ce.Offset < 0 || ce.Offset > len(s) || !strings.HasPrefix(s[ce.Offset:], ce.Alternative) {
			t.Fatalf("ParseConstraint(%q): alternative %q is not at offset %d", s, ce.Alternative, ce.Offset)
		}
	})
}

// FuzzParseRuns: a file with a long list of plain versions among any other
// text parses to yaml.v3's own nodes, or fails as yaml.v3 fails.
func FuzzParseRuns(f *testing.F) {
	f.Add("kind: Policy\nspec:\n  releases:", "", "  maxStep: {major: 1}", uint8(2), uint8(0))
	f.Add("text: |", "1.2", "# foot", uint8(4), uint8(30))
	f.Add("a: [", "1.2.3 # c", "]", uint8(0), uint8(63))
	f.Fuzz(func(t *testing.T, before, odd, after string, indent, at uint8) {
		var b strings.Builder
		b.WriteString(before + "\n")
		pad := strings.Repeat(" ", int(indent%8))
		for i := range minRun + 2 {
			v := fmt.Sprintf("1.%d.%d", i/10, i%10)
			if i == int(at) {
				v = odd
			}
			b.WriteString(pad + "- " + v + "\n")
		}
		b.WriteString(after)
		if !utf8.ValidString(b.String()) {
			return // Parse refuses it before yaml.v3 sees it
		}
		sameAsYAML(t, b.String())
	})
}
