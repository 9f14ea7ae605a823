package check

import (
	"slices"
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/settings"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// settingsFor merges the root's Settings document with a policy's
// change-management settings (pol nil: the repository's alone).
func (g *gate) settingsFor(pol *policy.Policy) settings.Settings {
	var own *settings.Settings
	if pol != nil {
		own = &pol.Settings
	}
	return settings.Merge(g.ws.Settings().Settings, own)
}

// family is one rule family's checks, in a file named like the family's
// catalog file in pkg/rules: versions.go holds UG102–UG104, path.go UG2xx,
// compat.go UG3xx and checklist.go UG5xx. The input rules (UG0xx, UG101,
// UG105) are the decoders' findings, lifecycle.go holds UG701–UG705, UG4xx the references' (pkg/refs) and
// UG9xx the exceptions' (pkg/exception).
type family func(e *emitter, s *subject)

// families lists every family's checks in the order they run: a family
// reads what the ones before it found (the path family the stops the
// versions family parsed, the compatibility family the suggested path).
var families = slices.Concat(beforePlanFamilies, planFamilies, afterPlanFamilies)

// planFamilies are the checks whose findings depend on the manifest's
// place in the run's plan (subject.at: the environment there, the upgrades
// that provide one); the second look runs them alone (plan.go). They run
// together, after beforePlanFamilies and before afterPlanFamilies, so that
// their findings stand together in a manifest's result.
// The path family (pathChecks) runs as its two checks: the declared
// path's, which the plan cannot change, and the suggestion's.
var (
	beforePlanFamilies = []family{versionChecks, declaredPathChecks}
	planFamilies       = []family{suggestionChecks, compatChecks}
	afterPlanFamilies  = []family{lifecycleChecks, checklistChecks}
)

// subject is what the families check, and what they learn on the way.
type subject struct {
	m   *manifest.Manifest
	pol *policy.Policy // nil without a usable policy
	now time.Time
	sum *report.Manifest // the summary, whose suggested path the path family fills
	// policyFor returns the usable policy of another component (its
	// lifecycle data for UG704), or nil.
	policyFor func(component string) *policy.Policy
	// settings are the change-management settings the manifest is
	// checked against: the root's Settings document merged with the
	// policy's (settings.Merge)
	settings settings.Settings
	// at is the manifest's place in the run's plan (the environment there,
	// the upgrades that provide one); nil on the first pass
	at *planPoint
	// coverage is the run's memory of which compatibility rows cover a version
	coverage *coverage
	// answers is the run's memory of the engine's answers (answers.go)
	answers *answers

	// set by the versions family
	ordered bool               // from and to parse and to is greater: the path can be checked
	stops   []*version.Version // the declared stops that parse
	pathOK  bool               // every declared stop parses and they ascend

	// set by the path family: legal is true when the declared stops parse,
	// ascend and break no path rule
	legal bool

	suggested  []*version.Version
	suggestErr error
	// env is the environment the suggestion was made for (nil: the policy
	// has no compatibility rows): the manifest's, with the plan's values at
	// its place in the plan (planEnv); envAt is the same by name, with
	// where each value is written, and origin where each plan value comes
	// from
	env    upgradepath.Env
	envAt  map[string]manifest.Env
	origin map[string]plan.EnvAt
}

// newSubject starts what the families check of one manifest.
func (g *gate) newSubject(m *manifest.Manifest, pol *policy.Policy, sum *report.Manifest, at *planPoint) *subject {
	return &subject{m: m, pol: pol, now: g.now, sum: sum, policyFor: g.componentPolicy, settings: g.settingsFor(pol), at: at, coverage: &g.coverage, answers: g.runAnswers()}
}

// applyFamilies runs every family's checks on one manifest. It returns the
// subject as the families left it, and where the findings of planFamilies
// stand in e.findings: [planFrom, planTo).
func (g *gate) applyFamilies(e *emitter, m *manifest.Manifest, pol *policy.Policy, sum *report.Manifest, at *planPoint) (s *subject, planFrom, planTo int) {
	s = g.newSubject(m, pol, sum, at)
	run(e, s, beforePlanFamilies)
	planFrom = len(e.findings)
	run(e, s, planFamilies)
	planTo = len(e.findings)
	run(e, s, afterPlanFamilies)
	return s, planFrom, planTo
}

// run runs the checks of fams in order.
func run(e *emitter, s *subject, fams []family) {
	for _, f := range fams {
		f(e, s)
	}
}

// series is a version's MAJOR.MINOR.
func series(v *version.Version) (int, int) {
	seg := v.Segments()
	return seg[0], seg[1]
}

func major(v *version.Version) int { a, _ := series(v); return a }
func minor(v *version.Version) int { _, b := series(v); return b }
