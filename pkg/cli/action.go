package cli

import (
	"context"
	"fmt"
)

func runAction(ctx context.Context, env Env, args []string) int {
	fmt.Fprintln(env.Stderr, "upgradegate action: not wired yet")
	return ExitError
}
