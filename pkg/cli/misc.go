package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

func runVersion(_ context.Context, env Env, _ []string) int {
	fmt.Fprintf(env.Stdout, "upgradegate %s\n", ToolVersion())
	return ExitOK
}

func runExplain(_ context.Context, env Env, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "usage: upgradegate explain RULE   (e.g. upgradegate explain UG201)")
		return ExitError
	}
	r, ok := rules.Lookup(args[0])
	if !ok {
		fmt.Fprintf(env.Stderr, "upgradegate explain: unknown rule %q; rules are %s\n", args[0], strings.Join(rules.IDs(), ", "))
		return ExitError
	}
	fmt.Fprintf(env.Stdout, "%s (%s): %s\n\n%s\n", r.ID, r.Severity, r.Title, r.Help)
	if r.Checklist != "" {
		fmt.Fprintf(env.Stdout, "\nChecklist item: %s\n", r.Checklist)
	}
	if !r.Configurable() {
		fmt.Fprintln(env.Stdout, "\nThis rule cannot be turned off or excepted.")
	}
	return ExitOK
}
