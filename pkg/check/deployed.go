package check

import (
	"fmt"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/workspace"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// What the repository deploys (manifest v1 section 6). Each component whose
// policy (found anywhere in the repository) has spec.deployed locations is
// scanned once per run, in the working tree (g.head), before its manifests
// are evaluated: the production version makes a manifest done
// (plan.Header.Deployed). Once the plan is built, the component's own
// findings follow: UG604 for every location that cannot be read, matches
// nothing or disagrees, UG601 for a deployed version off the component's
// chain; and UG605 for a manifest starting the plan whose environment does
// not say what the repository deploys.

// deployedOf returns a component's policy and what its locations find, nil
// without a usable policy or without locations.
func (g *gate) deployedOf(component string) (*workspace.Policy, *deployed.State) {
	if component == "" {
		return nil, nil
	}
	p := g.ws.ComponentPolicy(component)
	if p == nil || len(p.Policy.Deployed) == 0 {
		return p, nil
	}
	st, _ := g.scans.Get(component, func() (*deployed.State, error) {
		return deployed.Scan(g.head, p.Policy.Deployed), nil
	})
	return p, st
}

// production is the version the component deploys in production, nil when
// unknown (no locations, none found, or they disagree).
func (g *gate) production(component string) *deployed.Deployed {
	_, st := g.deployedOf(component)
	return st.Version(deployed.Production)
}

// deployedFiles are the files a component's deployed version depends on:
// its policy and every file a location read or failed on.
func deployedFiles(p *workspace.Policy, st *deployed.State) []string {
	var out []string
	if p != nil {
		out = append(out, p.Rel)
	}
	if st == nil {
		return out
	}
	for _, m := range st.Matches {
		out = append(out, m.File)
	}
	for _, pr := range st.Problems {
		out = append(out, pr.File)
	}
	return out
}

// componentConcerned reports whether changed-only selection concerns the
// component: one of its deployed files or its policy changed (a glob covers
// a changed path, so that an added or deleted file counts), or one of its
// manifests is checked. It remembers the component's files for keep.
func (g *gate) componentConcerned(component string, manifestChecked bool) bool {
	p, st := g.deployedOf(component)
	if g.selection == nil {
		return true
	}
	if !manifestChecked && !g.selection.touchesDeployed(p.Policy.Deployed) && !g.selection.touchedAny(deployedFiles(p, st)) {
		return false
	}
	g.selection.remember(deployedFiles(p, st))
	return true
}

// componentFindings returns the findings about what each component deploys
// (UG604, UG601) and the report's view of it, for the components the run
// concerns. checked holds the components of the checked manifests.
func (g *gate) componentFindings(p *plan.Plan, checked map[string]bool) ([]*workspace.Policy, [][]finding.Finding, []report.Deployed) {
	var pols []*workspace.Policy
	var out [][]finding.Finding
	var view []report.Deployed
	for _, c := range g.ws.Components() {
		pol, st := g.deployedOf(c)
		if st == nil || !g.componentConcerned(c, checked[c]) {
			continue
		}
		var fs []finding.Finding
		for _, pr := range st.Problems {
			fs = append(fs, finding.New(rules.UG604, pr.File, pr.Line, pr.Column, pr.Message, pr.Hint))
		}
		if d := st.Version(deployed.Production); d != nil && p != nil {
			change, changed := g.deployedChange(c, pol, d, p.Chain(c))
			switch {
			case changed:
				// UG603 replaces UG601 where the pull request made the change
				fs = append(fs, change...)
			default:
				if f, ok := offChain(c, d, p.Chain(c)); ok {
					fs = append(fs, f)
				}
			}
		}
		pols = append(pols, pol)
		out = append(out, fs)
		v := report.Deployed{Component: c, Policy: pol.Rel, Environments: []report.DeployedEnvironment{}}
		for _, env := range st.Environments() {
			d := st.Version(env)
			m := d.First()
			v.Environments = append(v.Environments, report.DeployedEnvironment{Name: env, Version: m.Version, File: m.File, Line: m.Line, Column: m.Column})
		}
		view = append(view, v)
	}
	return pols, out, view
}

// offChain is UG601: the version production runs lies within the chain
// (from its first from to its last to) but is none of its routes' versions,
// or is older than the first from. Newer than every to means the chain is
// complete.
func offChain(component string, d *deployed.Deployed, chain []*plan.Step) (finding.Finding, bool) {
	if len(chain) == 0 {
		return finding.Finding{}, false
	}
	first := chain[0]
	last := chain[0]
	var routes []string
	for _, s := range chain {
		if s.To.V.GreaterThan(last.To.V) {
			last = s
		}
		routes = append(routes, fmt.Sprintf("%s (%s)", strings.Join(s.Route, " → "), s.Label()))
		for _, raw := range s.Route {
			if v, err := yamldoc.ParseVersion(raw); err == nil && v.Equal(d.Version) {
				return finding.Finding{}, false
			}
		}
	}
	m := d.First()
	switch {
	case d.Version.LessThan(first.From.V):
		f := finding.New(rules.UG601, m.File, m.Line, m.Column,
			fmt.Sprintf("the repository deploys %s %s (%s), older than the chain's first from %s (%s:%d:%d)",
				component, m.Version, m.At(), first.From.Raw, first.File, first.From.Pos.Line, first.From.Pos.Column),
			fmt.Sprintf("add the manifest that upgrades %s from %s to %s (upgradegate init), or correct the deployed value", component, m.Version, first.From.Raw))
		return f, true
	case d.Version.GreaterThan(last.To.V):
		return finding.Finding{}, false
	}
	f := finding.New(rules.UG601, m.File, m.Line, m.Column,
		fmt.Sprintf("the repository deploys %s %s (%s), which is not on the chain of its manifests: %s",
			component, m.Version, m.At(), strings.Join(routes, ", ")),
		"declare the stop in the manifest's path, correct the manifests' from and to, or correct the deployed value")
	return f, true
}

// startsPlanFindings is UG605 for one step of the plan: a checked manifest
// that starts the plan (nothing is ordered before it, and its own component
// deploys from or has no deployed locations) whose environment value differs
// from what the repository deploys for that component.
func (g *gate) startsPlanFindings(s *plan.Step) []finding.Finding {
	if !s.Checked || !s.Checkable || s.Done() || len(s.Before) > 0 {
		return nil
	}
	if _, own := g.deployedOf(s.Component); own != nil {
		d := own.Version(deployed.Production)
		if d == nil || s.From.V == nil || !d.Version.Equal(s.From.V) {
			return nil
		}
	}
	var out []finding.Finding
	for _, e := range s.Environment {
		d := g.production(e.Name)
		if d == nil || e.Name == s.Component || e.Version.V != nil && e.Version.V.Equal(d.Version) {
			continue
		}
		m := d.First()
		f := finding.New(rules.UG605, s.File, e.Version.Pos.Line, e.Version.Pos.Column,
			fmt.Sprintf("environment %s is %q, but the repository deploys %s %s (%s)", e.Name, e.Version.Raw, e.Name, m.Version, m.At()),
			fmt.Sprintf("write %s: %q in spec.environment (what production runs when this upgrade starts), or correct the deployed value", e.Name, m.Version))
		f.Node, f.Manifest = e.Version.Path, s.Name
		out = append(out, f)
	}
	return out
}

// deployedChange compares what production deploys at the head (d) with the
// base (g.opts.Base, read through the same locations): UG602 when the change
// moves more than one step of the component's route, UG603 when no manifest
// has the two versions as consecutive stops, UG606 for one step back.
// changed is false when there is no base or the version did not change.
func (g *gate) deployedChange(component string, pol *workspace.Policy, d *deployed.Deployed, chain []*plan.Step) (fs []finding.Finding, changed bool) {
	if g.opts.Base == nil || g.opts.Base.Files == nil {
		return nil, false
	}
	b := deployed.Scan(g.opts.Base.Files, pol.Policy.Deployed).Version(deployed.Production)
	if b == nil || b.Version.Equal(d.Version) {
		return nil, false
	}
	head, old := d.First(), b.First()
	was := fmt.Sprintf("%s (%s at the base)", old.Version, old.At())
	// the route: every manifest's route in chain order, one version once
	var route []string
	var vs []*version.Version
	for _, s := range chain {
		for _, raw := range s.Route {
			v, err := yamldoc.ParseVersion(raw)
			if err != nil || len(vs) > 0 && vs[len(vs)-1].Equal(v) {
				continue
			}
			route, vs = append(route, raw), append(vs, v)
		}
	}
	at := func(v *version.Version) int {
		for i, x := range vs {
			if x.Equal(v) {
				return i
			}
		}
		return -1
	}
	ib, ih := at(b.Version), at(d.Version)
	switch {
	case ib >= 0 && ih == ib+1:
		return nil, true // one stop of the route: what a manifest covers
	case ib >= 0 && ih == ib-1:
		return []finding.Finding{finding.New(rules.UG606, head.File, head.Line, head.Column,
			fmt.Sprintf("the pull request takes %s back from %s to %s, one step of the route %s: a rollback",
				component, was, head.Version, strings.Join(route, " → ")),
			"follow the manifest's rollback plan, and record outcome.result: rolled-back once it is done")}, true
	case ib >= 0 && ih >= 0:
		next := route[ib+1]
		if ih < ib {
			next = route[ib-1]
		}
		return []finding.Finding{finding.New(rules.UG602, head.File, head.Line, head.Column,
			fmt.Sprintf("the pull request changes the deployed %s from %s to %s, %d steps of the route %s: one change deploys one stop",
				component, was, head.Version, abs(ih-ib), strings.Join(route, " → ")),
			fmt.Sprintf("deploy %s in this pull request (the next stop of the route), and the others in the pull requests that follow", next))}, true
	}
	hint := fmt.Sprintf("write the manifest: upgradegate init --policy %s --from %s --to %s -o upgrades/%s-%s.yaml",
		pol.Rel, old.Version, head.Version, component, head.Version)
	if eng := pol.Policy.Engine; eng != nil && b.Version.LessThan(d.Version) {
		for _, v := range eng.Validate(b.Version, d.Version, nil) {
			if v.Kind == upgradepath.Crossed {
				if stops, err := eng.Suggest(b.Version, d.Version); err == nil && len(stops) > 0 {
					hint += fmt.Sprintf("; the change skips required stop %s: deploy %s first, the next legal stop", v.Stop.Version.Original(), stops[0].Original())
				}
				break
			}
		}
	}
	return []finding.Finding{finding.New(rules.UG603, head.File, head.Line, head.Column,
		fmt.Sprintf("the pull request changes the deployed %s from %s to %s, and no manifest covers the change (no manifest's route has %s then %s)",
			component, was, head.Version, old.Version, head.Version), hint)}, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
