package cli

import (
	"context"
	"fmt"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// runAudit is `upgradegate audit [PATH...]`: what is due after the window
// (UG519–UG522) for every manifest found, done or not, for a scheduled run
// on the default branch. Exit codes are check's.
func runAudit(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("audit", env)
	var formats stringList
	fs.Var(&formats, "format", "output format: text|json|sarif|markdown|github|gitlab|junit|html; NAME=FILE writes to a file; repeatable")
	failOn := fs.String("fail-on", "error", "least severity that fails: error|warning|notice|never (off is never)")
	root := fs.String("root", "", "repository root (default: nearest .git or .upgradegate.yaml above the first PATH, else the working directory)")
	now := fs.String("now", "", "the run's clock, RFC 3339 (default: now)")
	jobs := fs.Int("jobs", 0, "manifests read at once (default: number of CPUs)")
	color := fs.Bool("color", false, "colour the text format")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: upgradegate audit [flags] [PATH...]")
		fmt.Fprintln(env.Stderr, "Reports what is due after each upgrade's window: outcomes (UG519), reviews (UG520),")
		fmt.Fprintln(env.Stderr, "follow-ups of failed upgrades (UG521) and the after-upgrade record (UG522).")
		fmt.Fprintln(env.Stderr, "PATH is a manifest or a directory to search (default: the working directory).")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	fail := func(err error) int {
		fmt.Fprintf(env.Stderr, "upgradegate audit: %v\n", err)
		return ExitError
	}
	outs, err := parseOutputs(formats, report.For)
	if err != nil {
		return fail(err)
	}
	sev, err := check.ParseFailOn(*failOn)
	if err != nil {
		return fail(fmt.Errorf("invalid --fail-on %v", err))
	}
	clock, err := parseNow(*now)
	if err != nil {
		return fail(err)
	}
	paths, rootDir, err := targets(env, paths, *root)
	if err != nil {
		return fail(err)
	}
	if err := confineOutputs(env, outs, rootDir); err != nil {
		return fail(err)
	}
	rep, err := check.Run(ctx, check.Options{Root: rootDir, Paths: paths, Now: clock, FailOn: sev, Jobs: *jobs, Audit: true})
	if err != nil {
		return fail(err)
	}
	if err := writeOutputs(env, outs, rep, report.Options{ToolVersion: toolVersion(), Color: *color}); err != nil {
		return fail(err)
	}
	return check.ExitCode(rep)
}
