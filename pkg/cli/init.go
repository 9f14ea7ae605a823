package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"text/template"
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/workspace"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// initTemplate writes every value through q (a YAML double-quoted scalar), so
// that no flag value can break the YAML or add fields.
var initTemplate = template.Must(template.New("manifest").Funcs(template.FuncMap{"q": yamlQuote}).Parse(`apiVersion: upgradegate/v1
kind: Upgrade
metadata:
  name: {{q .Name}}
spec:
  component: {{q .Component}}
{{- if .Policy}}
  policy: {{q .Policy}}
{{- else}}
  # policy: ../policies/{{.Slug}}.yaml   # required stops, step limits, compatibility matrix
{{- end}}
  from: {{q .From}}                # what production runs now
  to: {{q .To}}                  # the target
{{- if .Path}}
  path: [{{.Path}}]   # the policy's suggested stops (UG204)
{{- else if .Direct}}
  path: []                      # the policy allows the direct hop
{{- else}}
  path: []                      # intermediate stops; 'upgradegate check' suggests them (UG204)
{{- end}}
  owner: ""                     # person in charge, like "@platform-team" (UG510)
  environment:                  # infrastructure versions in production today
{{- if .Env}}
    # the policy's compatibility rows need these: uncomment each and write its production version
{{- range .Env}}
    # {{.Key}}: ""   # {{.Note}}
{{- end}}
{{- else}}
    # postgresql: "14.11"
    # kubernetes: "1.29.4"
{{- end}}
  impact:
    releaseNotes: []            # links to the release notes you reviewed (UG508)
    risks: []
    downtime: none              # a duration like 45m, or none
    migrations: false           # schema changes or data migrations
    # window: {start: {{.Tomorrow}}T22:00:00Z, end: {{.Tomorrow}}T23:30:00Z}   # required for majors and migrations (UG507)
  rollback:
    steps: []                   # how to return to the current version (UG501)
    tested: false               # rehearsed? (UG502)
  stakeholders:
    notify: [end-users, it-operations, management]
    channel: {{q (printf "#%s-upgrade" .Slug)}}
  dryRun:                       # the rehearsal in a non-production environment (UG503-UG506)
    environment: staging
    version: {{q .To}}
    # date: {{.Today}}            # when it ran (UG505)
    # result: passed              # passed | failed (UG503, UG504)
  healthChecks: []              # commands or URLs that prove the system healthy (UG511)
  postUpgrade: []
  monitoring: []
  # database:
  #   verify: [rowCounts, checksums]   # required when impact.migrations is true (UG512)
  # review: {owner: "@your-team", due: {{.Today}}}   # post-implementation review (UG513)
`))

var nameRe = regexp.MustCompile(`[^a-z0-9]+`)

