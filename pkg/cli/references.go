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
		changedFiles: fs.String("changed-files", "", "file listing the pull request's changed files, one per line (enables UG422)"),
		skip:         fs.Bool("no-references", false, "skip the config, secret and documentation checks (UG4xx)"),
	}
}

// build returns the references checker the flags describe, or nil when the
// checks are skipped.
func (f *referenceFlags) build(env Env) (check.References, error) {
	if *f.skip {
		return nil, nil
	}
	var changed []string
	if *f.changedFiles != "" {
		var err error
		changed, err = refs.ReadChangedFiles(env.abs(*f.changedFiles))
		if err != nil {
			return nil, fmt.Errorf("--changed-files: %w", err)
		}
		if changed == nil {
			changed = []string{}
		}
	}
	return refs.New(refs.Options{Getenv: env.Getenv, GitHubToken: *f.githubToken, GitHubRepository: *f.githubRepo,
		ChangedFiles: changed}), nil
}
