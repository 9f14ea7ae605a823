package check

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// emitter collects one manifest's findings at the positions of its nodes.
type emitter struct {
	m        *manifest.Manifest
	findings []finding.Finding
}

// add reports rule at the node path with the rule's default severity (the
// policy's overrides are applied afterwards), and returns the finding for a
// rule that reports below its default (a conditional stop is a warning).
func (e *emitter) add(rule rules.ID, node, hint, format string, args ...any) *finding.Finding {
	p := e.m.Loc.Locate(node)
	f := finding.New(rule, e.m.File, p.Line, p.Column, fmt.Sprintf(format, args...), hint)
	f.Node, f.Manifest = node, e.m.Name
	e.findings = append(e.findings, f)
	return &e.findings[len(e.findings)-1]
}

// addHelp is add with the rule's help from the catalog as the hint.
func (e *emitter) addHelp(rule rules.ID, node, format string, args ...any) *finding.Finding {
	return e.add(rule, node, hintOf(rule), format, args...)
}

// hints holds each rule's Hint once (rules.ID -> string): findings share
// one copy instead of a new string each (100,000 manifests make hundreds of
// thousands of findings).
var hints sync.Map

func hintOf(rule rules.ID) string {
	if h, ok := hints.Load(rule); ok {
		return h.(string)
	}
	h, _ := hints.LoadOrStore(rule, rule.Rule().Hint())
	return h.(string)
}

// checkManifest applies every rule to one manifest.
// h is the manifest's plan header; at is its place in the run's plan, nil
// on the first pass, when the plan is not known yet (see plan.go).
func (g *gate) checkManifest(ctx context.Context, m *manifest.Manifest, decoded []finding.Finding, h *plan.Header, at *planPoint) manifestResult {
	e := &emitter{m: m}
	res := manifestResult{summary: report.Manifest{File: m.File, Component: m.Spec.Component, From: m.Spec.From.Raw,
		To: m.Spec.To.Raw, Name: m.Name, Line: m.Line, Owner: m.Spec.Owner, ReviewOwner: m.Spec.Owner}, header: h}
	if r := m.Spec.Review; r != nil && r.Owner != "" {
		res.summary.ReviewOwner = r.Owner
	}
	for _, v := range m.Spec.Path {
		res.summary.Path = append(res.summary.Path, v.Raw)
	}

	// the policy, read once per run: the one spec.policy names, else the
	// component's policy found in the repository
	var pol *policy.Policy
	rel, node, err := "", "spec.policy", error(nil)
	switch {
	case m.Spec.Policy != "":
		rel, err = g.repo.Resolve(dir(m.File), m.Spec.Policy)
	case m.Spec.Component != "":
		rel, node = g.ws.ComponentPolicyFile(m.Spec.Component), "spec.component"
	}
	if rel != "" || err != nil {
		switch {
		case errors.Is(err, repo.ErrOutside):
			e.add(rules.UG006, "spec.policy", "name a policy file inside the repository, relative to this manifest",
				"policy %s", err)
		case err != nil:
			e.add(rules.UG005, "spec.policy", "", "policy %q: %v", m.Spec.Policy, err)
		default:
			entry := g.ws.Policy(rel)
			res.policy = entry
			switch {
			case errors.As(entry.Err, new(*policy.NotPolicyError)):
				e.add(rules.UG005, "spec.policy", "point spec.policy at a kind: Policy file, relative to this manifest",
					"policy %q %v", rel, entry.Err)
			case entry.Err != nil:
				e.add(rules.UG005, "spec.policy", "point spec.policy at a kind: Policy file, relative to this manifest",
					"cannot read policy %q: %v", rel, entry.Err)
			case entry.Policy == nil || entry.Policy.Broken:
				e.add(rules.UG005, node, "fix the policy's own findings first",
					"policy %q is invalid (%s)", rel, summarizeFindings(entry.Findings))
			case entry.Policy.Component != "" && m.Spec.Component != "" && entry.Policy.Component != m.Spec.Component:
				e.add(rules.UG005, "spec.policy", "name the policy of the component this manifest upgrades",
					"policy %q governs component %q, not %q", rel, entry.Policy.Component, m.Spec.Component)
			default:
				pol = entry.Policy
				res.usesPolicy = true
			}
		}
	}
	var policyFile []string // the policy file the gate read, however it was found
	if res.policy != nil {
		policyFile = append(policyFile, res.policy.Rel)
	}
	if g.selection != nil {
		// a change to what the component deploys concerns its manifests too
		p, st := g.deployedOf(m.Spec.Component)
		deps := append(policyFile, deployedFiles(p, st)...)
		if !g.selection.choose(m, deps...) && !(p != nil && g.selection.touchesDeployed(p.Policy.Deployed) && g.selection.remember(deps)) {
			return res
		}
	}
	res.selected = true

	// The rules run only on a manifest that could be read as one: with a
	// wrong apiVersion, or a spec that is not a mapping, they would only
	// repeat the decoding findings.
	checked := m.Checkable()
	switch {
	case g.opts.Audit:
		// audit applies only what is due after the window (UG519–UG522),
		// to every manifest, done or not
		if checked {
			auditChecks(e, &subject{m: m, pol: pol, now: g.now, sum: &res.summary, settings: g.settingsFor(pol)}, nil)
		}
		checked = false // the check rules did not run: no exception audit
	case h.Done():
		// a done manifest is kept for the record: only the chain, plan and
		// audit rules apply to it (manifest v1, Additions)
		checked = false
	}
	var sub *subject
	planFrom, planTo := 0, 0 // e.findings[planFrom:planTo] are planFamilies'
	if checked {
		sub, planFrom, planTo = g.applyFamilies(e, m, pol, &res.summary, at)
		if g.opts.References != nil {
			e.findings = append(e.findings, g.opts.References.Check(ctx, g.repo, m)...)
		}
	}

	// policy severities, then exceptions (manifest's and policy's); the
	// fixed rules (rules.Rule.Configurable) are neither reconfigured nor
	// excepted. A rule finding about a field a decoding finding already names (a typo
	// of its key, an invalid value) would only repeat it
	fs := make([]finding.Finding, 0, len(decoded)+len(e.findings))
	fs = keepFindings(fs, decoded, nil, pol)
	fs = keepFindings(fs, e.findings[:planFrom], m.Shadowed, pol)
	found := len(fs)
	fs = keepFindings(fs, e.findings[planFrom:planTo], m.Shadowed, pol)
	foundEnd := len(fs)
	fs = keepFindings(fs, e.findings[planTo:], m.Shadowed, pol)
	if checked {
		fs = append(fs, g.approvalFindings(ctx, m, pol)...)
	}
	manifestUsed := make([]int, len(m.Spec.Exceptions))
	exception.Suppress(fs, m.Spec.Exceptions, manifestUsed, g.now)
	if pol != nil {
		res.policyUsed = make([]int, len(pol.Exceptions))
		exception.Suppress(fs, pol.Exceptions, res.policyUsed, g.now)
	}
	res.planExceptions, res.planExceptionsUsed = planExceptions(m.Spec.Exceptions, manifestUsed)
	audit := len(fs)
	fs = append(fs, g.auditExceptions(m, manifestUsed, checked, h)...)
	auditEnd := len(fs)
	// UG521 waits for the whole run: another manifest may follow this one
	if g.opts.Audit {
		kept := fs[:0]
		for _, f := range fs {
			if f.Rule == rules.UG521 {
				res.unfollowed = append(res.unfollowed, f)
			} else {
				kept = append(kept, f)
			}
		}
		fs = kept
	}
	if checked && len(m.Spec.Exceptions) > 0 && g.approvesIn(m.File) {
		fs = append(fs, exception.CheckApproved(ctx, m.Spec.Exceptions, g.opts.Approvals)...)
	}
	res.exceptions = exceptionInfos(m.Spec.Exceptions, manifestUsed, g.now)
	for i := range fs {
		fs[i].Manifest = m.Name
	}
	res.findings = fs
	if checked && at == nil && g.mayNeedPlan(&res) {
		res.again = keepForPlan(m, sub, manifestUsed, found, foundEnd, audit, auditEnd)
	}
	return res
}

