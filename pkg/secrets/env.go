package secrets

import (
	"context"
	"fmt"
)

var envKind = Kind{
	Name: "env",
	New:  func(c Config) (Store, []string) { return Env{Getenv: c.Getenv}, nil },
	MissingHint: func(e Entry) string {
		return fmt.Sprintf("set %s in the gate's environment; in GitHub Actions map the secret in the step: env: {%s: ${{ secrets.%s }}}",
			e.Name, e.Name, e.Name)
	},
}

// Env checks that an environment variable of the gate is set and non-empty.
// In GitHub Actions, map each secret to an env var of the step.
type Env struct {
	// Getenv reads the gate's environment; tests inject their own.
	Getenv func(string) string
}

// Check reports whether the variable named ref.Name is set and not empty. The
// value is compared with "" and dropped.
func (e Env) Check(_ context.Context, ref Ref) (Result, error) {
	if e.Getenv == nil {
		return Result{}, unavailable("env", "", "the gate was started without access to its environment")
	}
	if e.Getenv(ref.Name) != "" {
		return Result{Exists: true, Detail: fmt.Sprintf("environment variable %q is set", ref.Name)}, nil
	}
	return Result{Detail: fmt.Sprintf("environment variable %q is not set or empty in the gate's environment", ref.Name)}, nil
}
