package check

import (
	"fmt"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// blocker is the first thing that makes a stop unsupported: the first row
// covering it (in policy order) whose requirement the environment fails.
type blocker struct {
	at  *version.Version
	row *policy.Row
	req *policy.Requirement
	env manifest.Env
}

// firstBlocker returns the first stop of the route the environment does not
// satisfy, with its first blocking row and requirement (cov: which rows
// cover a stop).
func firstBlocker(env map[string]manifest.Env, pol *policy.Policy, stops []*version.Version, cov *coverage) (blocker, bool) {
	for _, st := range stops {
		covers := cov.covers(pol, st)
		for ri := range pol.Compatibility {
			row := &pol.Compatibility[ri]
			if !covers[ri] {
				continue
			}
			for qi := range row.Requires {
				q := &row.Requires[qi]
				if en, ok := env[q.Component]; ok && en.Version.V != nil && !q.Allows(en.Version.V, st) {
					return blocker{at: st, row: row, req: q, env: en}, true
				}
			}
		}
	}
	return blocker{}, false
}

// unsupportedRoute reports UG206: every legal route stops at a version the
// environment does not satisfy. It names the route that comes closest
// (fewest unsupported stops, then fewest hops, then the latest releases),
// its first blocking row and component, and what to upgrade first. It
// stands for the UG204 the suggestion would be and for the UG301 findings
// at its stops.
func unsupportedRoute(e *emitter, s *subject, sg upgradepath.Suggestion) {
	sp, pol := &s.m.Spec, s.pol
	from, to := sp.From.V, sp.To.V
	route := joinVersions(append(append([]*version.Version{from}, sg.Stops...), to))
	b, ok := firstBlocker(s.envAt, pol, sg.Stops, s.coverage)
	if !ok { // the engine and the rows disagree: say what the engine found
		e.add(rules.UG206, "spec.path", "upgrade the environment first, or choose another target",
			"every legal route from %q to %q stops where the environment is unsupported; the closest is %s", sp.From.Raw, sp.To.Raw, route)
		return
	}
	count := "1 unsupported stop: at"
	if sg.Incompatible > 1 {
		count = fmt.Sprintf("%d unsupported stops, the first at", sg.Incompatible)
	}
	comp, q := sp.Component, b.req
	have := fmt.Sprintf("%s %q", q.Component, b.env.Version.Raw)
	if o, ok := s.origin[q.Component]; ok && s.at != nil {
		have += fmt.Sprintf(", the plan's environment here (%s),", s.at.plan.Describe(o, s.at.plan.Steps[s.at.step]))
	}
	msg := fmt.Sprintf("every legal route from %q to %q stops where the environment is unsupported; the closest, %s, has %s %s %q, %s does not satisfy %s, which compatibility row %d (versions %q) of policy %q requires",
		sp.From.Raw, sp.To.Raw, route, count, comp, b.at.Original(), have, q.Describe(b.at), b.row.Index, b.row.VersionsRaw, pol.File)
	var hint string
	if q.TooNew(b.env.Version.V, b.at) {
		hint = fmt.Sprintf("%s %q is newer than row %d allows at %s %q (an older %s would be a downgrade), and no legal route to %q fits this environment: check whether the row is out of date, or choose a target beyond it",
			q.Component, b.env.Version.Raw, b.row.Index, comp, b.at.Original(), q.Component, sp.To.Raw)
		if t := s.answers.compatibleTarget(pol, s.env, from, to); t != nil {
			hint = fmt.Sprintf("%s %q is newer than row %d allows at %s %q (an older %s would be a downgrade), and no legal route to %q fits this environment: choose a target whose route fits, such as %s",
				q.Component, b.env.Version.Raw, b.row.Index, comp, b.at.Original(), q.Component, sp.To.Raw, joinVersions(t))
		}
	} else {
		hint = fmt.Sprintf("upgrade %s first, to a version that row %d allows at %s %q (%s), then %s along %s",
			q.Component, b.row.Index, comp, b.at.Original(), q.Describe(b.at), comp, route)
	}
	e.add(rules.UG206, "spec.path", hint, "%s", msg)
}