// keepFindings appends to dst the findings of src that the manifest keeps:
// not about a field a decoding finding already names (shadowed; nil for
// the decoding findings themselves), at the severity the policy gives
// their rule, unless it turns the rule off.
func keepFindings(dst, src []finding.Finding, shadowed map[string]bool, pol *policy.Policy) []finding.Finding {
	for _, f := range src {
		if yamldoc.IsShadowed(shadowed, f.Node) {
			continue
		}
		if f.Severity = pol.Apply(f.Rule, f.Severity); f.Severity != finding.Off {
			dst = append(dst, f)
		}
	}
	return dst
}

// auditExceptions returns the audit of the manifest's exceptions (UG901,
// UG902) with used as Suppress filled it: none of UG902 when the rules did
// not run (checked false) or for an exception of a plan rule, whose
// findings come later (finishPlan audits them), and none of UG901 for a
// done manifest, whose expired exception no longer excuses anything, or in
// audit mode.
func (g *gate) auditExceptions(m *manifest.Manifest, used []int, checked bool, h *plan.Header) []finding.Finding {
	var out []finding.Finding
	for _, f := range exception.Audit(m.Spec.Exceptions, used, g.now) {
		if f.Rule == rules.UG902 && (!checked || isPlanRuleException(m.Spec.Exceptions, f)) {
			continue
		}
		if g.opts.Audit || h.Done() && f.Rule == rules.UG901 {
			continue
		}
		out = append(out, f)
	}
	return out
}

func summarizeFindings(fs []finding.Finding) string {
	errs := 0
	var first *finding.Finding
	for i := range fs {
		if fs[i].Severity == finding.Error {
			errs++
			if first == nil {
				first = &fs[i]
			}
		}
	}
	if first == nil {
		return "no kind: Policy document"
	}
	s := fmt.Sprintf("%d error", errs)
	if errs > 1 {
		s += "s"
	}
	return fmt.Sprintf("%s; first at %s:%d:%d: %s", s, first.File, first.Line, first.Column, first.Message)
}

// approvesIn reports whether UG904 applies to the exceptions of file: the
// approvals are given (or known to be unknown) and judged on this run, and
// the file is one the change touches (every file when the changed files are
// not known).
func (g *gate) approvesIn(file string) bool {
	if g.opts.Approvals == nil || !g.opts.Approvals.Judged() {
		return false
	}
	if g.opts.ChangedFiles == nil {
		return true
	}
	for _, c := range g.opts.ChangedFiles {
		if c == file {
			return true
		}
	}
	return false
}
