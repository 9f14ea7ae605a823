// Package settings holds the change-management settings of manifest v1
// section 9: maintenance periods, freezes, required approvals and how soon
// an outcome must be recorded. A policy's spec may hold them, and so may the
// optional kind: Settings document in the repository root's
// .upgradegate.yaml (defaults for every manifest). Merge combines the two:
// freezes and approvals are their union, a policy's maintenance and
// outcomeWithin replace the repository's.
//
// Every element keeps its position, and times are computed in each
// element's own time zone (IANA names, through the time package; the binary
// embeds the zone database with time/tzdata).
package settings

import (
	"fmt"
	"time"
	// the zone database, embedded: the Action's container has no
	// zoneinfo, and a period's zone must load wherever the gate runs
	_ "time/tzdata"
)

// DefaultOutcomeWithin applies when neither the policy nor the Settings
// document sets outcomeWithin.
const DefaultOutcomeWithin = 7 * 24 * time.Hour

// Fields are the spec fields this package decodes, in the spec's order.
var Fields = []string{"maintenance", "freezes", "approvals", "outcomeWithin"}

// Element fields, for hints and schemas.
var (
	PeriodFields   = []string{"days", "start", "end", "timeZone"}
	FreezeFields   = []string{"start", "end", "timeZone", "reason"}
	ApprovalFields = []string{"when", "from", "count"}
)

// Approval conditions.
const (
	WhenAlways     = "always"
	WhenMajor      = "major"
	WhenMigrations = "migrations"
	WhenDowntime   = "downtime"
)

// WhenValues are the accepted approvals[].when values.
var WhenValues = []string{WhenAlways, WhenMajor, WhenMigrations, WhenDowntime}

// DayNames are the accepted maintenance days, Sunday first as time.Weekday counts.
var DayNames = []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}

// Pos places an element in its file (1-based).
type Pos struct {
	File         string
	Line, Column int
}

func (p Pos) String() string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

// Settings are the change-management settings of one document, or the
// merged settings a manifest is checked against.
type Settings struct {
	// Maintenance periods: a window must lie inside one occurrence of one
	// of them. None means no restriction.
	Maintenance []Period
	// MaintenanceSet is true when the document wrote maintenance (even
	// an empty list, which lifts the repository's periods for a policy).
	MaintenanceSet bool
	Freezes        []Freeze
	Approvals      []Approval
	// OutcomeWithin is how soon after the window the outcome must be
	// recorded (DefaultOutcomeWithin when no document sets it).
	OutcomeWithin    time.Duration
	OutcomeWithinSet bool
	OutcomeWithinPos Pos
}

// Period is a recurring maintenance period: on each of Days, from Start to
// End (wall clock in Location); an End not after Start crosses midnight.
type Period struct {
	Path string // node path, spec.maintenance[i]
	Pos  Pos
	// Days are the weekdays a period starts on; all seven when days is
	// not written.
	Days [7]bool
	// Start and End are minutes after midnight; End may be 24*60.
	Start, End int
	// Zone is the IANA name as written ("UTC" when not written).
	Zone     string
	Location *time.Location
}

// Freeze is a period in which no window may lie: [Start, End).
type Freeze struct {
	Path   string // node path, spec.freezes[i]
	Pos    Pos
	Reason string
	// StartRaw and EndRaw are as written: dates include their whole day.
	StartRaw, EndRaw string
	Zone             string
	Start, End       time.Time
}

// Approval is one required set of approvals.
type Approval struct {
	Path  string // node path, spec.approvals[i]
	Pos   Pos
	When  string
	From  []string // "@user" or "@org/team"
	Count int      // at least 1
}

// Merge returns the settings a manifest is checked against: repo is the
// root's Settings document (nil without one), pol the policy's (nil
// without a policy). Freezes and approvals are the union (a policy cannot
// drop a repository freeze); a policy's maintenance and outcomeWithin
// replace the repository's.
func Merge(repo, pol *Settings) Settings {
	out := Settings{OutcomeWithin: DefaultOutcomeWithin}
	for _, s := range []*Settings{repo, pol} {
		if s == nil {
			continue
		}
		if s.MaintenanceSet {
			out.Maintenance, out.MaintenanceSet = s.Maintenance, true
		}
		if s.OutcomeWithinSet {
			out.OutcomeWithin, out.OutcomeWithinSet, out.OutcomeWithinPos = s.OutcomeWithin, true, s.OutcomeWithinPos
		}
		out.Freezes = append(out.Freezes, s.Freezes...)
		out.Approvals = append(out.Approvals, s.Approvals...)
	}
	return out
}

// Occurrence returns the occurrence of p that holds the instant t, if any:
// [start, end) in absolute time. Occurrences are computed on the wall clock
// of p's zone, so a night when the clocks change is an hour shorter or
// longer than others.
func (p *Period) Occurrence(t time.Time) (start, end time.Time, ok bool) {
	local := t.In(p.Location)
	y, m, d := local.Date()
	// an occurrence lasts less than a day: it started today or yesterday
	for back := 0; back <= 1; back++ {
		s, e, ok := p.OccurrenceOn(y, m, d-back)
		if ok && !t.Before(s) && t.Before(e) {
			return s, e, true
		}
	}
	return time.Time{}, time.Time{}, false
}

// OccurrenceOn returns the occurrence starting on the given day of p's
// zone (d may be out of the month's range, as for time.Date); ok is false
// when p does not start on that weekday.
func (p *Period) OccurrenceOn(y int, m time.Month, d int) (start, end time.Time, ok bool) {
	day := time.Date(y, m, d, 12, 0, 0, 0, p.Location)
	if !p.Days[day.Weekday()] {
		return time.Time{}, time.Time{}, false
	}
	y, m, d = day.Date()
	s := time.Date(y, m, d, p.Start/60, p.Start%60, 0, 0, p.Location)
	ed := d
	if p.End <= p.Start {
		ed++
	}
	e := time.Date(y, m, ed, p.End/60, p.End%60, 0, 0, p.Location)
	return s, e, true
}

// Contains reports whether the window [start, end) lies inside one
// occurrence of p.
func (p *Period) Contains(start, end time.Time) bool {
	s, e, ok := p.Occurrence(start)
	return ok && !end.After(e) && !start.Before(s)
}

// Clock formats minutes after midnight as HH:MM.
func Clock(min int) string { return fmt.Sprintf("%02d:%02d", min/60, min%60) }

// Describe words the period: "sat, sun 22:00–04:00 Europe/Berlin".
func (p *Period) Describe() string {
	days := ""
	n := 0
	for i := 1; i <= 7; i++ { // Monday first
		if p.Days[i%7] {
			if days != "" {
				days += ", "
			}
			days += DayNames[i%7]
			n++
		}
	}
	if n == 7 {
		days = "every day"
	}
	return fmt.Sprintf("%s %s–%s %s", days, Clock(p.Start), Clock(p.End), p.Zone)
}

// Overlaps reports whether the window [start, end) overlaps the freeze.
func (f *Freeze) Overlaps(start, end time.Time) bool {
	return start.Before(f.End) && f.Start.Before(end)
}

// Describe words the freeze: `2026-12-18 to 2027-01-04 America/New_York ("year-end freeze")`.
func (f *Freeze) Describe() string {
	s := fmt.Sprintf("%s to %s %s", f.StartRaw, f.EndRaw, f.Zone)
	if f.Reason != "" {
		s += fmt.Sprintf(" (%q)", f.Reason)
	}
	return s
}
