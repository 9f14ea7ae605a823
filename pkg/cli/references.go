package cli

import (
	"flag"

	"github.com/upgradegate/upgradegate/pkg/check"
)

// referenceFlags are the flags of the config, secret and documentation checks.
type referenceFlags struct {
	githubToken  *string
	changedFiles *string
	offline      *bool
}

func addReferenceFlags(fs *flag.FlagSet) *referenceFlags {
	return &referenceFlags{
		githubToken:  fs.String("github-token", "", "token that may list Actions secret names (default: $UPGRADEGATE_GITHUB_TOKEN)"),
		changedFiles: fs.String("changed-files", "", "file listing the pull request's changed files, one per line (enables UG422)"),
		offline:      fs.Bool("no-references", false, "skip the config, secret and documentation checks (UG4xx)"),
	}
}

func (f *referenceFlags) build(env Env) (check.References, error) {
	return nil, nil
}
