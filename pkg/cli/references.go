package cli

import (
	"flag"
	"fmt"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/refs"
)

// referenceFlags are the flags of the config, secret and documentation checks.
type referenceFlags struct {
	githubToken  *string
	githubRepo   *string
	changedFiles *string
	skip         *bool
}

func addReferenceFlags(fs *flag.FlagSet) *referenceFlags {
	return &referenceFlags{
		githubToken:  fs.String("github-token", "", "token that may list Actions secret names (default: $UPGRADEGATE_GITHUB_TOKEN; never printed)"),
		githubRepo:   fs.String("github-repository", "", "OWNER/NAME whose Actions secrets the github store lists (default: $GITHUB_REPOSITORY)"),
		changedFiles: fs.String("changed-files", "", "file listing the pull request's changed files, one repository path per line (enables UG422 and --changed-only)"),
		skip:         fs.Bool("no-references", false, "skip the config, secret and documentation checks (UG4xx)"),
	}
}

// readChangedFiles reads --changed-files: nil when it is not given, else the
// list (empty, not nil, for an empty file).
func (f *referenceFlags) readChangedFiles(env Env) ([]string, error) {
	if *f.changedFiles == "" {
		return nil, nil
	}
	changed, err := refs.ReadChangedFiles(env.abs(*f.changedFiles))
	if err != nil {
		return nil, fmt.Errorf("--changed-files: %w", err)
	}
	if changed == nil {
		changed = []string{}
	}
	return changed, nil
}

// build returns the references checker the flags describe, or nil when the
// checks are skipped. changed are the changed files (nil: unknown).
func (f *referenceFlags) build(env Env, changed []string) check.References {
	if *f.skip {
		return nil
	}
	return refs.New(refs.Options{Getenv: env.Getenv, GitHubToken: *f.githubToken, GitHubRepository: *f.githubRepo,
		ChangedFiles: changed})
}
