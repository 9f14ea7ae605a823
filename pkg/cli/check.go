package cli

import (
	"runtime/trace"

	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/approval"
	"github.com/upgradegate/upgradegate/pkg/base"
	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// output is one requested format and where it goes ("" is stdout).
type output struct {
	format  string
	file    string
	printer report.Printer
}

// parseOutputs reads the --format values; lookup names the printers the
// command offers (report.For for check, report.ForPlan for plan).
func parseOutputs(specs []string, lookup func(string) (report.Printer, error)) ([]output, error) {
	if len(specs) == 0 {
		specs = []string{"text"}
	}
	var outs []output
	stdout := 0
	files := map[string]string{} // cleaned file name -> format
	for _, s := range specs {
		for _, part := range strings.Split(s, ",") {
			name, file, _ := strings.Cut(strings.TrimSpace(part), "=")
			p, err := lookup(name)
			if err != nil {
				return nil, err
			}
			if file == "" || file == "-" {
				file = ""
				stdout++
			} else if prev, dup := files[filepath.Clean(file)]; dup {
				return nil, fmt.Errorf("--format %s=%s: %s is already written by --format %s; give each format its own file", name, file, file, prev)
			} else {
				files[filepath.Clean(file)] = name
			}
			outs = append(outs, output{format: name, file: file, printer: p})
		}
	}
	if stdout > 1 {
		return nil, fmt.Errorf("only one format can go to standard output; write the others to files: --format json=report.json")
	}
	return outs, nil
}

func runCheck(ctx context.Context, env Env, args []string) int {
	return runGate(ctx, env, args, "check")
}

// runPlan is `upgradegate plan [PATH...]`: the same run as check, printed as
// the plan (manifest v1 section 8), with check's exit codes.
func runPlan(ctx context.Context, env Env, args []string) int {
	return runGate(ctx, env, args, "plan")
}

// runGate runs check, or plan (the same run, printed as the plan).
func runGate(ctx context.Context, env Env, args []string, name string) int {
	fs := newFlagSet(name, env)
	var formats stringList
	lookup, formatHelp := report.For, "output format: text|json|sarif|markdown|github|gitlab|junit|html; NAME=FILE writes to a file; repeatable"
	if name == "plan" {
		lookup, formatHelp = report.ForPlan, "output format: text|json|markdown; NAME=FILE writes to a file; repeatable"
	}
	fs.Var(&formats, "format", formatHelp)
	failOn := fs.String("fail-on", "error", "least severity that fails: error|warning|notice|never (off is never)")
	root := fs.String("root", "", "repository root (default: nearest .git or .upgradegate.yaml above the first PATH, else the working directory)")
	now := fs.String("now", "", "the run's clock, RFC 3339 (default: now)")
	jobs := fs.Int("jobs", 0, "manifests checked at once (default: number of CPUs)")
	color := colorMode("auto")
	fs.Var(&color, "color", "colour the text format: auto (on a terminal), always or never; NO_COLOR turns it off")
	changedOnly := fs.Bool("changed-only", false, "check only the manifests the --changed-files concern, as the Action does on a pull request")
	var approvedBy stringList
	fs.Var(&approvedBy, "approved-by", "who approved the pull request, for required approvals (UG518) and exception approvers (UG904): "+
		"@login or @org/team, comma-separated or repeated; without it UG518 is a warning and UG904 is not applied")
	baseRev := fs.String("base", "", "compare with the merge base of REV and HEAD in the git repository at or above --root (the changed files, UG602/UG603/UG606/UG607)")
	refFlags := addReferenceFlags(fs)
	fs.Usage = func() {
		fmt.Fprintf(env.Stderr, "usage: upgradegate %s [flags] [PATH...]\n", name)
		fmt.Fprintln(env.Stderr, "PATH is a manifest or a directory to search (default: the working directory).")
		fs.PrintDefaults()
	}
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	outs, err := parseOutputs(formats, lookup)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	sev, err := check.ParseFailOn(*failOn)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: invalid --fail-on %v\n", name, err)
		return ExitError
	}
	clock, err := parseNow(*now)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	var approvals *approval.Set
	if approvedBy != nil {
		if approvals, err = approval.Given(approvedBy); err != nil {
			fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
			return ExitError
		}
	}
	paths, rootDir, err := targets(env, paths, *root)
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	if err := confineOutputs(env, outs, rootDir); err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	changed, err := refFlags.readChangedFiles(env)
	var baseTree *base.Base
	if err == nil && *baseRev != "" {
		if baseTree, err = readBase(rootDir, *baseRev); err == nil && changed == nil {
			changed = baseTree.Changed // as --changed-files would list them
		}
	}
	if err == nil && *changedOnly && changed == nil {
		err = errors.New("--changed-only needs --base REV or --changed-files FILE: the list of changed files, one repository path per line")
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	refs := refFlags.build(env, changed)
	if refs == nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: --no-references: the config, secret and documentation checks (UG4xx) were skipped\n", name)
	}
	rep, err := check.Run(ctx, check.Options{Root: rootDir, Paths: paths, Now: clock, FailOn: sev, Jobs: *jobs, References: refs,
		ChangedOnly: *changedOnly, ChangedFiles: changed, Approvals: approvals, Base: baseTree})
	if err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	if *changedOnly && len(rep.Manifests) == 0 && len(rep.Findings) == 0 && len(rep.Deployed) == 0 {
		files := "files"
		if len(changed) == 1 {
			files = "file"
		}
		fmt.Fprintf(env.Stderr, "upgradegate %s: --changed-only: no manifest is concerned: none of the %d changed %s is a manifest or a file a manifest depends on\n", name, len(changed), files)
	}
	opts := report.Options{ToolVersion: toolVersion(), Color: color.enabled(env, env.Stdout), Excerpt: excerpts(rootDir)}
	var werr error
	trace.WithRegion(ctx, "writeOutputs", func() { werr = writeOutputs(env, outs, rep, opts) })
	if err := werr; err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate %s: %v\n", name, err)
		return ExitError
	}
	return check.ExitCode(rep)
}

