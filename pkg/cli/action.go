package cli

import (
	"context"
	"fmt"

	"github.com/upgradegate/upgradegate/pkg/action"
)

func runAction(ctx context.Context, env Env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintln(env.Stderr, "upgradegate action: takes no arguments; its inputs come from INPUT_* variables (see action.yml)")
		return ExitError
	}
	defer shortRunGC(env.Getenv)()
	return action.Runner{Version: toolVersion()}.Main(ctx, env.Getenv, env.Stdout, env.Stderr)
}
