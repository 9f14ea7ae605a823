package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/workspace"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// pathResult is the JSON shape of `upgradegate path --format json`.
type pathResult struct {
	From  string   `json:"from"`
	To    string   `json:"to"`
	Stops []string `json:"stops"`
	// Reasons says why each stop is there ("required stop", "maxStep: …",
	// "avoids a blocked hop …", "update graph: …"), parallel to Stops.
	Reasons []string `json:"reasons,omitempty"`
	Error   string   `json:"error,omitempty"`
}

func runPath(_ context.Context, env Env, args []string) int {
	defer shortRunGC(env.Getenv)()
	fs := newFlagSet("path", env)
	policyFile := fs.String("policy", "", "policy file (kind: Policy)")
	fromFlag := fs.String("from", "", "the version production runs now")
	toFlag := fs.String("to", "", "the target version")
	format := fs.String("format", "text", "output format: text|json")
	skipConditional := fs.Bool("skip-conditional", false, "ignore conditional stops (for instances the condition does not apply to)")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: upgradegate path --policy FILE --from V --to V [--format text|json]")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(env.Stderr, "upgradegate path: "+format+"\n", args...)
		return ExitError
	}
	switch {
	case len(rest) > 0:
		return fail("unexpected argument %q", rest[0])
	case *policyFile == "" || *fromFlag == "" || *toFlag == "":
		var missing []string
		for _, f := range []struct{ name, value string }{{"--policy", *policyFile}, {"--from", *fromFlag}, {"--to", *toFlag}} {
			if f.value == "" {
				missing = append(missing, f.name)
			}
		}
		fmt.Fprintf(env.Stderr, "upgradegate path: missing %s\n", strings.Join(missing, ", "))
		fs.Usage()
		return ExitError
	case *format != "text" && *format != "json":
		return fail("unknown format %q: expected one of text, json", *format)
	}
	from, err := yamldoc.ParseVersion(*fromFlag)
	if err != nil {
		return fail("--from %q is not a version", *fromFlag)
	}
	to, err := yamldoc.ParseVersion(*toFlag)
	if err != nil {
		return fail("--to %q is not a version", *toFlag)
	}
	name := filepath.ToSlash(*policyFile)
	loaded := loadPolicy(env.abs(*policyFile), name)
	switch pol := loaded.Policy; {
	case errors.As(loaded.Err, new(*policy.NotPolicyError)):
		return fail("%s %v", name, loaded.Err)
	case loaded.Err != nil:
		return fail("read policy %s: %v", *policyFile, loaded.Err)
	case pol == nil || pol.Broken || hasErrors(loaded.Findings):
		rep := report.New(nil, loaded.Findings, nil, finding.Error)
		_ = report.Text(env.Stderr, rep, report.Options{})
		return ExitFindings
	}
	pol := loaded.Policy
	res := pathResult{From: *fromFlag, To: *toFlag}
	// the rules this answer follows: without conditional stops on request,
	// derived from the loaded policy, which stays as it was read
	pathRules := pol.Rules
	var stops []*version.Version
	var why []upgradepath.Reason
	if !to.GreaterThan(from) {
		err = fmt.Errorf("to %s is not greater than from %s", *toFlag, *fromFlag)
	} else {
		eng := pol.Engine
		if *skipConditional {
			pathRules = pathRules.WithoutConditional()
			eng, err = pathRules.Engine()
		}
		if err == nil {
			stops, err = eng.Suggest(from, to)
		}
		if err == nil {
			why = eng.Why(from, to, stops)
		}
	}
	if err == nil {
		res.Stops = make([]string, len(stops))
		for i, s := range stops {
			res.Stops[i] = s.Original()
		}
		if len(why) > 0 {
			res.Reasons = make([]string, len(why))
			for i, r := range why {
				res.Reasons[i] = r.String()
			}
		}
	} else {
		res.Error = err.Error()
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if werr := enc.Encode(res); werr != nil {
			return fail("%v", werr)
		}
	} else {
		writePathText(env.Stdout, env.Stderr, pol.Component, pathRules.RequiredStops, len(pathRules.Releases) > 0, from, to, stops, why, err)
	}
	if err != nil {
		return ExitFindings
	}
	return ExitOK
}

