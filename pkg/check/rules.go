package check

import (
	"errors"
	"fmt"
	"strings"
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// versionRules applies UG102–UG104, the path rules UG2xx and the
// compatibility rules UG3xx, and fills the summary's suggested path.
func (g *gate) versionRules(e *emitter, m *manifest.Manifest, pol *policy.Policy, sum *report.Manifest) {
	s := &m.Spec
	from, to := s.From.V, s.To.V
	if from == nil || to == nil {
		return
	}
	if !to.GreaterThan(from) {
		e.add(rules.UG102, "spec.to", "spec.from is what production runs now; spec.to must be newer",
			"to %q is not greater than from %q", s.To.Raw, s.From.Raw)
		return
	}
	stops, pathOK := declaredStops(e, s)
	if pol == nil {
		return
	}
	eng := pol.Engine
	if eng.HasReleases() {
		check := func(v manifest.Version, what string) {
			if v.V != nil && !eng.IsRelease(v.V) {
				e.add(rules.UG104, v.Path, "use a released version, or add it to the policy's releases",
					"%s %q is not among the releases of policy %q", what, v.Raw, pol.File)
			}
		}
		check(s.From, "from")
		check(s.To, "to")
		for _, st := range s.Path {
			check(st, "stop")
		}
	}
	declared := m.Loc.Has("spec.path")
	legal := pathOK
	if pathOK {
		violations := eng.Validate(from, to, stops)
		legal = len(violations) == 0
		pathViolations(e, s, violations)
	}
	suggested, err := eng.Suggest(from, to)
	if err == nil {
		sum.SuggestedPath = make([]string, len(suggested))
		for i, v := range suggested {
			sum.SuggestedPath[i] = v.Original()
		}
	}
	if !declared || !legal {
		switch {
		case errors.Is(err, upgradepath.ErrNoPath):
			// the engine's error repeats from and to after ErrNoPath
			detail := strings.TrimPrefix(err.Error(), fmt.Sprintf("%v from %q to %q: ", upgradepath.ErrNoPath, from.Original(), to.Original()))
			e.add(rules.UG205, "spec.path", "add the missing releases to the policy, or choose another target",
				"no legal path from %q to %q among the releases of policy %q: %s", s.From.Raw, s.To.Raw, pol.File, detail)
		case err != nil:
			e.add(rules.UG205, "spec.path", "", "no path from %q to %q: %v", s.From.Raw, s.To.Raw, err)
		default:
			msg := "suggested path: " + joinVersions(append(append([]*version.Version{from}, suggested...), to))
			hint := "set spec.path: [" + strings.Join(sum.SuggestedPath, ", ") + "]"
			if len(suggested) == 0 {
				msg += " (a direct hop is legal)"
				hint = "no intermediate stop is needed; write spec.path: [] to declare it"
			}
			e.add(rules.UG204, "spec.path", hint, "%s", msg)
		}
	}
	if len(pol.Compatibility) == 0 {
		return // UG3xx apply only to a policy with compatibility rows
	}
	// compatibility at every stop (declared, else suggested) and at to
	var targets []compatTarget
	switch {
	case declared:
		for _, st := range s.Path {
			if st.V != nil {
				targets = append(targets, compatTarget{st.V, fmt.Sprintf("%q", st.Raw), st.Path})
			}
		}
	case err == nil:
		for _, v := range suggested {
			targets = append(targets, compatTarget{v, fmt.Sprintf("%q (a suggested stop)", v.Original()), "spec.to"})
		}
	}
	targets = append(targets, compatTarget{to, fmt.Sprintf("%q", s.To.Raw), "spec.to"})
	compatibilityRules(e, s, pol, targets)
}

// declaredStops applies UG103 to spec.path and returns the parsed stops; ok
// is false when a stop is out of order or does not parse (the declared path
// is then illegal, and not validated hop by hop).
func declaredStops(e *emitter, s *manifest.Spec) (stops []*version.Version, ok bool) {
	ok = true
	prev := s.From
	for _, st := range s.Path {
		if st.V == nil {
			ok = false
			continue
		}
		switch {
		case !st.V.GreaterThan(prev.V):
			what := "the stop before it,"
			if prev.Path == "spec.from" {
				what = "from"
			}
			e.add(rules.UG103, st.Path, "list the stops in ascending order, each newer than from and older than to",
				"stop %q is not greater than %s %q", st.Raw, what, prev.Raw)
			ok = false
		case !st.V.LessThan(s.To.V):
			e.add(rules.UG103, st.Path, "list only the stops between from and to; to itself is not a stop",
				"stop %q is not less than to %q", st.Raw, s.To.Raw)
			ok = false
		}
		stops = append(stops, st.V)
		prev = st
	}
	return stops, ok
}

// pathViolations reports each broken path rule (UG201–UG203) at the target
// node of its hop.
func pathViolations(e *emitter, s *manifest.Spec, violations []upgradepath.Violation) {
	nodes := append(append([]manifest.Version{s.From}, s.Path...), s.To)
	for _, v := range violations {
		target := nodes[v.Hop+1]
		hop := fmt.Sprintf("%q -> %q", nodes[v.Hop].Raw, target.Raw)
		switch v.Kind {
		case upgradepath.Crossed:
			st := v.Stop.Version
			hint := fmt.Sprintf("add %s (or a later %d.%d patch) to spec.path", st.Original(), major(st), minor(st))
			if v.Stop.Conditional != "" {
				e.add(rules.UG201, target.Path, hint, "hop %s skips conditional stop %q (%s)",
					hop, st.Original(), v.Stop.Conditional).Severity = finding.Warning
			} else {
				e.add(rules.UG201, target.Path, hint, "hop %s skips required stop %q", hop, st.Original())
			}
		case upgradepath.ExceedsMaxStep:
			e.add(rules.UG202, target.Path, "add intermediate stops: see the suggested path",
				"hop %s exceeds maxStep: %s", hop, v.Detail)
		case upgradepath.IsBlocked:
			b := v.Blocked
			msg := fmt.Sprintf("hop %s is blocked (from %q to %q)", hop, b.FromRaw, b.ToRaw)
			if b.Reason != "" {
				msg += ": " + b.Reason
			}
			hint := "route the upgrade around the blocked hop"
			if b.URL != "" {
				hint += "; see " + b.URL
			}
			e.add(rules.UG203, target.Path, hint, "%s", msg)
		}
	}
}

// compatTarget is a version the environment must support: a stop or to.
type compatTarget struct {
	v    *version.Version
	raw  string // quoted, for messages
	node string
}

// compatibilityRules applies UG301–UG303 at every target.
func compatibilityRules(e *emitter, s *manifest.Spec, pol *policy.Policy, targets []compatTarget) {
	env := map[string]manifest.Env{}
	for _, en := range s.Environment {
		env[en.Name] = en
	}
	missing := map[string]bool{}
	type violation struct {
		row *policy.Row
		req policy.Requirement
		env manifest.Env
		at  []string
	}
	var incompatible []*violation
	byKey := map[string]*violation{}
	uncovered := map[string][]string{} // node -> versions no row covers
	var nodes []string
	for _, t := range targets {
		covered := false
		for ri := range pol.Compatibility {
			row := &pol.Compatibility[ri]
			if !row.Versions.Check(t.v) {
				continue
			}
			covered = true
			for _, req := range row.Requires {
				en, ok := env[req.Component]
				if !ok {
					if !missing[req.Component] {
						missing[req.Component] = true
						hint := fmt.Sprintf("add %s's production version to spec.environment", req.Component)
						for name := range env {
							if strings.EqualFold(name, req.Component) {
								hint = fmt.Sprintf("spec.environment lists %q: names are case-sensitive, write %q", name, req.Component)
							}
						}
						e.add(rules.UG302, "spec.environment", hint,
							"compatibility row %d of policy %q requires %s %q, but spec.environment does not list %q",
							row.Index, pol.File, req.Component, req.Raw, req.Component)
					}
					continue
				}
				if en.Version.V == nil || req.Constraint.Check(en.Version.V) {
					continue
				}
				k := fmt.Sprintf("%d/%s", row.Index, req.Component)
				if byKey[k] == nil {
					byKey[k] = &violation{row: row, req: req, env: en}
					incompatible = append(incompatible, byKey[k])
				}
				byKey[k].at = append(byKey[k].at, t.raw)
			}
		}
		if !covered {
			if uncovered[t.node] == nil {
				nodes = append(nodes, t.node)
			}
			uncovered[t.node] = append(uncovered[t.node], t.raw)
		}
	}
	// one UG303 per node: the suggested stops all stand at spec.to
	for _, node := range nodes {
		hint := "add a compatibility row for the version to the policy"
		if len(pol.InvalidRows) > 0 {
			hint = fmt.Sprintf("fix the constraints of compatibility row %s of the policy first (UG105): an invalid row covers nothing", andList(intStrings(pol.InvalidRows)))
		}
		e.add(rules.UG303, node, hint,
			"no compatibility row of policy %q covers %s %s", pol.File, s.Component, andList(uncovered[node]))
	}
	for _, v := range incompatible {
		hint := fmt.Sprintf("upgrade %s first, or choose %s versions that row %d allows", v.req.Component, s.Component, v.row.Index)
		if tooNew(v.req.Constraint, v.env.Version.V) {
			hint = fmt.Sprintf("%s %q is newer than row %d allows: choose %s versions whose row accepts it (an older %s would be a downgrade)",
				v.req.Component, v.env.Version.Raw, v.row.Index, s.Component, v.req.Component)
		}
		e.add(rules.UG301, v.env.Version.Path, hint,
			"%s %q does not satisfy %q, which compatibility row %d (versions %q) of policy %q requires at %s %s",
			v.req.Component, v.env.Version.Raw, v.req.Raw, v.row.Index, v.row.VersionsRaw, pol.File, s.Component, andList(v.at))
	}
}

// tooNew reports whether v fails c only through upper bounds (< or <=): the
// environment is newer than the row allows, not older.
func tooNew(c version.Constraints, v *version.Version) bool {
	upper := false
	for _, one := range c {
		if one.Check(v) {
			continue
		}
		op := strings.TrimSpace(one.String())
		if !strings.HasPrefix(op, "<") {
			return false
		}
		upper = true
	}
	return upper
}

func intStrings(ns []int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprint(n)
	}
	return out
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

func major(v *version.Version) int { a, _ := series(v); return a }
func minor(v *version.Version) int { _, b := series(v); return b }

// checklistRules applies UG501–UG514.
func (g *gate) checklistRules(e *emitter, m *manifest.Manifest, pol *policy.Policy) {
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
		e.add(rules.UG503, "spec.dryRun", "run the upgrade in a non-production environment and record it in spec.dryRun", "dry run is missing")
	default:
		if dr.Result == "" {
			e.add(rules.UG503, "spec.dryRun.result", "record the outcome: result: passed or failed", "dry run has no result")
		} else if dr.Result == "failed" {
			e.add(rules.UG504, "spec.dryRun.result", "fix what failed and repeat the dry run", "dry run in %s failed", orUnknown(dr.Environment))
		}
		if dr.Date.IsZero() {
			if !m.Loc.Has("spec.dryRun.date") {
				e.add(rules.UG505, "spec.dryRun.date", "record when the dry run happened in spec.dryRun.date", "dry run has no date")
			}
		} else if age := dryRunAge(g.now, dr); age > maxAge {
			e.add(rules.UG505, "spec.dryRun.date", "repeat the dry run: the policy requires a recent one",
				"dry run of %q is %s old; the limit is %s", dr.DateRaw, days(age), days(maxAge))
		} else if age < -24*time.Hour {
			e.add(rules.UG505, "spec.dryRun.date", "record the date the dry run actually happened",
				"dry run date %q is in the future", dr.DateRaw)
		}
		switch {
		case dr.Version.V != nil && s.To.V != nil && !dr.Version.V.Equal(s.To.V):
			e.add(rules.UG506, "spec.dryRun.version", "dry-run the version you are upgrading to",
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
		e.add(rules.UG508, "spec.impact.releaseNotes", "link the release notes you reviewed in spec.impact.releaseNotes", "release notes are missing")
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
		e.add(rules.UG510, "spec.owner", "name the person in charge in spec.owner", "owner (person in charge) is missing")
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
		e.add(rules.UG513, "spec.review", "plan a review in spec.review (owner and due date)", "post-implementation review is not planned")
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
