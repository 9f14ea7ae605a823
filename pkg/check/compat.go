package check

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// compatChecks applies the compatibility rules UG301–UG303 of a policy with
// compatibility rows, at every stop (declared, else suggested) and at to.
func compatChecks(e *emitter, s *subject) {
	if !s.ordered || s.pol == nil || len(s.pol.Compatibility) == 0 {
		return
	}
	sp := &s.m.Spec
	var targets []compatTarget
	switch {
	case s.m.Loc.Has("spec.path"):
		for _, st := range sp.Path {
			if st.V != nil {
				targets = append(targets, compatTarget{v: st.V, text: st.Raw, node: st.Path})
			}
		}
	case s.suggestErr == nil:
		for _, v := range s.suggested {
			// UG206 reports an unsupported suggested stop
			targets = append(targets, compatTarget{v: v, text: v.Original(), node: "spec.to", suggested: true})
		}
	}
	targets = append(targets, compatTarget{v: sp.To.V, text: sp.To.Raw, node: "spec.to"})
	compatibilityRules(e, sp, s.pol, targets, s.at, s.coverage, s.answers, s.envAt, s.origin)
}

// compatTarget is a version the environment must support: a stop or to.
type compatTarget struct {
	v    *version.Version
	text string // as written
	node string
	// suggested: a stop of the suggested path, where UG206, not UG301,
	// reports an unsupported environment
	suggested bool
}

// label names the target in messages: quoted, and a suggested stop as such
// (made only for a finding: most targets need none).
func (t compatTarget) label() string {
	if t.suggested {
		return strconv.Quote(t.text) + " (a suggested stop)"
	}
	return strconv.Quote(t.text)
}

// rowReq names a compatibility row's requirement of one component.
type rowReq struct {
	row       int
	component string
}

// planEnv returns the environment a manifest's compatibility is judged
// with, by component: its spec.environment and, with its place in the plan
// (at), for a component a row of the policy requires, the plan's value
// there when the manifest does not declare it, or when UG801 contradicts
// what it declares (UG801 reports the declared value; the plan's is
// checked). origin says where each plan value comes from (Describe).
func planEnv(m *manifest.Manifest, pol *policy.Policy, at *planPoint, cov *coverage) (map[string]manifest.Env, map[string]plan.EnvAt) {
	s := &m.Spec
	env := make(map[string]manifest.Env, len(s.Environment))
	for _, en := range s.Environment {
		env[en.Name] = en
	}
	var origin map[string]plan.EnvAt // component -> the plan's value, for where it comes from (Describe); read only
	if at != nil {
		origin = map[string]plan.EnvAt{}
		node := "spec.from"
		switch {
		case m.Loc.Has("spec.after"):
			node = "spec.after"
		case m.Loc.Has("spec.environment"):
			node = "spec.environment"
		}
		for _, comp := range cov.requiredBy(pol) {
			if en, ok := env[comp]; ok {
				if v, bad := at.plan.Contradicted(at.step, comp); bad {
					// UG801 reports the declared value; the plan's is checked
					env[comp] = manifest.Env{Name: comp, Version: manifest.Version{Raw: v.Raw, V: v.V, Path: en.Version.Path}}
					origin[comp] = v
				}
				continue
			}
			if v, ok := at.plan.ValueAt(at.step, comp); ok {
				env[comp] = manifest.Env{Name: comp, Version: manifest.Version{Raw: v.Raw, V: v.V, Path: node}}
				origin[comp] = v
			}
		}
	}
	return env, origin
}

// versionsOf returns the versions of env that parse, for the path engine.
func versionsOf(env map[string]manifest.Env) upgradepath.Env {
	out := upgradepath.Env{}
	for name, en := range env {
		if en.Version.V != nil {
			out[name] = en.Version.V
		}
	}
	return out
}

