package policy

import (
	"strconv"
	"strings"
	"time"

	version "github.com/hashicorp/go-version"
)

// Cycle is one release cycle of lifecycle data (endoflife.date): a series
// such as "17.3" (or "17" for a product whose cycles are majors) and its
// support window. Dates are days in UTC: a cycle is past its end of life
// from the start of its EOL day on (half-open intervals).
type Cycle struct {
	Name     string // as the vendor wrote it: "17.3"
	Segments []int  // Name's numbers: [17 3]
	LTS      bool
	// SupportEnd is the end of active support (eoasFrom); zero when none
	// is announced. SupportEnded says the vendor marks it ended without a date.
	SupportEnd   time.Time
	SupportEnded bool
	// EOL is the end of life (eolFrom); zero when none is announced.
	// EOLEnded says the vendor marks it ended without a date.
	EOL      time.Time
	EOLEnded bool
	// Latest is the cycle's newest release, and its date.
	Latest     string
	LatestDate time.Time
	Pos        Pos // the cycle's entry in the vendor file
}

// CycleSegments reads a cycle name of one to three numbers ("17", "17.3",
// "1.31"); ok is false for any other name (codenames, "2023-04").
func CycleSegments(name string) ([]int, bool) {
	parts := strings.Split(strings.TrimPrefix(name, "v"), ".")
	if len(parts) == 0 || len(parts) > 3 {
		return nil, false
	}
	out := make([]int, len(parts))
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || p == "" || (len(p) > 1 && p[0] == '+') {
			return nil, false
		}
		out[i] = n
	}
	return out, true
}

// Contains reports whether v is a release of the cycle: its leading
// segments are the cycle's (17.3.7 of 17.3, 17.3.7 of 17).
func (c *Cycle) Contains(v *version.Version) bool {
	seg := v.Segments()
	if len(c.Segments) == 0 || len(seg) < len(c.Segments) {
		return false
	}
	for i, n := range c.Segments {
		if seg[i] != n {
			return false
		}
	}
	return true
}

// PastEOL reports whether the cycle is past its end of life at t.
func (c *Cycle) PastEOL(t time.Time) bool {
	if c.EOL.IsZero() {
		return c.EOLEnded
	}
	return !t.Before(c.EOL)
}

// PastSupport reports whether the cycle's active support has ended at t.
func (c *Cycle) PastSupport(t time.Time) bool {
	if c.SupportEnd.IsZero() {
		return c.SupportEnded
	}
	return !t.Before(c.SupportEnd)
}

// HasLifecycle reports whether the rules hold lifecycle data.
func (r *Rules) HasLifecycle() bool { return len(r.Cycles) > 0 }

// CycleOf returns the cycle v belongs to: the one with the most segments
// that contains it (17.3 before 17), the first of equals (the policy's
// imports in order); nil when none does.
func (r *Rules) CycleOf(v *version.Version) *Cycle {
	var best *Cycle
	for i := range r.Cycles {
		c := &r.Cycles[i]
		if c.Contains(v) && (best == nil || len(c.Segments) > len(best.Segments)) {
			best = c
		}
	}
	return best
}

// NewestMaintained returns the newest cycle that is not past its end of
// life at t (by its segments), or nil.
func (r *Rules) NewestMaintained(t time.Time) *Cycle {
	var best *Cycle
	for i := range r.Cycles {
		c := &r.Cycles[i]
		if c.PastEOL(t) {
			continue
		}
		if best == nil || compareSegments(c.Segments, best.Segments) > 0 {
			best = c
		}
	}
	return best
}

func compareSegments(a, b []int) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return len(a) - len(b)
}
