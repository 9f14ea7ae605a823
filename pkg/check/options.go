// Package check runs the gate: it finds the manifests, loads their policies
// once, applies every rule and returns a report.
package check

import (
	"context"
	"time"

	"github.com/upgradegate/upgradegate/pkg/approval"
	"github.com/upgradegate/upgradegate/pkg/base"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

// Options configure one run.
type Options struct {
	// Root is the repository root; file names in findings are relative to it.
	Root string
	// Paths are manifests or directories to search, relative to the working
	// directory or absolute; empty means the root.
	Paths []string
	// Now is the run's clock (dates, expiries); zero means time.Now().
	Now time.Time
	// FailOn is the least severity that fails the run; finding.Off never fails.
	FailOn finding.Severity
	// References checks config keys, secrets and documentation (UG4xx);
	// nil skips those rules.
	References References
	// ChangedOnly limits the run to the manifests ChangedFiles concern: a
	// manifest is checked when its own file, its policy, or a config,
	// Kubernetes secret or documentation file it names changed, directly or
	// through a symlink on the way. Findings about files that neither changed
	// nor are depended on by a checked manifest are left out. With no
	// changed files, nothing is checked.
	ChangedOnly bool
	// ChangedFiles are the repository paths a change (a pull request) adds,
	// modifies, deletes or renames (a renamed file under both names), for
	// ChangedOnly.
	ChangedFiles []string
	// Approvals says who approved the pull request, for UG518 (required
	// approvals) and UG904 (an exception's approver). nil means they were
	// not read (the command line without --approved-by): UG518 is then a
	// warning that says so, and UG904 is not applied. An approval.Unknown
	// set (the Action could not read the reviews) makes both warnings; an
	// approval.NotJudged one (a push: no pull request to judge) leaves both out.
	// With ChangedFiles, UG904 applies to the exceptions of changed files.
	Approvals *approval.Set
	// Audit runs `upgradegate audit` (and the Action's audit mode): only
	// what is due after the window (AuditRules: UG519–UG522) is applied, to
	// every manifest found, done or not, and only those findings and the
	// input errors are reported.
	Audit bool
	// withoutPlan leaves the plan out (no headers beyond the name, no plan,
	// no plan rules), for the benchmark that measures what the plan costs.
	withoutPlan bool
	// withoutAnswers works out every answer of the path engine for each
	// manifest again instead of once per run (answers.go), for the test
	// that the remembered answers are exact.
	withoutAnswers bool
	// Jobs bounds how many manifests are checked at once; 0 means GOMAXPROCS.
	Jobs int
	// Base is the commit the change is compared with (`check --base REV`,
	// the Action's base): the rules that compare base and head (UG602,
	// UG603, UG606, UG607) apply only with one.
	Base *base.Base
	// NoBase says why a run that needs a base has none, and what to
	// change: every policy then gets UG608 instead of a silent pass.
	NoBase *base.Unreadable
}

// References checks what a manifest references outside itself: config keys,
// secrets and documentation. Check is called concurrently for different
// manifests and must be safe for that.
type References interface {
	Check(ctx context.Context, r *repo.Repo, m *manifest.Manifest) []finding.Finding
}