// compatibilityRules applies UG301–UG303 at every target.
//
// With the manifest's place in the plan (at), a component the manifest does
// not declare takes the plan's value there (the steps before it, or today's
// value of the component's chain), and a stop the environment fails that an
// upgrade of the plan not ordered before it would satisfy is UG802, which
// replaces UG301 (or UG302) for it.
//
// env and origin are planEnv's for the manifest at its place in the plan,
// as the path family made its suggestion for them.
//
// ans remembers the engine's answers for the hints (tooNewHint).
func compatibilityRules(e *emitter, s *manifest.Spec, pol *policy.Policy, targets []compatTarget, at *planPoint, cov *coverage, ans *answers, env map[string]manifest.Env, origin map[string]plan.EnvAt) {
	// provider is the upgrade of the plan, not ordered before this
	// manifest, that would satisfy req at the component version v
	provider := func(req policy.Requirement, v *version.Version) *plan.Step {
		if at == nil || at.plan.Steps[at.step].OrderBroken() {
			return nil
		}
		for _, u := range at.plan.Providers(at.step, req.Component) {
			if u.To.V != nil && req.Allows(u.To.V, v) {
				return u
			}
		}
		return nil
	}
	missing := map[string]bool{}
	type violation struct {
		row   *policy.Row
		req   policy.Requirement
		env   manifest.Env
		at    []string
		first *version.Version // the first version it fails at
		// atFrom: production already runs outside the row at from
		atFrom bool
	}
	var incompatible []*violation
	byKey := map[rowReq]*violation{}
	uncovered := map[string][]string{} // node -> versions no row covers
	var nodes []string
	for _, t := range targets {
		covered := false
		covers := cov.covers(pol, t.v)
		for ri := range pol.Compatibility {
			row := &pol.Compatibility[ri]
			if !covers[ri] {
				continue
			}
			covered = true
			for _, req := range row.Requires {
				en, ok := env[req.Component]
				if !ok {
					if u := provider(req, t.v); u != nil && !missing[req.Component] {
						missing[req.Component] = true
						planUG802(e, at, row, pol, s, req, u, t.label(), "spec.environment", "")
						continue
					}
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
				if en.Version.V == nil || t.suggested || req.Allows(en.Version.V, t.v) {
					continue
				}
				k := rowReq{row.Index, req.Component}
				if byKey[k] == nil {
					byKey[k] = &violation{row: row, req: req, env: en, first: t.v}
					incompatible = append(incompatible, byKey[k])
				}
				byKey[k].at = append(byKey[k].at, t.label())
			}
		}
		if !covered {
			if uncovered[t.node] == nil {
				nodes = append(nodes, t.node)
			}
			uncovered[t.node] = append(uncovered[t.node], t.label())
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
	// UG304: production already runs outside a row that covers from; a
	// row and component that UG301 reports at a target say so there
	var today []*violation
	if from := s.From.V; from != nil {
		covers := cov.covers(pol, from)
		for ri := range pol.Compatibility {
			row := &pol.Compatibility[ri]
			if !covers[ri] {
				continue
			}
			for _, req := range row.Requires {
				en, ok := env[req.Component]
				if !ok || en.Version.V == nil || req.Allows(en.Version.V, from) {
					continue
				}
				if v := byKey[rowReq{row.Index, req.Component}]; v != nil {
					v.atFrom = true
					continue
				}
				today = append(today, &violation{row: row, req: req, env: en, first: from})
			}
		}
	}
	for _, v := range incompatible {
		if u := provider(v.req, v.first); u != nil {
			planUG802(e, at, v.row, pol, s, v.req, u, andList(v.at), v.env.Version.Path, v.env.Version.Raw)
			continue
		}
		if ov, ok := origin[v.req.Component]; ok {
			o := at.plan.Describe(ov, at.plan.Steps[at.step])
			e.add(rules.UG301, v.env.Version.Path, fmt.Sprintf("order an upgrade of %s to a version row %d allows before %s with spec.after, or choose %s versions that row %d allows", v.req.Component, v.row.Index, e.m.Label(), s.Component, v.row.Index),
				"%s %q, the plan's environment here (%s), does not satisfy %q, which compatibility row %d (versions %q) of policy %q requires at %s %s",
				v.req.Component, v.env.Version.Raw, o, v.req.Raw, v.row.Index, v.row.VersionsRaw, pol.File, s.Component, andList(v.at))
			continue
		}
		hint := fmt.Sprintf("upgrade %s first, or choose %s versions that row %d allows", v.req.Component, s.Component, v.row.Index)
		if v.req.TooNew(v.env.Version.V, v.first) {
			hint = tooNewHint(s, pol, ans, env, v.row, v.req, v.env)
		}
		already := ""
		if v.atFrom {
			already = fmt.Sprintf("; production already runs outside that row at %s %q", s.Component, s.From.Raw)
		}
		e.add(rules.UG301, v.env.Version.Path, hint,
			"%s %q does not satisfy %s, which compatibility row %d (versions %q) of policy %q requires at %s %s%s",
			v.req.Component, v.env.Version.Raw, v.req.Describe(v.first), v.row.Index, v.row.VersionsRaw, pol.File, s.Component, andList(v.at), already)
	}
	for _, v := range today {
		hint := fmt.Sprintf("upgrade %s to a version that row %d allows at %s %q, or record an exception while production runs it", v.req.Component, v.row.Index, s.Component, s.From.Raw)
		fixedAtTo := !v.row.Versions.Check(s.To.V) || v.req.Allows(v.env.Version.V, s.To.V)
		switch {
		case v.req.TooNew(v.env.Version.V, s.From.V) && fixedAtTo:
			hint = fmt.Sprintf("%s %q is newer than row %d allows at %s %q (an older %s would be a downgrade); %s %q accepts it, so this upgrade ends the unsupported combination",
				v.req.Component, v.env.Version.Raw, v.row.Index, s.Component, s.From.Raw, v.req.Component, s.Component, s.To.Raw)
		case v.req.TooNew(v.env.Version.V, s.From.V):
			hint = fmt.Sprintf("%s %q is newer than row %d allows at %s %q (an older %s would be a downgrade): upgrade %s to a version whose row accepts it",
				v.req.Component, v.env.Version.Raw, v.row.Index, s.Component, s.From.Raw, v.req.Component, s.Component)
		case !v.row.Versions.Check(s.To.V):
			hint = fmt.Sprintf("this upgrade leaves row %d (%s %q is outside it); until it is done, %s", v.row.Index, s.Component, s.To.Raw, hint)
		}
		e.add(rules.UG304, v.env.Version.Path, hint,
			"production already runs an unsupported combination: %s %q does not satisfy %s, which compatibility row %d (versions %q) of policy %q requires at %s %q (from)",
			v.req.Component, v.env.Version.Raw, v.req.Describe(v.first), v.row.Index, v.row.VersionsRaw, pol.File, s.Component, s.From.Raw)
	}
}

// tooNewHint says what to do when the environment is newer than row
// allows (an older one would be a downgrade): choose another target when to
// itself is in the row; name a legal route that stays out of every row the
// environment breaks when there is one; else say that the component has to
// be upgraded first, before the environment left the row.
func tooNewHint(s *manifest.Spec, pol *policy.Policy, ans *answers, env map[string]manifest.Env, row *policy.Row, req policy.Requirement, en manifest.Env) string {
	head := fmt.Sprintf("%s %q is newer than row %d allows (an older %s would be a downgrade)", req.Component, en.Version.Raw, row.Index, req.Component)
	from, to := s.From.V, s.To.V
	if row.Versions.Check(to) {
		head = fmt.Sprintf("%s, and %s %q itself is in that row", head, s.Component, s.To.Raw)
		if t := ans.compatibleTarget(pol, versionsOf(env), from, to); t != nil {
			return fmt.Sprintf("%s: choose a target whose row accepts %s %q, such as the route %s", head, req.Component, en.Version.Raw, joinVersions(t))
		}
		return fmt.Sprintf("%s; no release the policy lists above it accepts %s %q along a legal route, so no target fits this environment (is the row out of date?)", head, req.Component, en.Version.Raw)
	}
	if route := compatibleRoute(ans, pol, versionsOf(env), from, to); route != nil {
		return fmt.Sprintf("%s: choose %s versions whose row accepts it, such as the route %s", head, s.Component, joinVersions(route))
	}
	return fmt.Sprintf("%s, and every legal route from %q to %q stops in that row: upgrade %s to %q first, while %s still satisfies %q, then %s to %q",
		head, s.From.Raw, s.To.Raw, s.Component, s.To.Raw, req.Component, req.Raw, req.Component, en.Version.Raw)
}

// compatibleRoute returns from, the stops and to of the legal route the
// engine suggests for the environment when its every stop is one the
// environment satisfies, or nil (ans: the run's answers).
func compatibleRoute(ans *answers, pol *policy.Policy, env upgradepath.Env, from, to *version.Version) []*version.Version {
	if pol.Engine == nil {
		return nil
	}
	r := ans.route(pol, from, to, env)
	if r.err != nil || r.sg.Incompatible > 0 {
		return nil
	}
	return append(append([]*version.Version{from}, r.sg.Stops...), to)
}

// compatibleTarget returns the compatible route (see compatibleRoute) to
// the lowest of the next 16 releases above to that has one, or nil. The
// route is shared: callers only read it (answers.compatibleTarget
// remembers it).
func compatibleTarget(ans *answers, pol *policy.Policy, env upgradepath.Env, from, to *version.Version) []*version.Version {
	if pol.Engine == nil {
		return nil
	}
	var above []*version.Version
	for _, rel := range pol.Releases {
		if v := rel.Version(); v != nil && upgradepath.Compare(v, to) > 0 && v.Prerelease() == "" && pol.Engine.Compatible(env, v) {
			above = append(above, v)
		}
	}
	slices.SortFunc(above, upgradepath.Compare)
	for i, v := range above {
		if i == 16 {
			break
		}
		if route := compatibleRoute(ans, pol, env, from, v); route != nil {
			return route
		}
	}
	return nil
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
