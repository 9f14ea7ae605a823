package cli

import (
	"context"
	"fmt"
	"runtime/debug"

	"github.com/upgradegate/upgradegate/pkg/action"
)

func runAction(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(env.Stderr, "upgradegate action: takes no arguments; its inputs come from INPUT_* variables (see action.yml)")
		return ExitError
	}
	actionGC(env.Getenv)
	return action.Runner{Version: toolVersion()}.Main(ctx, env.Getenv, env.Stdout, env.Stderr)
}

// ActionGCPercent is the garbage collector's GOGC for `upgradegate action`,
// one short process on a runner with gigabytes of memory: at Go's default
// (100) the Action on the examples/ repository collects a heap of a few MiB
// once or twice, an eighth of its CPU time (issue 12: its own work under
// 50 ms). At 400 the heap may grow to five times what is live before a
// collection: `check` on the bench corpus (2,000 manifests, 5,000 other
// files) peaked at 92–102 MiB at 400 against 69–71 MiB at 100 (GOGC set in the environment). `check` keeps the default.
const ActionGCPercent = 400

// actionGC sets ActionGCPercent unless the step's environment sets GOGC
// (which the runtime has read then).
func actionGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(ActionGCPercent)
	}
}
