package check

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// The path rules UG201–UG206 against the policy: the declared path breaks
// no rule, else (or without one) the suggested path or why none exists; the
// summary gets the suggested path. The family is two checks: the declared
// path's, which the plan cannot change, and the suggestion's, made for the
// environment at the manifest's place in the plan (the plan's second look
// runs that one again, plan.go).

// declaredPathChecks applies UG201–UG203, UG207 and UG208 to the declared
// path when its stops parse and ascend, and says why each stop is there.
func declaredPathChecks(e *emitter, s *subject) {
	if !s.ordered || s.pol == nil {
		return
	}
	s.legal = s.pathOK
	if !s.pathOK {
		return
	}
	sp, pol := &s.m.Spec, s.pol
	from, to := sp.From.V, sp.To.V
	violations := pol.Engine.Validate(from, to, s.stops)
	s.legal = len(violations) == 0
	pathViolations(e, sp, pol, violations)
	conditionalEdges(e, sp, pol, s.stops)
	s.sum.PathWhy = reasons(pol.Engine.Why(from, to, s.stops))
}

// suggestionChecks suggests a path for the environment at the manifest's
// place in the plan (planEnv), for the summary, and reports it (UG204),
// why there is none (UG205) or that every route is unsupported (UG206)
// unless a declared path is legal.
func suggestionChecks(e *emitter, s *subject) {
	if !s.ordered || s.pol == nil {
		return
	}
	sp, pol := &s.m.Spec, s.pol
	from, to := sp.From.V, sp.To.V
	eng := pol.Engine
	var env upgradepath.Env
	if len(pol.Compatibility) > 0 {
		// the environment at the manifest's place in the plan, as the
		// compatibility rules judge it (a PostgreSQL an earlier manifest
		// upgrades counts)
		s.envAt, s.origin = planEnv(s.m, pol, s.at, s.coverage)
		env = versionsOf(s.envAt)
	}
	rt := s.answers.route(pol, from, to, env)
	sg, err := rt.sg, rt.err
	s.suggested, s.suggestErr, s.env = sg.Stops, err, env
	if err == nil {
		s.sum.SuggestedPath = slices.Clone(rt.path)
		s.sum.SuggestedWhy = slices.Clone(rt.why)
	}
	if s.m.Loc.Has("spec.path") && s.legal {
		return
	}
	switch {
	case errors.Is(err, upgradepath.ErrNoPath):
		detail, hint := rt.findingText(eng, from, to)
		e.add(rules.UG205, "spec.path", hint,
			"no legal path from %q to %q among the releases of policy %q: %s", sp.From.Raw, sp.To.Raw, pol.File, detail)
	case err != nil:
		e.add(rules.UG205, "spec.path", "", "no path from %q to %q: %v", sp.From.Raw, sp.To.Raw, err)
	case sg.Incompatible > 0:
		unsupportedRoute(e, s, sg)
	default:
		msg, hint := rt.findingText(eng, from, to)
		e.add(rules.UG204, "spec.path", hint, "%s", msg)
	}
}

// pathViolations reports each broken path rule (UG201–UG203) at the target
// node of its hop. The findings keep the engine's order (a hop's crossed
// stops by version) as their Order, so the stops of one hop print
// 16.3.9, 16.7.10, 16.11.10 rather than in the order of their text.
func pathViolations(e *emitter, s *manifest.Spec, pol *policy.Policy, violations []upgradepath.Violation) {
	polFile := pol.File
	nodes := append(append([]manifest.Version{s.From}, s.Path...), s.To)
	for i, v := range violations {
		n := len(e.findings)
		target := nodes[v.Hop+1]
		hop := fmt.Sprintf("%q -> %q", nodes[v.Hop].Raw, target.Raw)
		switch v.Kind {
		case upgradepath.Crossed:
			st := v.Stop.Version
			hint := fmt.Sprintf("add %s (or a later %d.%d patch) to spec.path", st.Original(), major(st), minor(st))
			if v.Stop.Series {
				hint = fmt.Sprintf("add the latest %d.%d patch to spec.path", major(st), minor(st))
			}
			what := stopWhat(v.Stop, polFile)
			if v.Stop.Conditional != "" {
				e.add(rules.UG201, target.Path, hint, "hop %s skips conditional stop %q%s (%s)",
					hop, st.Original(), what, v.Stop.Conditional).Severity = finding.Warning
			} else {
				e.add(rules.UG201, target.Path, hint, "hop %s skips required stop %q%s", hop, st.Original(), what)
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
		case upgradepath.NotAnEdge:
			notAnEdge(e, pol, target.Path, hop, v.From)
		}
		for k := n; k < len(e.findings); k++ {
			e.findings[k].Order = i + 1
		}
	}
}

func joinVersions(vs []*version.Version) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = v.Original()
	}
	return strings.Join(parts, " -> ")
}

// reasons renders why each stop of a path is there, for the reports that
// draw the route.
func reasons(rs []upgradepath.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}
