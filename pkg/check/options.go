// Package check runs the gate: it finds the manifests, loads their policies
// once, applies every rule and returns a report.
package check

import (
	"context"
	"time"

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
	// Select, when set, chooses which manifests are checked: it gets the
	// manifest and the repository files it depends on (itself, its policy,
	// config, docs and secret files). Unselected manifests are left out of
	// the report.
	Select func(m *manifest.Manifest, files []string) bool
	// Jobs bounds how many manifests are checked at once; 0 means GOMAXPROCS.
	Jobs int
}

// References checks what a manifest references outside itself: config keys,
// secrets and documentation. Check is called concurrently for different
// manifests and must be safe for that.
type References interface {
	Check(ctx context.Context, r *repo.Repo, m *manifest.Manifest) []finding.Finding
}
