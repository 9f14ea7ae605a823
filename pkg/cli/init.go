package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
	"text/template"
	"time"

	"github.com/upgradegate/upgradegate/pkg/report"
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
  path: []                      # intermediate stops; 'upgradegate check' suggests them (UG204)
  owner: ""                     # person in charge, like "@platform-team" (UG510)
  environment:                  # infrastructure versions in production today
    # postgresql: "14.11"
    # kubernetes: "1.29.4"
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

func runInit(_ context.Context, env Env, args []string) int {
	fs := newFlagSet("init", env)
	component := fs.String("component", "myapp", "what is upgraded")
	from := fs.String("from", "1.0.0", "the version production runs now")
	to := fs.String("to", "2.0.0", "the target version")
	policy := fs.String("policy", "", "policy file, relative to the manifest")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "usage: upgradegate init [flags] [FILE]   (no FILE: print to standard output; an existing FILE is never overwritten)")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return flagErr(err)
	}
	if len(rest) > 1 {
		fs.Usage()
		return ExitError
	}
	for _, v := range []struct{ flag, value string }{{"from", *from}, {"to", *to}} {
		if _, err := yamldoc.ParseVersion(v.value); err != nil {
			fmt.Fprintf(env.Stderr, "upgradegate init: --%s %q is not a version, like 1.2.3\n", v.flag, v.value)
			return ExitError
		}
	}
	if strings.TrimSpace(*component) == "" {
		fmt.Fprintln(env.Stderr, "upgradegate init: --component is empty")
		return ExitError
	}
	today := time.Now().UTC()
	data := map[string]string{
		"Name":      slug(*component + "-" + *to),
		"Slug":      slug(*component),
		"Component": *component, "From": *from, "To": *to, "Policy": *policy,
		"Today": today.Format("2006-01-02"), "Tomorrow": today.AddDate(0, 0, 1).Format("2006-01-02"),
	}
	var buf bytes.Buffer
	if err := initTemplate.Execute(&buf, data); err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate init: %v\n", err)
		return ExitError
	}
	if len(rest) == 0 {
		_, _ = env.Stdout.Write(buf.Bytes())
		return ExitOK
	}
	target := env.abs(rest[0])
	if _, err := os.Stat(target); err == nil {
		fmt.Fprintf(env.Stderr, "upgradegate init: %s already exists; not overwriting it\n", rest[0])
		return ExitError
	} else if !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(env.Stderr, "upgradegate init: %v\n", err)
		return ExitError
	}
	if err := report.WriteFile(target, buf.Bytes()); err != nil {
		fmt.Fprintf(env.Stderr, "upgradegate init: %s\n", strings.Replace(err.Error(), target, rest[0], 1))
		return ExitError
	}
	fmt.Fprintf(env.Stdout, "wrote %s; fill it in, then run: upgradegate check %s\n", rest[0], rest[0])
	return ExitOK
}
