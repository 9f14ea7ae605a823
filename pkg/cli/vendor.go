package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/upgradegate/upgradegate/pkg/pull"
)

// runVendor is `upgradegate vendor pull [POLICY...]`.
func runVendor(ctx context.Context, env Env, args []string) int {
	if len(args) == 0 || args[0] != "pull" {
		if len(args) > 0 && (args[0] == "-h" || args[0] == "--help") {
			fmt.Fprintln(env.Stderr, "usage: upgradegate vendor pull [--root DIR] [--timeout D] [POLICY...]")
			return ExitOK
		}
		fmt.Fprintln(env.Stderr, "usage: upgradegate vendor pull [--root DIR] [--timeout D] [POLICY...]")
		return ExitError
	}
	fs := newFlagSet("vendor pull", env)
	root := fs.String("root", "", "repository root (default: nearest .git or .upgradegate.yaml above the first POLICY, else the working directory)")
	timeout := fs.Duration("timeout", pull.DefaultTimeout, "the time one download may take, headers and body")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: upgradegate vendor pull [--root DIR] [--timeout D] [POLICY...]")
		fmt.Fprintln(env.Stderr, "Downloads every spec.import with a url into its file and writes FILE.source.json beside it;")
		fmt.Fprintln(env.Stderr, "without POLICY, the imports of every policy under the root. Nothing is written on any failure.")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args[1:])
	if err != nil {
		return flagErr(err)
	}
	policies := make([]string, len(rest))
	for i, p := range rest {
		policies[i] = env.abs(p)
	}
	rootDir := *root
	switch {
	case rootDir != "":
		rootDir = env.abs(rootDir)
	case len(policies) > 0:
		rootDir = findRoot(policies[0])
	default:
		rootDir = findRoot(env.abs("."))
	}
	if *timeout <= 0 || *timeout > time.Hour {
		fmt.Fprintf(env.Stderr, "upgradegate vendor pull: --timeout %s is not between 0 and 1h\n", *timeout)
		return ExitError
	}
	got, err := pull.Pull(ctx, pull.Options{Root: rootDir, Policies: policies, Timeout: *timeout, Log: env.Stdout})
	if err != nil {
		var pe *pull.Error
		if errors.As(err, &pe) {
			for _, f := range pe.Failures {
				if f.URL != "" {
					fmt.Fprintf(env.Stderr, "upgradegate vendor pull: %s (for %s in %s): %v\n", f.URL, f.File, f.Policy, f.Err)
				} else {
					fmt.Fprintf(env.Stderr, "upgradegate vendor pull: %s: %v\n", f.Policy, f.Err)
				}
			}
			fmt.Fprintln(env.Stderr, "upgradegate vendor pull: nothing was written")
			return ExitError
		}
		fmt.Fprintf(env.Stderr, "upgradegate vendor pull: %v\n", err)
		return ExitError
	}
	if len(got) == 0 {
		fmt.Fprintln(env.Stdout, "no spec.import with a url: nothing to pull")
	}
	return ExitOK
}