// readBase reads --base REV: the merge base of REV and HEAD in the git
// repository at or above root.
func readBase(root, rev string) (*base.Base, error) {
	g, err := base.OpenGit(root)
	if err != nil {
		return nil, fmt.Errorf("--base %s: %w", rev, err)
	}
	b, err := g.MergeBase(rev)
	if err != nil {
		return nil, fmt.Errorf("--base: %w", err)
	}
	return b, nil
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

// confineOutputs refuses a report file named inside the repository root
// whose directory a symbolic link carries out of it (a repository can hold
// such a link). A file named outside the root is the user's choice.
func confineOutputs(env Env, outs []output, root string) error {
	for _, o := range outs {
		if o.file == "" {
			continue
		}
		abs := filepath.Clean(env.abs(o.file))
		if !report.Within(root, abs) {
			continue
		}
		if err := report.Confine(root, abs); err != nil {
			return fmt.Errorf("--format %s=%s: %s; write reports inside the repository, or name a path outside it",
				o.format, o.file, strings.Replace(err.Error(), abs, o.file, 1))
		}
	}
	return nil
}

// writeOutputs streams every file format into a temporary file beside its
// target and the standard output format into a spool, renames the files into
// place only when all are written, and copies the spool to standard output
// last: a failure leaves no partial file and no report on standard output
// behind, and no report is ever held in memory whole.
func writeOutputs(env Env, outs []output, rep *report.Report, opts report.Options) error {
	var staged []*report.StagedFile
	defer func() {
		for _, sf := range staged {
			sf.Discard() // nothing left to remove once committed
		}
	}()
	var stdout *spool
	for _, o := range outs {
		p := o.printer
		po := opts
		if o.file == "" {
			stdout = newSpool()
			defer stdout.remove()
			if err := stdout.write(func(w io.Writer) error { return p(w, rep, po) }); err != nil {
				return fmt.Errorf("write %s report: %w", o.format, err)
			}
			continue
		}
		po.Color = false
		// cleaned as Confine saw it: "link/.." is not followed
		abs := filepath.Clean(env.abs(o.file))
		sf, err := report.StageFunc(abs, func(w io.Writer) error { return p(w, rep, po) })
		if err != nil {
			return fmt.Errorf("write %s report: %w", o.format, errors.New(strings.Replace(err.Error(), abs, o.file, 1)))
		}
		staged = append(staged, sf)
	}
	for _, sf := range staged {
		if err := sf.Commit(); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	if stdout != nil {
		if err := stdout.copyTo(env.Stdout); err != nil {
			return fmt.Errorf("write report: %w", err)
		}
	}
	return nil
}

// spool holds the standard output report until every file is written: in a
// temporary file, or in memory when none can be made.
type spool struct {
	f   *os.File
	buf bytes.Buffer
}

func newSpool() *spool {
	f, err := os.CreateTemp("", "upgradegate-stdout-*")
	if err != nil {
		return &spool{}
	}
	return &spool{f: f}
}

func (s *spool) write(render func(io.Writer) error) error {
	if s.f == nil {
		return render(&s.buf)
	}
	bw := bufio.NewWriterSize(s.f, 256<<10)
	if err := render(bw); err != nil {
		return err
	}
	return bw.Flush()
}

func (s *spool) copyTo(w io.Writer) error {
	if s.f == nil {
		_, err := w.Write(s.buf.Bytes())
		return err
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	_, err := io.Copy(w, s.f)
	return err
}

func (s *spool) remove() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.f.Name())
	}
}

// pathErr drops the path from a file error: messages name the file the user
// gave, not a temporary or absolute one.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
