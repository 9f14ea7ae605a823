package check

import (
	"fmt"
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// lifecycleChecks applies UG701–UG704 (manifest v1 section 7): the support
// windows of the policy's lifecycle data (spec.import of endoflife data) at
// the window's start, or at the run's date without a window. Intermediate
// stops are exempt: vendors' required stops are often long past their end
// of life, and an upgrade only passes through them.
func lifecycleChecks(e *emitter, s *subject) {
	at, when := s.lifecycleDate()
	sp := &s.m.Spec
	if s.pol != nil && s.pol.HasLifecycle() {
		pol := s.pol
		if sp.To.V != nil {
			targetLifecycle(e, s, pol, sp.To.V, at, when)
		}
		if sp.From.V != nil {
			if c := pol.CycleOf(sp.From.V); c != nil && c.PastEOL(at) {
				e.add(rules.UG703, "spec.from", "the upgrade is overdue: production runs a release its vendor no longer fixes",
					"%s %q is already past its end of life: cycle %s %s (%s)", sp.Component, sp.From.Raw, c.Name, eolPhrase(c), where(c.Pos))
			}
		}
	}
	// UG704: each environment component whose own policy has lifecycle data
	if s.policyFor == nil {
		return
	}
	for _, en := range sp.Environment {
		if en.Version.V == nil || en.Name == sp.Component {
			continue
		}
		pol := s.policyFor(en.Name)
		if pol == nil || !pol.HasLifecycle() {
			continue
		}
		c := pol.CycleOf(en.Version.V)
		if c == nil || !c.PastEOL(at) {
			continue
		}
		e.add(rules.UG704, en.Version.Path, upgradeHint(pol, en.Name, at),
			"%s %q in spec.environment is past its end of life %s: cycle %s %s (%s, imported by policy %q)",
			en.Name, en.Version.Raw, when, c.Name, eolPhrase(c), where(c.Pos), pol.File)
	}
}

// targetLifecycle is UG701 (to past its end of life at the window's start)
// and UG702 (it reaches end of active support or end of life within
// lifecycle.warnBefore of it).
func targetLifecycle(e *emitter, s *subject, pol *policy.Policy, to *version.Version, at time.Time, when string) {
	sp := &s.m.Spec
	c := pol.CycleOf(to)
	if c == nil {
		return
	}
	if c.PastEOL(at) {
		e.add(rules.UG701, "spec.to", upgradeHint(pol, sp.Component, at),
			"%s %q is past its end of life %s: cycle %s %s (%s)", sp.Component, sp.To.Raw, when, c.Name, eolPhrase(c), where(c.Pos))
		return
	}
	horizon := at.Add(pol.Lifecycle.WarnBefore)
	var what string
	var date time.Time
	switch {
	case !c.SupportEnd.IsZero() && !c.SupportEnd.Before(at) && c.SupportEnd.Before(horizon):
		what, date = "end of active support", c.SupportEnd
	case !c.EOL.IsZero() && c.EOL.Before(horizon):
		what, date = "end of life", c.EOL
	default:
		return
	}
	if !c.EOL.IsZero() && c.EOL.Before(horizon) && what != "end of life" {
		what = fmt.Sprintf("end of active support on %s and end of life on %s", day(c.SupportEnd), day(c.EOL))
	} else {
		what = fmt.Sprintf("%s on %s", what, day(date))
	}
	e.add(rules.UG702, "spec.to", upgradeHint(pol, sp.Component, at)+"; lifecycle.warnBefore in the policy sets this horizon",
		"%s %q reaches %s, within %s of the window's start %s: cycle %s (%s)",
		sp.Component, sp.To.Raw, what, days(pol.Lifecycle.WarnBefore), day(at), c.Name, where(c.Pos))
}

// lifecycleDate is the date the lifecycle rules judge: the window's start,
// else the run's date; when words it for messages.
func (s *subject) lifecycleDate() (at time.Time, when string) {
	if w := s.m.Spec.Impact.Window; w != nil && !w.Start.IsZero() {
		return w.Start.UTC(), "at the window's start " + day(w.Start.UTC())
	}
	return s.now, "on " + day(s.now) + " (no window is planned: the run's date)"
}

// upgradeHint names the newest maintained release of a component.
func upgradeHint(pol *policy.Policy, component string, at time.Time) string {
	c := pol.NewestMaintained(at)
	if c == nil {
		return fmt.Sprintf("the lifecycle data of policy %q lists no maintained %s release: update it (`upgradegate vendor pull`)", pol.File, component)
	}
	latest := c.Latest
	if latest == "" {
		latest = c.Name
	}
	until := "no end of life announced"
	if !c.EOL.IsZero() {
		until = "maintained until " + day(c.EOL)
	}
	return fmt.Sprintf("the newest maintained %s release is %s (cycle %s, %s)", component, latest, c.Name, until)
}

// eolPhrase says when a cycle's life ended.
func eolPhrase(c *policy.Cycle) string {
	if c.EOL.IsZero() {
		return "is marked end of life"
	}
	return "reached its end of life on " + day(c.EOL)
}

// where is a vendor file position for messages: "vendor/eol/gitlab.json:123".
func where(p policy.Pos) string { return fmt.Sprintf("%s:%d", p.File, p.Line) }

func day(t time.Time) string { return t.Format(time.DateOnly) }

// componentPolicy is the usable policy of a component found in the
// repository, for UG704; nil when there is none.
func (g *gate) componentPolicy(component string) *policy.Policy {
	p := g.ws.ComponentPolicy(component)
	if p == nil {
		return nil
	}
	return p.Policy
}

// staleImports is UG705 for one policy: an import with a maxAge whose copy
// is older, aged by FILE.source.json's fetched time, else by the date the
// vendor file carries itself (endoflife.date's generated_at), else not at
// all. The finding stands at the import's maxAge.
func staleImports(pol *policy.Policy, now time.Time) []finding.Finding {
	var out []finding.Finding
	for _, im := range pol.Imports {
		if im.MaxAge <= 0 || im.Rel == "" {
			continue
		}
		taken, source := im.Fetched, "fetched "+im.Fetched.UTC().Format(time.RFC3339)+" ("+im.FetchedFrom+")"
		if taken.IsZero() {
			taken, source = im.Dated, "dated "+im.Dated.UTC().Format(time.RFC3339)+" by the file itself"
		}
		if taken.IsZero() {
			continue
		}
		age := now.Sub(taken)
		if age <= im.MaxAge {
			continue
		}
		node := im.Path + ".maxAge"
		p := pol.Loc.Locate(node)
		hint := "run `upgradegate vendor pull " + pol.File + "` (or the scheduled workflow) and commit the update"
		if im.URL == "" {
			hint = "replace the copy with the vendor's current data, or add a url so that `upgradegate vendor pull` can"
		}
		f := finding.New(rules.UG705, pol.File, p.Line, p.Column,
			fmt.Sprintf("%s is %s old, older than its maxAge of %s: %s", im, days(age.Truncate(time.Hour)), days(im.MaxAge), source), hint)
		f.Node = node
		if f.Severity = pol.Apply(f.Rule, f.Severity); f.Severity != finding.Off {
			out = append(out, f)
		}
	}
	return out
}
