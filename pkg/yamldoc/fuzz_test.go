package yamldoc

import (
	"testing"
)

// FuzzValues: the value parsers never panic, and a duration is never negative.
func FuzzValues(f *testing.F) {
	for _, s := range []string{"45m", "14d", "1w2d", "1.5h", "0", "none", "2026-12-01", "2026-12-01T22:00:00Z", "https://example.com/x", "99999999999999999999d"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := ParseDuration(s); err == nil && d < 0 {
			t.Fatalf("ParseDuration(%q) = %v", s, d)
		}
		_, _ = ParseTime(s)
		_ = ParseURL(s)
		_, _ = Nearest(s, []string{"rollback", "dryRun", "healthChecks"})
	})
}
