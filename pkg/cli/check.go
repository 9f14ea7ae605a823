package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// output is one requested format and where it goes ("" is stdout).
type output struct {
	format string
	file   string
}

func parseOutputs(specs []string) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var outs []output
	stdout := 0
	for _, s := range specs {
		for _, part := range strings.Split(s, ",") {
			name, file, _ := strings.Cut(strings.TrimSpace(part), "=")
			if _, err := report.For(name); err != nil {
				return nil, err
			}
			if file == "" || file == "-" {
				file = ""
				stdout++
			}
			outs = append(outs, output{format: name, file: file})
		}
	}
	if stdout > 1 {
		return nil, fmt.Errorf("only one format can go to standard output; write the others to files: --format json=report.json")
	}
	return outs, nil
}

// ParseFailOn reads --fail-on.
func ParseFailOn(s string) (finding.Severity, error) {
	switch s {
	case "never":
		return finding.Off, nil
	case "error", "warning", "notice":
		return finding.ParseSeverity(s)
	}
	return finding.Off, fmt.Errorf("invalid --fail-on %q: expected one of error, warning, notice, never", s)
}

func runCheck(ctx context.Context, env Env, args []string) int {
	fs := newFlagSet("check", env)
	var formats stringList
	fs.Var(&formats, "format", "output format: text|json|sarif|markdown|github|gitlab; NAME=FILE writes to a file; repeatable")
	failOn := fs.String("fail-on", "error", "least severity that fails: error|warning|notice|never")
	root := fs.String("root", "", "repository root (default: nearest .git or .upgradegate.yaml above the first PATH, else the working directory)")
	now := fs.String("now", "", "the run's clock, RFC 3339 (default: now)")
	jobs := fs.Int("jobs", 0, "manifests checked at once (default: number of CPUs)")
	color := fs.Bool("color", false, "colour the text format")
	refFlags := addReferenceFlags(fs)
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: upgradegate check [flags] [PATH...]")
		fmt.Fprintln(env.Stderr, "PATH is a manifest or a directory to search (default: the repository root).")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	outs, err := parseOutputs(formats)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate check: %v\n", err)
		return ExitError
	}
	sev, err := ParseFailOn(*failOn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate check: %v\n", err)
		return ExitError
	}
	clock, err := parseNow(*now)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate check: %v\n", err)
		return ExitError
	}
	for i, p := range paths {
		paths[i] = env.abs(p)
	}
	rootDir := *root
	switch {
	case rootDir != "":
		rootDir = env.abs(rootDir)
	case len(paths) > 0:
		rootDir = FindRoot(paths[0])
	default:
		rootDir = FindRoot(env.abs("."))
	}
	refs, err := refFlags.build(env)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate check: %v\n", err)
		return ExitError
	}
	rep, err := check.Run(ctx, check.Options{Root: rootDir, Paths: paths, Now: clock, FailOn: sev, Jobs: *jobs, References: refs})
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate check: %v\n", err)
		return ExitError
	}
	opts := report.Options{ToolVersion: ToolVersion(), Color: *color}
	if err := writeOutputs(env, outs, rep, opts); err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate check: %v\n", err)
		return ExitError
	}
	if rep.Failed() {
		return ExitFindings
	}
	return ExitOK
}

func parseNow(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if d, err2 := time.Parse("2006-01-02", s); err2 == nil {
			return d, nil
		}
		return time.Time{}, fmt.Errorf("invalid --now %q: expected an RFC 3339 time like 2026-11-22T12:00:00Z", s)
	}
	return t, nil
}

// writeOutputs renders every format first, then writes the files, each
// atomically: a failure never leaves a partial file behind.
func writeOutputs(env Env, outs []output, rep *report.Report, opts report.Options) error {
	for _, o := range outs {
		p, _ := report.For(o.format)
		var buf bytes.Buffer
		po := opts
		if o.file != "" {
			po.Color = false
		}
		if err := p(&buf, rep, po); err != nil {
			return fmt.Errorf("write %s report: %w", o.format, err)
		}
		if o.file == "" {
			if _, err := env.Stdout.Write(buf.Bytes()); err != nil {
				return fmt.Errorf("write %s report: %w", o.format, err)
			}
			continue
		}
		if err := WriteFileAtomic(env.abs(o.file), buf.Bytes()); err != nil {
			return fmt.Errorf("write %s report: %w", o.format, err)
		}
	}
	return nil
}

// WriteFileAtomic writes data to a temporary file beside name and renames it
// into place.
func WriteFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), name)
}
