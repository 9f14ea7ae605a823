package check

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/settings"
)

// Change management and after the upgrade (manifest v1 section 9):
// windowChecks is UG515–UG517, which `check` applies to the manifests it
// checks (UG518 is the approvals'); auditChecks is UG519–UG522, which
// `upgradegate audit` applies to every manifest of the repository, done or
// not. Intervals are half-open [start, end).

// window returns the manifest's window when it has a usable one: both ends
// valid and the end after the start (UG514 and the decoder report the rest).
func window(m *manifest.Manifest) (*manifest.Window, bool) {
	w := m.Spec.Impact.Window
	if w == nil || w.Start.IsZero() || w.End.IsZero() || !w.End.After(w.Start) {
		return nil, false
	}
	return w, true
}

// windowChecks applies UG515–UG517 to a manifest that is not done.
func windowChecks(e *emitter, sub *subject) {
	m := sub.m
	w, ok := window(m)
	if !ok || m.HasOutcome() {
		return
	}
	set := &sub.settings
	zone := "UTC"
	for i := range set.Maintenance {
		if p := &set.Maintenance[i]; i == 0 || p.Contains(w.Start, w.End) {
			zone = p.Zone
		}
		if set.Maintenance[i].Contains(w.Start, w.End) {
			break
		}
	}
	sub.sum.Window = &report.Window{Start: w.Start.UTC(), End: w.End.UTC(), TimeZone: zone}
	if !sub.now.Before(w.End) {
		// one mistake, one finding: a past window is rescheduled anyway,
		// so whether it fit a period or a freeze no longer matters
		e.addHelp(rules.UG517, "spec.impact.window.end",
			"the window ended at %s and no outcome is recorded", utc(w.End))
		return
	}
	if len(set.Maintenance) > 0 && !slices.ContainsFunc(set.Maintenance, func(p settings.Period) bool { return p.Contains(w.Start, w.End) }) {
		first := &set.Maintenance[0]
		var names []string
		for i := range set.Maintenance {
			if i == 3 {
				names = append(names, fmt.Sprintf("and %d more", len(set.Maintenance)-3))
				break
			}
			p := &set.Maintenance[i]
			names = append(names, fmt.Sprintf("%s (%s)", p.Describe(), p.Pos))
		}
		hint := "move the window into one occurrence of a maintenance period"
		if start, p, found := nextFit(set.Maintenance, maxTime(w.Start, sub.now), w.End.Sub(w.Start)); found {
			hint += fmt.Sprintf("; the next that fits it starts %s", inZone(start, start.Add(w.End.Sub(w.Start)), p.Location))
		}
		e.add(rules.UG515, "spec.impact.window", hint,
			"the window %s is not inside a maintenance period: %s", inZone(w.Start, w.End, first.Location), strings.Join(names, "; "))
	}
	seen := map[[2]time.Time]bool{}
	for i := range set.Freezes {
		f := &set.Freezes[i]
		if !f.Overlaps(w.Start, w.End) || seen[[2]time.Time{f.Start, f.End}] {
			continue
		}
		seen[[2]time.Time{f.Start, f.End}] = true
		loc := f.Start.Location()
		e.add(rules.UG516, "spec.impact.window",
			fmt.Sprintf("move the window out of the freeze: it ends %s", inZone(f.End, f.End, loc)),
			"the window %s overlaps the freeze %s (%s)", inZone(w.Start, w.End, loc), f.Describe(), f.Pos)
	}
}