func hasErrors(fs []finding.Finding) bool {
	for _, f := range fs {
		if f.Severity == finding.Error {
			return true
		}
	}
	return false
}

// writePathText writes the route on one line (16.3.2 → 16.3.9 → 17.3.7),
// then each node with why it is there: the stops of required it satisfies,
// else the rule its absence would break (why, parallel to stops).
// It notes on each node the stops of required
// (the stops the answer followed) it satisfies.
func writePathText(w, errw io.Writer, component string, required []upgradepath.Stop, releases bool, from, to *version.Version, stops []*version.Version, why []upgradepath.Reason, err error) {
	comp := report.TextField(component)
	if err != nil {
		// the message quotes the policy (a blocked hop's reason): one line,
		// no control characters, as in every text output
		fmt.Fprintf(errw, "%s: %s\n", comp, report.TextField(err.Error()))
		return
	}
	hops := len(stops) + 1
	all := append(append([]*version.Version{from}, stops...), to)
	required = upgradepath.MergeStops(required)
	series := map[string]bool{} // suggested stops that are series, as written
	if !releases {
		for _, s := range required {
			if s.Series {
				series[s.Version.Original()] = true
			}
		}
	}
	route := make([]string, len(all))
	for i, v := range all {
		route[i] = v.Original()
	}
	fmt.Fprintf(w, "%s %s: %d hop%s\n", comp, strings.Join(route, " → "), hops, map[bool]string{true: "", false: "s"}[hops == 1])
	// a node notes the required stops of its series: those of each series,
	// in required's order, found once (a route of 20,000 releases has
	// hundreds of nodes and of required stops)
	bySeries := map[[2]int][]int{}
	for k, s := range required {
		ser := seriesOf(s.Version)
		bySeries[ser] = append(bySeries[ser], k)
	}
	for i, v := range all {
		var notes []string
		switch i {
		case 0:
			notes = append(notes, "from")
		case len(all) - 1:
			notes = append(notes, "target")
		}
		for _, k := range bySeries[seriesOf(v)] {
			if s := required[k]; !v.LessThan(s.Version) {
				what := "required stop"
				if s.Conditional != "" {
					what = "conditional stop"
				}
				switch {
				case s.Series && v.Original() == s.Version.Original():
				case s.Series:
					what += " " + s.Version.Original() + " (a release of the series)"
				case !v.Equal(s.Version):
					what += " " + s.Version.Original() + " (a later patch)"
				}
				if s.Conditional != "" {
					what += ": " + report.TextField(s.Conditional)
				}
				notes = append(notes, what)
			}
		}
		if len(notes) == 0 && i > 0 && i <= len(why) {
			if r := why[i-1].String(); r != "" {
				notes = append(notes, report.TextField(r))
			}
		}
		name := v.Original()
		if i > 0 && i < len(all)-1 && series[name] {
			name += " (latest patch)" // a series stop, the policy listing no releases
		}
		line := "  " + name
		if len(notes) > 0 {
			line = fmt.Sprintf("  %-12s %s", name, strings.Join(notes, "; "))
		}
		fmt.Fprintln(w, line)
	}
}

// seriesOf returns v's MAJOR and MINOR (go-version gives at least three
// segments).
func seriesOf(v *version.Version) [2]int {
	x := v.Segments()
	return [2]int{x[0], x[1]}
}

// loadPolicy loads `path --policy FILE`: inside a repository (the nearest
// .git or .upgradegate.yaml above it) through the workspace, so that its
// spec.import files, repository paths, are read; else on its own.
func loadPolicy(abs, name string) *workspace.Policy {
	if r, err := repo.Open(findRoot(abs)); err == nil {
		if rel, err := r.Rel(abs); err == nil {
			return workspace.New(r).Policy(rel)
		}
	}
	return workspace.ReadPolicyFile(abs, name)
}
