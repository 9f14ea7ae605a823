package check

import (
	"fmt"
	"time"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// checklistChecks applies the production-upgrade checklist, UG501–UG514,
// then the change-management rules UG515–UG517 (aftercare.go).
func checklistChecks(e *emitter, sub *subject) {
	defer windowChecks(e, sub)
	m, pol := sub.m, sub.pol
	s := &m.Spec
	maxAge, windowMode := policy.DefaultDryRunMaxAge, policy.WindowBoth
	if pol != nil {
		maxAge, windowMode = pol.DryRunMaxAge, pol.DowntimeWindow
	}

	switch {
	case s.Rollback == nil:
		e.add(rules.UG501, "spec.rollback", "add spec.rollback.steps: how to return to the current version", "rollback plan is missing")
	case len(s.Rollback.Steps) == 0:
		e.add(rules.UG501, "spec.rollback.steps", "list the rollback steps in spec.rollback.steps", "rollback plan has no steps")
	case !s.Rollback.Tested:
		e.add(rules.UG502, "spec.rollback.tested", "rehearse the rollback, then set spec.rollback.tested: true", "rollback plan has not been tested")
	}

	switch dr := s.DryRun; {
	case dr == nil:
		e.addHelp(rules.UG503, "spec.dryRun", "dry run is missing")
	default:
		if dr.Result == "" {
			e.add(rules.UG503, "spec.dryRun.result", "record the outcome: result: passed or failed", "dry run has no result")
		} else if dr.Result == "failed" {
			e.addHelp(rules.UG504, "spec.dryRun.result", "dry run in %s failed", orUnknown(dr.Environment))
		}
		if dr.Date.IsZero() {
			if !m.Loc.Has("spec.dryRun.date") {
				e.add(rules.UG505, "spec.dryRun.date", "record when the dry run happened in spec.dryRun.date", "dry run has no date")
			}
		} else if age := dryRunAge(sub.now, dr); age > maxAge {
			e.addHelp(rules.UG505, "spec.dryRun.date",
				"dry run of %q is %s old; the limit is %s", dr.DateRaw, days(age), days(maxAge))
		} else if age < -24*time.Hour {
			e.add(rules.UG505, "spec.dryRun.date", "record the date the dry run actually happened",
				"dry run date %q is in the future", dr.DateRaw)
		}
		switch {
		case dr.Version.V != nil && s.To.V != nil && !dr.Version.V.Equal(s.To.V):
			e.addHelp(rules.UG506, "spec.dryRun.version",
				"dry run tested %q, but the upgrade goes to %q", dr.Version.Raw, s.To.Raw)
		case dr.Version.Raw == "" && !m.Loc.Has("spec.dryRun.version"):
			e.add(rules.UG506, "spec.dryRun.version", "record the version the dry run tested in spec.dryRun.version",
				"dry run does not say which version it tested")
		}
	}

	im := s.Impact
	needWindow, why := false, ""
	isMajor := s.From.V != nil && s.To.V != nil && major(s.To.V) > major(s.From.V)
	switch windowMode {
	case policy.WindowAlways:
		needWindow, why = true, "the policy requires a window for every upgrade"
	case policy.WindowMajor:
		needWindow, why = isMajor, "this is a major upgrade"
	case policy.WindowMigrations:
		needWindow, why = im.Migrations, "the upgrade runs migrations"
	case policy.WindowBoth:
		switch {
		case isMajor && im.Migrations:
			needWindow, why = true, "this is a major upgrade with migrations"
		case isMajor:
			needWindow, why = true, "this is a major upgrade"
		case im.Migrations:
			needWindow, why = true, "the upgrade runs migrations"
		}
	}
	if im.Window == nil && needWindow {
		e.add(rules.UG507, "spec.impact.window", "schedule the downtime in spec.impact.window (start and end, RFC 3339)",
			"downtime window is missing: %s", why)
	}
	if w := im.Window; w != nil && !w.Start.IsZero() && !w.End.IsZero() && !w.End.After(w.Start) {
		e.add(rules.UG514, "spec.impact.window.end", "the window's end must be after its start",
			"window ends at %s, before it starts at %s", w.End.Format("2006-01-02T15:04:05Z07:00"), w.Start.Format("2006-01-02T15:04:05Z07:00"))
	}
	if len(im.ReleaseNotes) == 0 {
		e.addHelp(rules.UG508, "spec.impact.releaseNotes", "release notes are missing")
	}

	switch st := s.Stakeholders; {
	case st == nil:
		e.add(rules.UG509, "spec.stakeholders", "list who is told (spec.stakeholders.notify) and where to talk (spec.stakeholders.channel)", "stakeholders are missing")
	default:
		if len(st.Notify) == 0 {
			e.add(rules.UG509, "spec.stakeholders.notify", "list who is told in spec.stakeholders.notify", "no stakeholders to notify")
		}
		if st.Channel == "" {
			e.add(rules.UG509, "spec.stakeholders.channel", "name the real-time channel in spec.stakeholders.channel", "communication channel is missing")
		}
	}
	if s.Owner == "" {
		e.addHelp(rules.UG510, "spec.owner", "owner (person in charge) is missing")
	}
	if len(s.HealthChecks) == 0 {
		e.add(rules.UG511, "spec.healthChecks", "list the checks that prove the system healthy in spec.healthChecks", "health checks are missing")
	}
	if im.Migrations && (s.Database == nil || len(s.Database.Verify) == 0) {
		e.add(rules.UG512, "spec.impact.migrations", "list the data checks in spec.database.verify (rowCounts, checksums, sorting, hashing)",
			"the upgrade runs migrations but plans no database verification")
	}
	switch r := s.Review; {
	case r == nil:
		e.addHelp(rules.UG513, "spec.review", "post-implementation review is not planned")
	case r.Owner == "" && r.Due.IsZero():
		e.add(rules.UG513, "spec.review", "name who leads the review (owner) and when it is due (due)", "post-implementation review has neither an owner nor a due date")
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "an unnamed environment"
	}
	return fmt.Sprintf("%q", s)
}

// dryRunAge is how old the dry run is at now. A plain date stands for the
// whole day, so its age counts whole days: a dry run dated 14 days ago is
// 14 days old all day long, whatever the hour.
func dryRunAge(now time.Time, dr *manifest.DryRun) time.Duration {
	age := now.Sub(dr.Date)
	if dr.DateOnly && age > 0 {
		age = age.Truncate(24 * time.Hour)
	}
	return age
}

// days formats a duration in days when it is whole days, else as Go does.
func days(d interface{ Hours() float64 }) string {
	h := d.Hours()
	if h >= 24 && h == float64(int(h/24))*24 {
		return fmt.Sprintf("%dd", int(h/24))
	}
	if h >= 24 {
		return fmt.Sprintf("%.1fd", h/24)
	}
	return fmt.Sprintf("%.0fh", h)
}
