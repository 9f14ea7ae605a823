package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/schema"
)

// runSchema prints the JSON Schema of a manifest (the default) or a policy.
func runSchema(_ context.Context, env Env, args []string) int {
	fs := newFlagSet("schema", env)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: upgradegate schema [%s]   (default %s; prints a JSON Schema for editors)\n",
			strings.Join(schema.Names(), "|"), schema.NameUpgrade)
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(rest) > 1 {
		fs.Usage()
		return ExitError
	}
	name := schema.NameUpgrade
	if len(rest) == 1 {
		name = rest[0]
	}
	data, err := schema.For(name)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate schema: %v\n", err)
		return ExitError
	}
	if _, err := env.Stdout.Write(data); err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate schema: %v\n", err)
		return ExitError
	}
	return ExitOK
}
