// Package cli implements the upgradegate command line: it parses arguments,
// runs the gate and writes the reports. main only wires the process to Run.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/check"
)

// Exit codes, the gate's (and the Action's).
const (
	ExitOK       = check.ExitOK       // nothing at or above fail-on
	ExitFindings = check.ExitFindings // findings at or above fail-on
	ExitError    = check.ExitError    // bad usage or a failure to run
)

// Env is the process's world, injected so tests need no real environment.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	// Dir is the working directory; "" means the process's.
	Dir string
}

// Version is set at build time with -ldflags "-X .../pkg/cli.Version=v1.2.3".
var Version = ""

// toolVersion returns the version of this build.
func toolVersion() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, env Env, args []string) int
}

func commands() []command {
	return []command{
		{"check", "check upgrade manifests (the gate)", runCheck},
		{"plan", "print the plan: every manifest in order, with the environment each needs", runPlan},
		{"audit", "report what is due after the upgrades: outcomes, reviews, follow-ups", runAudit},
		{"path", "print the suggested upgrade path of a policy", runPath},
		{"init", "write a starter upgrade manifest", runInit},
		{"schema", "print the JSON Schema of a manifest or policy", runSchema},
		{"vendor", "vendor pull: download the policies' imported vendor files", runVendor},
		{"explain", "explain a rule", runExplain},
		{"version", "print the version", runVersion},
		{"action", "run as the GitHub Action (inputs from INPUT_*)", runAction},
	}
}

// Run runs the command line args (without the program name) and returns the
// exit code.
func Run(ctx context.Context, args []string, env Env) (code int) {
	if env.Getenv == nil {
		env.Getenv = func(string) string { return "" }
	}
	if env.Stdout == nil {
		env.Stdout = io.Discard
	}
	if env.Stderr == nil {
		env.Stderr = io.Discard
	}
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(env.Stderr, "upgradegate: internal error: %v\n%s", r, debug.Stack())
			code = ExitError
		}
	}()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(env.Stderr)
		if len(args) == 0 {
			return ExitError
		}
		return ExitOK
	}
	if args[0] == "--version" || args[0] == "-version" {
		return runVersion(ctx, env, nil)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(ctx, env, args[1:])
		}
	}
	fmt.Fprintf(env.Stderr, "upgradegate: unknown command %q\n\n", args[0])
	usage(env.Stderr)
	return ExitError
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "upgradegate gates software-upgrade pull requests.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "usage: upgradegate COMMAND [flags] [args]")
	fmt.Fprintln(w)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run 'upgradegate COMMAND -h' for a command's flags.")
}

// parseInterspersed parses flags that may come before, between or after
// positional arguments ("check examples/ --format json").
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newFlagSet(name string, env Env) *flag.FlagSet {
	fs := flag.NewFlagSet("upgradegate "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return fs
}

// flagErr turns a flag parse error into an exit code.
func flagErr(err error) int {
	if errors.Is(err, flag.ErrHelp) {
		return ExitOK
	}
	return ExitError
}

// abs makes p absolute against the environment's working directory.
func (env Env) abs(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	dir := env.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	return filepath.Join(dir, p)
}

// targets are the PATH arguments of check and audit made absolute, each one
// there (none: the working directory, the spec's default PATH), and the
// repository root: root (--root) when given, else findRoot of the first PATH.
func targets(env Env, args []string, root string) (paths []string, rootDir string, err error) {
	for _, p := range args {
		abs := env.abs(p)
		if _, err := os.Stat(abs); err != nil {
			return nil, "", fmt.Errorf("%s: %v", p, pathErr(err))
		}
		paths = append(paths, abs)
	}
	if len(paths) == 0 {
		paths = []string{env.abs(".")}
	}
	if root != "" {
		return paths, env.abs(root), nil
	}
	return paths, findRoot(paths[0]), nil
}

// findRoot returns the repository root for a run on start (a file or a
// directory): the nearest directory at or above it holding .git or
// .upgradegate.yaml, or start's directory when there is none.
func findRoot(start string) string {
	dir := start
	if st, err := os.Stat(start); err == nil && !st.IsDir() {
		dir = filepath.Dir(start)
	}
	dir, _ = filepath.Abs(dir)
	first := dir
	for {
		for _, marker := range []string{".git", ".upgradegate.yaml"} {
			if _, err := os.Stat(filepath.Join(dir, marker)); err == nil {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return first
		}
		dir = parent
	}
}

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }
