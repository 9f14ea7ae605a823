package check

import (
	"runtime/trace"

	"context"
	"fmt"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// The whole-run view (manifest v1 section 8). Manifests are still checked
// as their files load and dropped once checked; what the run keeps of each is
// its result and a light plan.Header (name, component, from, to, after,
// environment, outcome, positions). Once every file is loaded the plan is
// built from all the headers (checked or not: with changed-only, the
// manifests a changed one depends on are read too), and then:
//   - a manifest whose compatibility depends on the plan (a component its
//     policy requires flows to it from an earlier manifest, or a stop failed
//     and another manifest of the plan provides the version) is checked
//     again with its place in the plan (planPoint): the first pass keeps, of
//     a manifest that may need it, only what the plan families read
//     (secondLook), and the second look runs those families alone, without
//     reading or decoding the file again (lookAgain);
//   - the plan's own findings (UG801–UG803) join each manifest's, with its
//     policy's severities and its exceptions, whose UG902 waits until then.

// planPoint is a manifest's place in the run's plan, for the checks that
// use the environment at that point (compat.go).
type planPoint struct {
	plan *plan.Plan
	step int
}

// headerOf takes a manifest's plan header. The deployed clause of
// plan.Header.Done is set here: Header.Deployed, the version the
// repository deploys for the component (pkg/deployed, engineer "deployed").
func (g *gate) headerOf(m *manifest.Manifest) *plan.Header {
	if g.opts.withoutPlan {
		return &plan.Header{Name: m.Name, NamePos: m.Loc.Locate("metadata.name")}
	}
	h := plan.HeaderOf(m)
	if d := g.production(m.Spec.Component); d != nil {
		h.Deployed = d.Version
	}
	return h
}

// isPlanRule reports whether rule's findings come from the plan, after
// every manifest is known.
// UG605 is one of them: whether a manifest starts the plan is known then.
func isPlanRule(rule rules.ID) bool {
	return rule == rules.UG801 || rule == rules.UG802 || rule == rules.UG605
}

// planExceptions returns copies of the exceptions of plan rules (without
// the document's positions, which the run does not keep) and what each
// matched so far.
func planExceptions(excs []*exception.Exception, used []int) ([]*exception.Exception, []int) {
	var out []*exception.Exception
	var n []int
	for i, e := range excs {
		if e.Valid && isPlanRule(e.ID) {
			c := *e
			c.Loc = yamldoc.Locations{}
			out = append(out, &c)
			n = append(n, used[i])
		}
	}
	return out, n
}

// isPlanRuleException reports whether the UG902 finding f is about an
// exception of a plan rule.
func isPlanRuleException(excs []*exception.Exception, f finding.Finding) bool {
	for _, e := range excs {
		if e.Path == f.Node && isPlanRule(e.ID) {
			return true
		}
	}
	return false
}

// finishPlan builds the run's plan, checks again the manifests whose
// compatibility depends on it, adds the plan's findings, and returns the
// plan's steps for the report: those of every group of manifests linked by
// after or a chain that holds a checked one.
func (g *gate) finishPlan(ctx context.Context, files []checkedFile) []report.PlanStep {
	type place struct{ file, res int }
	var hs []*plan.Header
	var places []place
	for fi := range files {
		for ri := range files[fi].results {
			r := &files[fi].results[ri]
			r.header.Checked = r.selected
			hs = append(hs, r.header)
			places = append(places, place{fi, ri})
		}
	}
	if len(hs) == 0 || g.opts.withoutPlan {
		return nil
	}
	var p *plan.Plan
	trace.WithRegion(ctx, "plan.Build", func() { p = plan.Build(hs) })
	g.plan = p
	result := func(i int) *manifestResult { return &files[places[i].file].results[places[i].res] }

	// each manifest on the gate's workers: the second look when the plan
	// calls for one, then the plan's findings about it, and their UG902
	g.parallel(ctx, len(hs), func(i int) {
		res, s := result(i), p.Steps[i]
		if res.selected && res.again != nil && needsPlan(p, i, res, &g.coverage) {
			g.lookAgain(res, &planPoint{plan: p, step: i}, len(s.Findings))
		}
		res.again = nil
		if !res.selected {
			return
		}
		g.addPlanFindings(res, append(s.Findings, g.startsPlanFindings(s)...))
		if !s.Checkable {
			return
		}
		for _, f := range exception.Audit(res.planExceptions, res.planExceptionsUsed, g.now) {
			if f.Rule == rules.UG902 {
				f.Manifest = s.Name
				res.findings = append(res.findings, f)
			}
		}
	})
	return planSteps(p)
}

// needsPlan reports whether a checked manifest's compatibility depends on
// its place in the plan: a component its policy's rows require flows to it
// without being declared, or a compatibility finding came out while another
// manifest of the plan, not ordered before it, upgrades a required component.
func needsPlan(p *plan.Plan, i int, res *manifestResult, cov *coverage) bool {
	h := res.header
	pol := res.usable()
	if !h.Checkable || h.Done() || pol == nil || len(pol.Compatibility) == 0 {
		return false
	}
	compatFound := foundCompat(res.findings)
	for _, comp := range cov.requiredBy(pol) {
		if _, ok := p.ValueAt(i, comp); ok && !declares(h, comp) {
			return true
		}
		if _, bad := p.Contradicted(i, comp); bad && compatFound {
			return true
		}
		if compatFound && len(p.Providers(i, comp)) > 0 {
			return true
		}
	}
	return false
}

// mayNeedPlan reports, on the first pass, whether needsPlan could hold
// for a manifest once the plan is known: it has a compatibility finding,
// or its policy's rows require a component it does not declare. The run
// then keeps what the second look needs of it (keepForPlan).
func (g *gate) mayNeedPlan(res *manifestResult) bool {
	pol := res.usable()
	h := res.header
	if g.opts.withoutPlan || !res.selected || !h.Checkable || h.Done() || pol == nil || len(pol.Compatibility) == 0 {
		return false
	}
	if foundCompat(res.findings) {
		return true
	}
	for _, comp := range g.coverage.requiredBy(pol) {
		if !declares(h, comp) {
			return true
		}
	}
	return false
}

// foundCompat reports whether fs holds a compatibility finding that the
// plan may explain (UG301, UG302, UG206).
func foundCompat(fs []finding.Finding) bool {
	for _, f := range fs {
		if f.Rule == rules.UG301 || f.Rule == rules.UG302 || f.Rule == rules.UG206 {
			return true
		}
	}
	return false
}

// declares reports whether the manifest's spec.environment lists component.
func declares(h *plan.Header, component string) bool {
	for _, e := range h.Environment {
		if e.Name == component {
			return true
		}
	}
	return false
}

// secondLook is what the run keeps of a manifest the plan may check again
// (mayNeedPlan) until finishPlan: what planFamilies read of it, the
// positions they and the exception audit report at, and where their
// findings and the audit's stand in its result. Not the manifest (a decoded
// one is about 11 KB, with every field's position) nor its file's bytes:
// the second look neither reads nor decodes the file again, and runs only
// the families whose findings the plan can change.
type secondLook struct {
	file, name string
	// spec holds the component, from, to, path, environment and the
	// exceptions (copies, their Loc the subset below); nothing else
	spec     manifest.Spec
	loc      yamldoc.Locations // Subset of the manifest's: the nodes above
	shadowed []string          // the manifest's shadowed fields
	// what the versions family and the declared path's checks found
	ordered, pathOK, legal bool
	stops                  []*version.Version
	// manifestUsed counts, per exception of the manifest, the findings it
	// matched on the first pass
	manifestUsed []int
	// in the result's findings, [found, foundEnd) are planFamilies' and
	// [audit, auditEnd) the exception audit's
	found, foundEnd, audit, auditEnd int
}

// keepForPlan returns what the second look needs of a manifest checked on
// the first pass (sub as the families left it; the indexes as in
// secondLook).
func keepForPlan(m *manifest.Manifest, sub *subject, manifestUsed []int, found, foundEnd, audit, auditEnd int) *secondLook {
	sp := &m.Spec
	nodes := []string{"spec.from", "spec.to", "spec.path", "spec.environment", "spec.after"}
	for _, v := range sp.Path {
		nodes = append(nodes, v.Path)
	}
	for _, en := range sp.Environment {
		nodes = append(nodes, en.Version.Path)
	}
	for _, e := range sp.Exceptions {
		nodes = append(nodes, yamldoc.Join(e.Path, "expires"))
	}
	a := &secondLook{file: m.File, name: m.Name, loc: m.Loc.Subset(nodes...),
		spec:    manifest.Spec{Component: sp.Component, From: sp.From, To: sp.To, Path: sp.Path, Environment: sp.Environment},
		ordered: sub.ordered, pathOK: sub.pathOK, legal: sub.legal, stops: sub.stops, manifestUsed: manifestUsed,
		found: found, foundEnd: foundEnd, audit: audit, auditEnd: auditEnd}
	for _, e := range sp.Exceptions {
		c := *e
		c.Loc = a.loc
		a.spec.Exceptions = append(a.spec.Exceptions, &c)
	}
	for f, ok := range m.Shadowed {
		if ok {
			a.shadowed = append(a.shadowed, f)
		}
	}
	return a
}

// lookAgain checks a manifest again at its place in the plan, from what
// the first pass kept (res.again): planFamilies run again, their findings
// replace the first pass's, and the exception accounting (what each of the
// manifest's and its policy's exceptions matched, UG902) is redone for the
// difference. The result is what checkManifest with the plan point gives.
//
// room is how many findings the result's slice should have room for
// beyond its own (the plan's about the manifest, added next).
func (g *gate) lookAgain(res *manifestResult, at *planPoint, room int) {
	a := res.again
	m := &manifest.Manifest{File: a.file, Name: a.name, Spec: a.spec, Loc: a.loc}
	if len(a.shadowed) > 0 {
		m.Shadowed = map[string]bool{}
		for _, f := range a.shadowed {
			m.Shadowed[f] = true
		}
	}
	pol := res.usable()
	e := &emitter{m: m}
	res.summary.SuggestedPath, res.summary.SuggestedWhy = nil, nil // the suggestion's, made again
	s := &subject{m: m, pol: pol, now: g.now, sum: &res.summary, at: at, coverage: &g.coverage, answers: g.runAnswers(),
		ordered: a.ordered, stops: a.stops, pathOK: a.pathOK, legal: a.legal}
	run(e, s, planFamilies)
	fresh := keepFindings(nil, e.findings, m.Shadowed, pol)

	// what the first pass's findings of the families matched no longer counts
	old := res.findings[a.found:a.foundEnd]
	uncount(old, m.Spec.Exceptions, a.manifestUsed)
	exception.Suppress(fresh, m.Spec.Exceptions, a.manifestUsed, g.now)
	if pol != nil && len(res.policyUsed) == len(pol.Exceptions) { // as addPlanFindings
		uncount(old, pol.Exceptions, res.policyUsed)
		exception.Suppress(fresh, pol.Exceptions, res.policyUsed, g.now)
	}
	audit := g.auditExceptions(m, a.manifestUsed, true, res.header)
	for i := range fresh {
		fresh[i].Manifest = m.Name
	}
	for i := range audit {
		audit[i].Manifest = m.Name
	}
	fs := res.findings
	out := make([]finding.Finding, 0, len(fs)-(a.foundEnd-a.found)-(a.auditEnd-a.audit)+len(fresh)+len(audit)+room)
	out = append(out, fs[:a.found]...)
	out = append(out, fresh...)
	out = append(out, fs[a.foundEnd:a.audit]...)
	out = append(out, audit...)
	out = append(out, fs[a.auditEnd:]...)
	res.findings = out
	res.planExceptions, res.planExceptionsUsed = planExceptions(m.Spec.Exceptions, a.manifestUsed)
	res.exceptions = exceptionInfos(m.Spec.Exceptions, a.manifestUsed, g.now)
	res.again = nil
}

// uncount takes back from used what Suppress counted for the findings fs.
func uncount(fs []finding.Finding, excs []*exception.Exception, used []int) {
	for i, e := range excs {
		if !e.Valid {
			continue
		}
		for _, f := range fs {
			if e.Matches(f) {
				used[i]--
			}
		}
	}
}

// usable returns the policy the manifest was checked against, nil without.
func (res *manifestResult) usable() *policy.Policy {
	if !res.usesPolicy || res.policy == nil {
		return nil
	}
	return res.policy.Policy
}

// addPlanFindings adds the plan's findings about a manifest with its
// policy's severities and its and its policy's exceptions.
func (g *gate) addPlanFindings(res *manifestResult, fs []finding.Finding) {
	if len(fs) == 0 {
		return
	}
	pol := res.usable()
	// exactly the room the plan's findings need, not the doubling append
	// would make of the manifest's slice for one or two more (100,000
	// manifests of 7 findings and a UG801: 217 MB of slices, now 128 MB)
	if n := len(res.findings) + len(fs); n > cap(res.findings) {
		res.findings = append(make([]finding.Finding, 0, n), res.findings...)
	}
	start := len(res.findings)
	for _, f := range fs {
		if f.Severity = pol.Apply(f.Rule, f.Severity); f.Severity != finding.Off {
			res.findings = append(res.findings, f)
		}
	}
	kept := res.findings[start:]
	exception.Suppress(kept, res.planExceptions, res.planExceptionsUsed, g.now)
	if pol != nil && len(res.policyUsed) == len(pol.Exceptions) {
		exception.Suppress(kept, pol.Exceptions, res.policyUsed, g.now)
	}
}

// planSteps returns the steps of the plan, in order, of every group of
// manifests linked by after or a chain that holds a checked manifest; a
// group's steps stand together.
func planSteps(p *plan.Plan) []report.PlanStep {
	group := make([]int, len(p.Steps))
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			group[i] = group[group[i]]
			i = group[i]
		}
		return i
	}
	for _, s := range p.Steps {
		for _, b := range s.Before {
			group[find(b)] = find(s.Index)
		}
	}
	checked := map[int]bool{}
	for _, s := range p.Steps {
		if s.Checked {
			checked[find(s.Index)] = true
		}
	}
	// each group's steps together, the groups in the order of their first
	// step
	var groups []int
	members := map[int][]int{}
	for _, i := range p.Order {
		g := find(i)
		if !checked[g] {
			continue
		}
		if members[g] == nil {
			groups = append(groups, g)
		}
		members[g] = append(members[g], i)
	}
	var order []int
	for _, g := range groups {
		order = append(order, members[g]...)
	}
	if len(order) == 0 {
		return nil
	}
	out := make([]report.PlanStep, 0, len(order))
	// the steps' routes and after lists share one slab (each clipped to its
	// length, never nil), not two allocations per step
	total := 0
	for _, i := range order {
		total += len(p.Steps[i].Route) + len(p.Steps[i].Before)
	}
	names := make([]string, 0, total)
	for _, i := range order {
		s := p.Steps[i]
		n := len(names)
		names = append(names, s.Route...)
		route := names[n:len(names):len(names)]
		n = len(names)
		for _, b := range s.Before {
			names = append(names, p.Steps[b].Label())
		}
		st := report.PlanStep{Name: s.Name, File: s.File, Line: s.Line, Component: s.Component, From: s.From.Raw, To: s.To.Raw,
			Route: route, After: names[n:len(names):len(names)], Environment: make(map[string]string, len(s.Env)), Done: s.Done()}
		for _, e := range s.Env {
			st.Environment[e.Name] = e.Raw
		}
		out = append(out, st)
	}
	return out
}

// planUG802 reports that a stop needs a version of an environment component
// that upgrade u of the plan provides, while u is not ordered before the
// manifest: the message names u and the exact after line to add.
func planUG802(e *emitter, at *planPoint, row *policy.Row, pol *policy.Policy, s *manifest.Spec, req policy.Requirement, u *plan.Step, stops, node, have string) {
	line := at.plan.AfterLine(at.step, u.Name)
	now := fmt.Sprintf("spec.environment does not list %s", req.Component)
	hint := fmt.Sprintf("add %s to %s's spec (the plan then gives %s %q here: leave it out of spec.environment or write that)", line, e.m.Label(), req.Component, u.To.Raw)
	if have != "" {
		now = fmt.Sprintf("%s is %q here", req.Component, have)
	}
	e.add(rules.UG802, node, hint,
		"%s needs %s %q at %s %s (compatibility row %d of policy %q), and %s; %s (%s:%d:%d) upgrades %s to %q, but it is not ordered before %s: add %s",
		e.m.Label(), req.Component, req.Raw, s.Component, stops, row.Index, pol.File, now, u.Label(), u.File, u.To.Pos.Line, u.To.Pos.Column,
		req.Component, u.To.Raw, e.m.Label(), line)
}
