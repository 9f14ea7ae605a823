package github

import (
	"testing"
	"time"
)

// FuzzRetryAfter: any Retry-After header gives a wait that is not negative.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "0", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999", " 3 "} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	r := &Retry{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := r.parseRetryAfter(s); ok && d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v", s, d)
		}
	})
}
