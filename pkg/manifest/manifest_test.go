package manifest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

func decodeOne(t *testing.T, text string) (*Manifest, []string) {
	t.Helper()
	docs, syntax := yamldoc.Parse("m.yaml", []byte(text))
	if syntax != nil {
		return nil, []string{syntax.String()}
	}
	m, fs := Decode("m.yaml", 0, docs[0])
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return m, out
}

func TestDecodePositions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "unknown field suggests the nearest",
			text: "apiVersion: upgradegate/v1\nkind: Upgrade\nspec:\n  component: a\n  from: 1.0.0\n  to: 2.0.0\n  rollbak: {}\n",
			want: []string{`m.yaml:7:3: error: unknown field "rollbak" in spec; did you mean "rollback"? [UG002]`},
		},
		{
			name: "missing required fields point at the parent key",
			text: "apiVersion: upgradegate/v1\nkind: Upgrade\nspec:\n  component: a\n",
			want: []string{"m.yaml:3:1: error: spec.from is missing [UG003]", "m.yaml:3:1: error: spec.to is missing [UG003]"},
		},
		{
			name: "apiVersion other than v1",
			text: "apiVersion: upgradegate/v2\nkind: Upgrade\nspec: {component: a, from: 1.0.0, to: 2.0.0}\n",
			want: []string{`m.yaml:1:13: error: apiVersion "upgradegate/v2" is not supported: expected "upgradegate/v1" [UG004]`},
		},
		{
			name: "versions keep their text: 16.10 is not 16.1",
			text: "apiVersion: upgradegate/v1\nkind: Upgrade\nspec: {component: a, from: 16.10, to: 16.11}\n",
		},
		{
			name: "bad version, date, duration, bool, enum",
			text: "apiVersion: upgradegate/v1\nkind: Upgrade\nspec:\n  component: a\n  from: x.y\n  to: 2.0.0\n  impact: {downtime: soon, migrations: maybe}\n  dryRun: {date: 2026-13-01, result: ok}\n",
			want: []string{
				`m.yaml:5:9: error: version "x.y" of spec.from cannot be parsed [UG101]`,
				`m.yaml:7:22: error: invalid duration "soon": write a number and a unit (s, m, h, d, w), like 45m or 14d [UG004]`,
				`m.yaml:7:40: error: spec.impact.migrations must be true or false, not "maybe" [UG004]`,
				`m.yaml:8:18: error: invalid date "2026-13-01": write YYYY-MM-DD or an RFC 3339 time like 2026-12-01T22:00:00Z [UG004]`,
				`m.yaml:8:38: error: dry run result "ok" is not passed or failed [UG004]`,
			},
		},
		{
			name: "duplicate key",
			text: "apiVersion: upgradegate/v1\nkind: Upgrade\nspec:\n  component: a\n  from: 1.0.0\n  to: 2.0.0\n  to: 3.0.0\n",
			want: []string{`m.yaml:7:3: error: duplicate key "to" (first defined at line 6) [UG001]`},
		},
		{
			name: "secret store fields",
			text: "apiVersion: upgradegate/v1\nkind: Upgrade\nspec:\n  component: a\n  from: 1.0.0\n  to: 2.0.0\n  secrets:\n    - {name: X, store: valt}\n    - {name: Y, store: vault, path: nomount}\n    - {name: Z, store: env, file: a.yaml}\n",
			want: []string{
				`m.yaml:8:24: error: unknown secret store "valt"; did you mean "vault"? [UG004]`,
				`m.yaml:9:37: error: vault path "nomount" has no mount: expected MOUNT/PATH [UG004]`,
				`m.yaml:10:35: error: file is not used by the env store [UG004]`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, got := decodeOne(t, tt.text)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeKeepsValues(t *testing.T) {
	t.Parallel()
	m, fs := decodeOne(t, strings.Join([]string{
		"apiVersion: upgradegate/v1", "kind: Upgrade", "metadata: {name: n}", "spec:",
		"  component: gitlab", "  from: 16.3.2", "  to: 17.3.7", "  path: [16.3.9, 16.7.10]",
		"  environment: {postgresql: 14.10}",
		"  impact: {downtime: 2d, migrations: true, window: {start: 2026-12-01T22:00:00Z, end: 2026-12-01T23:30:00Z}}",
		"  rollback: {steps: [a], tested: true}",
		"  secrets: [{name: DB, store: github, scope: environment, environment: production}]",
	}, "\n")+"\n")
	if len(fs) != 0 {
		t.Fatalf("unexpected findings: %v", fs)
	}
	if got := m.Spec.Environment[0].Version.Raw; got != "14.10" {
		t.Errorf("environment version = %q, want 14.10 (YAML would read 14.1)", got)
	}
	if got := m.Spec.Path[1].Raw; got != "16.7.10" {
		t.Errorf("path[1] = %q", got)
	}
	if got := m.Loc.Locate("spec.path[1]"); got != (yamldoc.Pos{Line: 8, Column: 18}) {
		t.Errorf("position of spec.path[1] = %v", got)
	}
	if got := *m.Spec.Impact.Downtime; got.Hours() != 48 {
		t.Errorf("downtime = %v", got)
	}
	if s := m.Spec.Secrets[0]; s.Field("scope") != "environment" || s.Field("environment") != "production" {
		t.Errorf("secret = %+v", s)
	}
}

func TestDecodeOutcome(t *testing.T) {
	t.Parallel()
	const head = "apiVersion: upgradegate/v1\nkind: Upgrade\nspec:\n  component: a\n  from: 1.0.0\n  to: 2.0.0\n"
	m, fs := decodeOne(t, head+`  outcome:
    date: 2026-12-02
    result: rolled-back
    healthChecks: failed
    verified: [rowCounts, checksums]
    evidence: https://ci.example.com/runs/456
    postUpgradeDone: true
    monitoredUntil: 2026-12-09
    followUp: https://issues.example.com/123
  review: {owner: "@carol", due: 2026-12-08, done: 2026-12-07, notes: https://wiki.example.com/pir/42}
  docsUpdated: true
`)
	if len(fs) != 0 {
		t.Fatalf("findings: %q", fs)
	}
	o := m.Spec.Outcome
	if o == nil || o.DateRaw != "2026-12-02" || o.Result != OutcomeRolledBack || o.HealthChecks != "failed" ||
		!cmp.Equal(o.Verified, []string{"rowCounts", "checksums"}) || !o.PostUpgradeDone || o.MonitoredUntilRaw != "2026-12-09" ||
		o.FollowUp != "https://issues.example.com/123" || o.Evidence != "https://ci.example.com/runs/456" {
		t.Errorf("outcome = %+v", o)
	}
	if !o.Failed() || !m.HasOutcome() {
		t.Errorf("a rolled-back outcome: Failed %v, HasOutcome %v", o.Failed(), m.HasOutcome())
	}
	r := m.Spec.Review
	if r.DoneRaw != "2026-12-07" || r.Done.IsZero() || r.Notes != "https://wiki.example.com/pir/42" || !m.Spec.DocsUpdated {
		t.Errorf("review = %+v, docsUpdated %v", r, m.Spec.DocsUpdated)
	}
	if p := m.Loc.Locate("spec.outcome.result"); p.Line != 9 || p.Column != 13 {
		t.Errorf("outcome.result at %+v, want 9:13", p)
	}

	for _, tt := range []struct{ name, text, want string }{
		{"bad result", "  outcome: {date: 2026-12-02, result: succeded}\n",
			`m.yaml:7:39: error: outcome result "succeded" is not one of succeeded, rolled-back, failed; did you mean "succeeded"? [UG004]`},
		{"bad health", "  outcome: {date: 2026-12-02, result: failed, healthChecks: ok}\n",
			`m.yaml:7:61: error: outcome healthChecks "ok" is not one of passed, failed [UG004]`},
		{"no result", "  outcome: {date: 2026-12-02}\n", `m.yaml:7:3: error: spec.outcome.result is missing [UG003]`},
		{"no date", "  outcome: {result: succeeded}\n", `m.yaml:7:3: error: spec.outcome.date is missing [UG003]`},
		{"empty", "  outcome:\n", `m.yaml:7:11: error: outcome is empty [UG004]`},
		{"bad date", "  review: {owner: \"@c\", done: yesterday}\n",
			`m.yaml:7:31: error: invalid date "yesterday": write YYYY-MM-DD or an RFC 3339 time like 2026-12-01T22:00:00Z [UG004]`},
		{"bad link", "  outcome: {date: 2026-12-02, result: failed, followUp: \"ftp://x/1\"}\n",
			`m.yaml:7:57: error: invalid URL "ftp://x/1": expected an absolute http(s) URL [UG004]`},
		{"docsUpdated not a bool", "  docsUpdated: yes please\n", `m.yaml:7:16: error: spec.docsUpdated must be true or false, not "yes please" [UG004]`},
	} {
		_, fs := decodeOne(t, head+tt.text)
		if len(fs) != 1 || fs[0] != tt.want {
			t.Errorf("%s: findings %q, want %q", tt.name, fs, tt.want)
		}
	}
}
