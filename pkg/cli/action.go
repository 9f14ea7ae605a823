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
// one short process: at Go's default (100) the Action on the examples/
// repository collects its heap of a few MiB once or twice, about a seventh
// of its CPU time (issue 12: its own work under 50 ms). The memory limit
// that cmd/upgradegate's tuner sets (gc.go) still bounds the heap while the
// live heap is under 64 MiB: `check` at 400 on the bench corpus (2,000
// manifests, 5,000 other files) peaks at 56.6 MiB as at 100. Past that the
// tuner is off and the heap may grow to five times what is live, on a
// runner's gigabytes. `check` keeps the default.
const ActionGCPercent = 400

// actionGC sets ActionGCPercent unless the step's environment sets GOGC
// (which the runtime has read then).
func actionGC(getenv func(string) string) {
	if getenv("GOGC") == "" {
		debug.SetGCPercent(ActionGCPercent)
	}
}