// slug makes a name of lower-case letters, digits and dashes.
func slug(s string) string {
	return strings.Trim(nameRe.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

// yamlQuote writes s as a YAML double-quoted scalar (JSON strings are).
func yamlQuote(s string) (string, error) {
	b, err := json.Marshal(s)
	return string(b), err
}

// initEnv is one environment component a starter manifest lists for the
// policy's compatibility rows: a commented line to fill in.
type initEnv struct{ Key, Note string }

func runInit(_ context.Context, env Env, args []string) int {
	fs := newFlagSet("init", env)
	component := fs.String("component", "myapp", "what is upgraded (default with --policy: the policy's component)")
	from := fs.String("from", "1.0.0", "the version production runs now")
	to := fs.String("to", "2.0.0", "the target version")
	policyFile := fs.String("policy", "", "policy file, relative to the manifest (or to the working directory): its suggested path and the environment its compatibility rows need are filled in")
	out := fs.String("o", "", "the manifest file to write (the same as the positional FILE)")
	force := fs.Bool("force", false, "overwrite an existing FILE")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: upgradegate init [flags] [FILE | -o FILE]   (no FILE: print to standard output; an existing FILE is overwritten only with --force)")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	fail := func(format string, args ...any) int {
		fmt.Fprintf(env.Stderr, "upgradegate init: "+format+"\n", args...)
		return ExitError
	}
	if len(rest) > 1 {
		fs.Usage()
		return ExitError
	}
	name := *out
	if len(rest) == 1 {
		if name != "" && name != rest[0] {
			return fail("two files given, %q and -o %q: give one", rest[0], name)
		}
		name = rest[0]
	}
	if *force && name == "" {
		return fail("--force needs a FILE to overwrite")
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	versions := map[string]*version.Version{}
	for _, v := range []struct{ flag, value string }{{"from", *from}, {"to", *to}} {
		ver, err := yamldoc.ParseVersion(v.value)
		if err != nil {
			return fail("--%s %q is not a version, like 1.2.3", v.flag, v.value)
		}
		versions[v.flag] = ver
	}
	if strings.TrimSpace(*component) == "" {
		return fail("--component is empty")
	}
	today := time.Now().UTC()
	data := map[string]any{
		"Policy": *policyFile,
		"Today":  today.Format("2006-01-02"), "Tomorrow": today.AddDate(0, 0, 1).Format("2006-01-02"),
	}
	if *policyFile != "" {
		pol, rel, code := initPolicy(env, *policyFile, name)
		if code != ExitOK {
			return code
		}
		if pol != nil {
			switch {
			case !set["component"] && pol.Component != "":
				*component = pol.Component
			case pol.Component != "" && pol.Component != *component:
				return fail("policy %s is for component %q, not --component %q", *policyFile, pol.Component, *component)
			}
			data["Policy"] = rel
			if !set["from"] {
				if d := deployedFrom(env, pol, *policyFile, name); d != nil {
					*from, versions["from"] = d.Version.Original(), d.Version
				}
			}
			prefill(env, data, pol, versions["from"], versions["to"])
		}
	}
	data["Name"] = slug(*component + "-" + *to)
	data["Slug"] = slug(*component)
	data["Component"], data["From"], data["To"] = *component, *from, *to
	var buf bytes.Buffer
	if err := initTemplate.Execute(&buf, data); err != nil {
		return fail("%v", err)
	}
	if name == "" {
		_, _ = env.Stdout.Write(buf.Bytes())
		return ExitOK
	}
	target := env.abs(name)
	if _, err := os.Stat(target); err == nil && !*force {
		return fail("%s already exists; not overwriting it (--force overwrites it)", name)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fail("%v", err)
	}
	if err := report.WriteFile(target, buf.Bytes()); err != nil {
		return fail("%s", strings.Replace(err.Error(), target, name, 1))
	}
	fmt.Fprintf(env.Stdout, "wrote %s; fill it in, then run: upgradegate check %s\n", name, name)
	return ExitOK
}

// initPolicy loads the policy named by --policy through the workspace's
// loader (inside the repository around it, so that its imports are read): relative to the manifest's directory as spec.policy is (the
// working directory when the manifest goes to standard output), else
// relative to the working directory. It returns the policy, spec.policy's
// text (relative to the manifest) and ExitOK; a policy found in neither
// place is nil, with a note on standard error, and spec.policy keeps the
// text as given. A policy that cannot be read or has errors is a failure.
func initPolicy(env Env, file, manifest string) (*policy.Policy, string, int) {
	dir := env.abs(".")
	if manifest != "" {
		dir = filepath.Dir(env.abs(manifest))
	}
	rel := filepath.ToSlash(file)
	path := filepath.Join(dir, file)
	if filepath.IsAbs(file) {
		path = file
	}
	if _, err := os.Stat(path); err != nil {
		alt := env.abs(file)
		if _, aerr := os.Stat(alt); aerr != nil {
			fmt.Fprintf(env.Stderr, "upgradegate init: note: policy %s is not found beside the manifest nor in the working directory; spec.policy is written as given, with no suggested path or environment\n", file)
			return nil, rel, ExitOK
		}
		path = alt
		if r, err := filepath.Rel(dir, alt); err == nil {
			rel = filepath.ToSlash(r)
		}
	}
	if filepath.IsAbs(file) {
		// spec.policy is relative to the manifest, wherever the repository is checked out
		if r, err := filepath.Rel(dir, file); err == nil {
			rel = filepath.ToSlash(r)
		}
	}
	// inside a repository as `path --policy` does, so that the policy's spec.import files are read
	loaded := loadPolicy(path, filepath.ToSlash(file))
	switch pol := loaded.Policy; {
	case errors.As(loaded.Err, new(*policy.NotPolicyError)):
		fmt.Fprintf(env.Stderr, "upgradegate init: %s %v\n", file, loaded.Err)
		return nil, "", ExitError
	case loaded.Err != nil:
		fmt.Fprintf(env.Stderr, "upgradegate init: read policy %s: %v\n", file, loaded.Err)
		return nil, "", ExitError
	case pol == nil || pol.Broken || hasErrors(loaded.Findings):
		rep := report.New(nil, loaded.Findings, nil, finding.Error)
		_ = report.Text(env.Stderr, rep, report.Options{})
		return nil, "", ExitFindings
	}
	return loaded.Policy, rel, ExitOK
}

// prefill sets the template's Path (the policy engine's suggested stops)
// and Env (the components the compatibility rows covering the stops and the
// target require, as check evaluates them). A route the policy cannot
// suggest is a note on standard error; the manifest is written without it.
func prefill(env Env, data map[string]any, pol *policy.Policy, from, to *version.Version) {
	var stops []*version.Version
	switch {
	case pol.Engine == nil:
	case !to.GreaterThan(from):
		fmt.Fprintf(env.Stderr, "upgradegate init: note: --to %s is not greater than --from %s: no path suggested\n", to.Original(), from.Original())
	default:
		s, err := pol.Engine.Suggest(from, to)
		if err != nil {
			fmt.Fprintf(env.Stderr, "upgradegate init: note: no path suggested: %s\n", report.TextField(err.Error()))
			break
		}
		stops = s
		quoted := make([]string, len(s))
		for i, v := range s {
			quoted[i], _ = yamlQuote(v.Original())
		}
		data["Path"] = strings.Join(quoted, ", ")
		data["Direct"] = len(s) == 0
	}
	type need struct {
		key   string
		notes []string
	}
	var needs []*need
	byName := map[string]*need{}
	for ri := range pol.Compatibility {
		row := &pol.Compatibility[ri]
		var at []string
		for _, v := range append(append([]*version.Version{}, stops...), to) {
			if row.Versions.Check(v) {
				at = append(at, v.Original())
			}
		}
		if len(at) == 0 {
			continue
		}
		for _, req := range row.Requires {
			n := byName[req.Component]
			if n == nil {
				n = &need{key: yamlKey(req.Component)}
				byName[req.Component] = n
				needs = append(needs, n)
			}
			n.notes = append(n.notes, fmt.Sprintf("%s at %s (row %d)", strconv.QuoteToASCII(req.Raw), strings.Join(at, ", "), row.Index))
		}
	}
	envs := make([]initEnv, len(needs))
	for i, n := range needs {
		envs[i] = initEnv{Key: n.key, Note: strings.Join(n.notes, "; ")}
	}
	data["Env"] = envs
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._/-]*$`)

// yamlKey writes a component name as a YAML key that is safe inside a
// comment: plain when it is a simple name, else double-quoted with every
// non-ASCII and control character escaped (no line break can end the
// comment).
func yamlKey(s string) string {
	if plainKey.MatchString(s) {
		return s
	}
	return strconv.QuoteToASCII(s)
}

// deployedFrom reads the policy's spec.deployed locations in the repository
// around the manifest (or the working directory) and returns the version
// production deploys, for init's `from` when --from is not given; it says on
// stderr which file:line it came from, or why there is none.
func deployedFrom(env Env, pol *policy.Policy, policyFile, manifest string) *deployed.Deployed {
	if len(pol.Deployed) == 0 {
		return nil
	}
	start := env.abs(".")
	if manifest != "" {
		start = filepath.Dir(env.abs(manifest))
	}
	r, err := repo.Open(findRoot(start))
	if err != nil {
		return nil
	}
	st := deployed.Scan(deployed.NewWorkTree(r, workspace.MaxFileSize), pol.Deployed)
	d := st.Version("production")
	if d == nil {
		why := "its locations found no version"
		if len(st.Problems) > 0 {
			why = report.TextField(st.Problems[0].Message)
		}
		fmt.Fprintf(env.Stderr, "upgradegate init: note: from stays %s: the production version of policy %s cannot be read (%s)\n",
			"--from's default", policyFile, why)
		return nil
	}
	fmt.Fprintf(env.Stderr, "upgradegate init: note: from: %s, what production deploys (%s)\n", d.Version.Original(), report.TextField(d.First().At()))
	return d
}