// nextFit returns the earliest occurrence of a period that starts at or
// after from and lasts at least length, within a year.
func nextFit(periods []settings.Period, from time.Time, length time.Duration) (time.Time, *settings.Period, bool) {
	var best time.Time
	var bestP *settings.Period
	for i := range periods {
		p := &periods[i]
		local := from.In(p.Location)
		y, mo, d := local.Date()
		for day := 0; day <= 366; day++ {
			s, e, ok := p.OccurrenceOn(y, mo, d+day)
			if !ok || s.Before(from) || e.Sub(s) < length {
				continue
			}
			if bestP == nil || s.Before(best) {
				best, bestP = s, p
			}
			break
		}
	}
	return best, bestP, bestP != nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// utc formats an instant in UTC, to the minute.
func utc(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// inZone formats [start, end) on loc's wall clock and in UTC.
func inZone(start, end time.Time, loc *time.Location) string {
	return report.FormatWindow(start, end, loc)
}

// auditChecks applies UG519–UG522: what is due after the window. followed
// reports whether another manifest retries or follows this one (UG521);
// when it is nil, UG521 is reported and the caller drops it once the run
// knows a manifest that follows (resolveFollowUps).
func auditChecks(e *emitter, sub *subject, followed func(m *manifest.Manifest) bool) {
	m := sub.m
	s := &m.Spec
	o := s.Outcome
	if w, ok := window(m); ok && o == nil {
		if late := sub.now.Sub(w.End); late > sub.settings.OutcomeWithin {
			within := days(sub.settings.OutcomeWithin)
			if sub.settings.OutcomeWithinSet {
				within += fmt.Sprintf(" (%s)", sub.settings.OutcomeWithinPos)
			}
			e.add(rules.UG519, "spec.impact.window.end",
				fmt.Sprintf("record spec.outcome (date, result, healthChecks, evidence); %s owns it", orNobody(m.OwnerOf(""))),
				"the window ended at %s, %s ago, and no outcome is recorded; outcomeWithin is %s", utc(w.End), days(late.Truncate(time.Hour)), within)
			dueSince(sub, w.End.Add(sub.settings.OutcomeWithin))
		}
	}
	if r := s.Review; r != nil && !r.Due.IsZero() && r.Done.IsZero() && !m.Loc.Has("spec.review.done") {
		due := r.Due
		if isDate(r.DueRaw) {
			due = due.Add(24 * time.Hour) // the whole day
		}
		if !sub.now.Before(due) {
			e.add(rules.UG520, "spec.review.due",
				fmt.Sprintf("hold the review and record spec.review.done and its notes, or move spec.review.due; %s owns it", orNobody(m.OwnerOf(r.Owner))),
				"the post-implementation review was due %s and is not done", r.DueRaw)
			dueSince(sub, r.Due)
		}
	}
	if o == nil || o.Empty {
		return
	}
	if o.Failed() && o.FollowUp == "" && (followed == nil || !followed(m)) {
		e.addHelp(rules.UG521, "spec.outcome.result",
			"the upgrade %s and nothing follows it: no manifest of %q retries it from %s or names it in after, and there is no outcome.followUp",
			map[string]string{manifest.OutcomeFailed: "failed", manifest.OutcomeRolledBack: "was rolled back"}[o.Result], s.Component, s.From.Raw)
	}
	if o.Result != manifest.OutcomeSucceeded {
		return // a failed upgrade's record is UG521's
	}
	if !s.DocsUpdated {
		e.add(rules.UG522, "spec.docsUpdated", "update the documentation, then set spec.docsUpdated: true",
			"the outcome is recorded but docsUpdated is not true")
	}
	if s.Database != nil {
		var missing []string
		for _, v := range s.Database.Verify {
			if !slices.Contains(o.Verified, v) {
				missing = append(missing, v)
			}
		}
		if len(missing) > 0 {
			e.add(rules.UG522, "spec.outcome.verified", "verify the data as spec.database.verify planned, and list each check in outcome.verified",
				"outcome.verified lacks %s, which spec.database.verify planned", quoteList(missing))
		}
	}
	if len(s.PostUpgrade) > 0 && !o.PostUpgradeDone {
		e.add(rules.UG522, "spec.outcome.postUpgradeDone", "carry out the spec.postUpgrade steps, then set outcome.postUpgradeDone: true",
			"outcome.postUpgradeDone is not true while spec.postUpgrade lists %d %s", len(s.PostUpgrade), plural(len(s.PostUpgrade), "step", "steps"))
	}
	if len(s.Monitoring) > 0 && o.MonitoredUntilRaw == "" && !m.Loc.Has("spec.outcome.monitoredUntil") {
		e.add(rules.UG522, "spec.outcome.monitoredUntil", "watch the spec.monitoring dashboards and record until when in outcome.monitoredUntil",
			"outcome.monitoredUntil is missing while spec.monitoring lists %d %s", len(s.Monitoring), plural(len(s.Monitoring), "dashboard", "dashboards"))
	}
}

func isDate(s string) bool {
	_, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	return err == nil
}

func orNobody(owner string) string {
	if owner == "" {
		return "no owner (set spec.owner)"
	}
	return owner
}

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = fmt.Sprintf("%q", s)
	}
	return strings.Join(q, ", ")
}

// resolveFollowUps keeps each manifest's UG521 findings only when no other
// manifest of the run retries it (same component and from) or names it in
// spec.after (their plan headers tell).
func resolveFollowUps(results []*manifestResult) {
	type key struct{ component, from string }
	keyOf := func(h *plan.Header) key {
		k := key{h.Component, h.From.Raw}
		if h.From.V != nil {
			k.from = h.From.V.String()
		}
		return k
	}
	retries := map[key]int{}
	named := map[string]bool{}
	for i := range results {
		h := results[i].header
		if h == nil {
			continue
		}
		if k := keyOf(h); k.component != "" && k.from != "" {
			retries[k]++
		}
		for _, a := range h.After {
			named[a.Name] = true
		}
	}
	for i := range results {
		res := results[i]
		if len(res.unfollowed) == 0 || res.header == nil {
			continue
		}
		h := res.header
		if retries[keyOf(h)] < 2 && !(h.Name != "" && named[h.Name]) {
			res.findings = append(res.findings, res.unfollowed...)
		}
		res.unfollowed = nil
	}
}

// dueSince records in the manifest's summary since when something of the
// audit is due, the earliest (the tracking issue's "since" column).
func dueSince(sub *subject, t time.Time) {
	if sub.sum != nil && (sub.sum.DueSince.IsZero() || t.Before(sub.sum.DueSince)) {
		sub.sum.DueSince = t
	}
}
