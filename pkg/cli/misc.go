package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

func runVersion(_ context.Context, env Env, _ []string) int {
	fmt.Fprintf(env.Stdout, "upgradegate %s\n", toolVersion())
	return ExitOK
}

func runExplain(_ context.Context, env Env, args []string) int {
	if len(args) == 0 {
		for _, r := range rules.All() {
			fmt.Fprintf(env.Stdout, "%s  %-7s  %s\n", r.ID, r.Severity, r.Title)
		}
		fmt.Fprintln(env.Stdout, "\nupgradegate explain RULE explains one of them.")
		return ExitOK
	}
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "usage: upgradegate explain [RULE]   (e.g. upgradegate explain UG201; no RULE lists them all)")
		return ExitError
	}
	text, ok := rules.Explain(args[0])
	if !ok {
		fmt.Fprintf(env.Stderr, "upgradegate explain: unknown rule %q; rules are %s\n", args[0], strings.Join(rules.IDs(), ", "))
		return ExitError
	}
	fmt.Fprint(env.Stdout, text)
	if !strings.HasSuffix(text, "\n") {
		fmt.Fprintln(env.Stdout)
	}
	return ExitOK
}
