package check

import (
	"context"
	"fmt"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/settings"
)

// approvalFindings reports the required approvals (settings approvals,
// UG518) the pull request lacks, at the manifest node that makes each
// apply, with the policy's severity for UG518. Where the approvals cannot be
// told (not given, not readable, a team whose membership cannot be read)
// the finding is at most a warning that says why: it never fails under
// fail-on: error, and it is never a pass. A manifest that records its
// outcome ran already: its approvals were its own pull request's.
func (g *gate) approvalFindings(ctx context.Context, m *manifest.Manifest, pol *policy.Policy) []finding.Finding {
	reqs := g.settingsFor(pol).Approvals
	if len(reqs) == 0 || m.HasOutcome() || !g.opts.Approvals.Judged() {
		return nil
	}
	sev := pol.Apply(rules.UG518, rules.UG518.Rule().Severity)
	if sev == finding.Off {
		return nil
	}
	set := g.opts.Approvals
	e := &emitter{m: m}
	for _, a := range reqs {
		node, why, ok := approvalApplies(m, a.When)
		if !ok {
			continue
		}
		approvals := "approvals"
		if a.Count == 1 {
			approvals = "approval"
		}
		need := fmt.Sprintf("%s (%s) needs %d %s from %s", why, a.Pos, a.Count, approvals, strings.Join(a.From, ", "))
		warn := func(hint, format string, args ...any) {
			f := e.add(rules.UG518, node, hint, format, args...)
			f.Severity = min(sev, finding.Warning)
		}
		switch {
		case set == nil:
			warn("name who approved the pull request: --approved-by @alice,@example-org/dba",
				"%s, which cannot be checked: the command line was given no --approved-by", need)
		case !set.Known():
			warn("", "%s, which cannot be checked: %s", need, set.Why())
		default:
			t := set.Count(ctx, a.From)
			switch {
			case len(t.By) >= a.Count:
			case len(t.Unread) > 0:
				warn("", "%s, has %d (%s), and the others cannot be told: %s", need, len(t.By), noneIfEmpty(t.By),
					strings.Join(t.Unread, "; "))
			default:
				f := e.add(rules.UG518, node, fmt.Sprintf("ask %s for an approving review of the pull request", strings.Join(a.From, " or ")),
					"%s, has %d (approvals from %s: %s)", need, len(t.By), set.Source(), noneIfEmpty(set.Approvers()))
				f.Severity = sev
			}
		}
	}
	return e.findings
}

// approvalApplies reports whether a requirement's when applies to m, the
// node that makes it apply and why.
func approvalApplies(m *manifest.Manifest, when string) (node, why string, ok bool) {
	s := &m.Spec
	switch when {
	case settings.WhenMajor:
		if s.From.V != nil && s.To.V != nil && major(s.To.V) > major(s.From.V) {
			return "spec.to", "a major upgrade", true
		}
	case settings.WhenMigrations:
		if s.Impact.Migrations {
			return "spec.impact.migrations", "an upgrade with migrations", true
		}
	case settings.WhenDowntime:
		if d := s.Impact.Downtime; d != nil && *d > 0 {
			return "spec.impact.downtime", "an upgrade with downtime", true
		}
	default: // always
		return "metadata.name", "every upgrade", true
	}
	return "", "", false
}

func noneIfEmpty(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
