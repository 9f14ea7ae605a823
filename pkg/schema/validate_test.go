package schema_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/cli"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// schemaFor names the schema of a document's kind ("" when it has none).
func schemaFor(kind string) string {
	switch kind {
	case manifest.Kind:
		return "upgrade"
	case policy.Kind:
		return "policy"
	}
	return ""
}

// validateFile validates every manifest and policy document of a file and
// returns how many it validated. With strict, a document of another kind is
// an error.
func validateFile(t *testing.T, schemas map[string]*jsonschema.Schema, file string, strict bool) int {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := documents(data)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	n := 0
	for i, doc := range docs {
		name := schemaFor(kindOf(doc))
		if name == "" {
			if strict {
				t.Errorf("%s: document %d is neither kind: Upgrade nor kind: Policy", file, i+1)
			}
			continue
		}
		v, err := toJSON(doc)
		if err != nil {
			t.Errorf("%s: document %d: %v", file, i+1, err)
			continue
		}
		if err := schemas[name].Validate(v); err != nil {
			t.Errorf("%s: document %d does not validate against the %s schema:\n%v", file, i+1, name, err)
		}
		n++
	}
	return n
}

func compileAll(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	return map[string]*jsonschema.Schema{"upgrade": compile(t, "upgrade"), "policy": compile(t, "policy")}
}

// TestTestdataValidates validates the manifests and policies of the golden
// cases the gate passes them in: the base (which is case base-pass) and the
// files of every *-miss-* case (each of its other files is the base's).
func TestTestdataValidates(t *testing.T) {
	t.Parallel()
	schemas := compileAll(t)
	var files []string
	for _, pattern := range []string{"base", filepath.Join("check", "*-miss-*")} {
		for _, sub := range []string{"upgrades", "policies"} {
			m, err := filepath.Glob(filepath.Join("..", "..", "testdata", pattern, sub, "*.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, m...)
		}
	}
	if len(files) < 10 {
		t.Fatalf("found only %d testdata files; is testdata/check missing?", len(files))
	}
	docs := 0
	for _, f := range files {
		docs += validateFile(t, schemas, f, true)
	}
	t.Logf("%d documents in %d files", docs, len(files))
}

// TestExamplesValidate validates every manifest and policy under examples/.
// Other YAML files there (configuration, Kubernetes objects) are skipped.
func TestExamplesValidate(t *testing.T) {
	t.Parallel()
	schemas := compileAll(t)
	docs := 0
	root := filepath.Join("..", "..", "examples")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if ext := filepath.Ext(p); !d.IsDir() && (ext == ".yaml" || ext == ".yml") {
			docs += validateFile(t, schemas, p, false)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	if docs == 0 {
		t.Skip("examples/ holds no manifest or policy yet")
	}
	t.Logf("%d documents", docs)
}

// TestSpecExamplesValidate validates the manifest and policy examples of the
// specification (docs/spec.md).
func TestSpecExamplesValidate(t *testing.T) {
	t.Parallel()
	schemas := compileAll(t)
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "spec.md"))
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, block := range strings.Split(string(data), "```yaml\n")[1:] {
		block, _, _ = strings.Cut(block, "```")
		docs, err := documents([]byte(block))
		if err != nil || len(docs) != 1 {
			continue
		}
		name := schemaFor(kindOf(docs[0]))
		if name == "" {
			continue
		}
		seen[name] = true
		v, err := toJSON(docs[0])
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas[name].Validate(v); err != nil {
			t.Errorf("the spec's %s example does not validate:\n%v", name, err)
		}
	}
	if !seen["upgrade"] || !seen["policy"] {
		t.Errorf("docs/spec.md: found examples for %v; want upgrade and policy", seen)
	}
}

// TestInitOutputValidates checks that `upgradegate init` writes a manifest
// the schema accepts.
func TestInitOutputValidates(t *testing.T) {
	t.Parallel()
	sch := compile(t, "upgrade")
	for _, args := range [][]string{{"init"}, {"init", "--component", "gitlab", "--from", "16.3.2", "--to", "17.3.7", "--policy", "../policies/gitlab.yaml"}} {
		var out, errb bytes.Buffer
		if code := cli.Run(context.Background(), args, cli.Env{Stdout: &out, Stderr: &errb}); code != cli.ExitOK {
			t.Fatalf("%q: exit %d: %s", args, code, errb.String())
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(out.Bytes(), &doc); err != nil {
			t.Fatal(err)
		}
		v, err := toJSON(&doc)
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); err != nil {
			t.Errorf("%q output does not validate:\n%v\n%s", args, err, out.String())
		}
	}
}

// TestInvalidFragments checks that typical mistakes fail validation, with a
// message that names the problem.
func TestInvalidFragments(t *testing.T) {
	t.Parallel()
	schemas := compileAll(t)
	const up = "apiVersion: upgradegate/v1\nkind: Upgrade\n"
	const pol = "apiVersion: upgradegate/v1\nkind: Policy\n"
	tests := []struct {
		name, schema, doc, want string
	}{
		{"unknown top-level field", "upgrade", up + "spek: {}\nspec: {component: a, from: 1.0.0, to: 2.0.0}", "spek"},
		{"unknown spec field", "upgrade", up + "spec: {component: a, from: 1.0.0, to: 2.0.0, polcy: p.yaml}", "polcy"},
		{"unknown secret field", "upgrade", up + "spec: {component: a, from: 1, to: 2, secrets: [{name: x, store: env, value: s3cret}]}", "value"},
		{"bad secret store", "upgrade", up + "spec: {component: a, from: 1, to: 2, secrets: [{name: x, store: aws}]}", "/spec/secrets/0/store"},
		{"bad apiVersion", "upgrade", "apiVersion: upgradegate/v2\nkind: Upgrade\nspec: {component: a, from: 1.0.0, to: 2.0.0}", "upgradegate/v1"},
		{"wrong kind", "upgrade", "apiVersion: upgradegate/v1\nkind: Policy\nspec: {component: a, from: 1.0.0, to: 2.0.0}", "Upgrade"},
		{"missing to", "upgrade", up + "spec: {component: a, from: 1.0.0}", "to"},
		{"missing spec", "upgrade", up + "metadata: {name: x}", "spec"},
		{"bad downtime", "upgrade", up + "spec: {component: a, from: 1, to: 2, impact: {downtime: 45 minutes}}", "downtime"},
		{"bad date", "upgrade", up + "spec: {component: a, from: 1, to: 2, dryRun: {date: 18/11/2026}}", "date"},
		{"bad URL", "upgrade", up + "spec: {component: a, from: 1, to: 2, impact: {releaseNotes: [docs.example.com]}}", "releaseNotes"},
		{"version not a version", "upgrade", up + "spec: {component: a, from: latest, to: 2}", "from"},
		{"kubernetes secret without file", "upgrade", up + "spec: {component: a, from: 1, to: 2, secrets: [{name: x, store: kubernetes}]}", "file"},
		{"vault field on env secret", "upgrade", up + "spec: {component: a, from: 1, to: 2, secrets: [{name: x, store: env, path: a/b}]}", "path"},
		{"unexceptable rule", "upgrade", up + "spec: {component: a, from: 1, to: 2, exceptions: [{rule: UG001, reason: r, approvedBy: a, expires: 2026-12-01}]}", "rule"},
		{"policy unknown field", "policy", pol + "spec: {component: a, requiredStop: []}", "requiredStop"},
		{"policy bad severity", "policy", pol + "spec: {component: a, checklist: {UG502: fatal}}", "/spec/checklist/UG502"},
		{"policy bad window mode", "policy", pol + "spec: {component: a, downtimeWindow: sometimes}", "/spec/downtimeWindow"},
		{"policy missing component", "policy", pol + "spec: {releases: [1.0.0]}", "component"},
		{"policy bad apiVersion", "policy", "apiVersion: v1\nkind: Policy\nspec: {component: a}", "upgradegate/v1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var doc yaml.Node
			if err := yaml.Unmarshal([]byte(tt.doc), &doc); err != nil {
				t.Fatal(err)
			}
			v, err := toJSON(&doc)
			if err != nil {
				t.Fatal(err)
			}
			err = schemas[tt.schema].Validate(v)
			if err == nil {
				t.Fatalf("the %s schema accepts\n%s", tt.schema, tt.doc)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error does not mention %q:\n%v", tt.want, err)
			}
		})
	}
}

// structural are the rules whose findings the schema can express: YAML
// structure, unknown and missing fields, invalid values and versions,
// incomplete exceptions.
var structural = map[rules.ID]bool{rules.UG001: true, rules.UG002: true, rules.UG003: true, rules.UG004: true, rules.UG101: true, rules.UG903: true}

// deleted, as a value for mutate, removes the field.
type deleted struct{}

func (deleted) String() string { return "<deleted>" }

var deleteField = deleted{}

// mutate returns a copy of the document tree with the field at a dotted path
// set to value (or removed, for deleteField).
func mutate(tree any, path string, value any) any {
	m, ok := tree.(map[string]any)
	if !ok {
		m = map[string]any{}
	}
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	key, rest, nested := strings.Cut(path, ".")
	switch {
	case nested:
		out[key] = mutate(out[key], rest, value)
	case value == deleteField:
		delete(out, key)
	default:
		out[key] = value
	}
	return out
}

// TestSchemaAgreesWithDecoder changes one field of a valid manifest or policy
// at a time and checks that the schema and the gate's decoder both accept, or
// both reject, the result.
func TestSchemaAgreesWithDecoder(t *testing.T) {
	t.Parallel()
	schemas := compileAll(t)
	base := func(file string) any {
		data, err := os.ReadFile(filepath.Join("..", "..", "testdata", "base", file))
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		v, err := toJSON(&doc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	bases := map[string]any{"upgrade": base("upgrades/app.yaml"), "policy": base("policies/app.yaml")}
	type l = []any
	type m = map[string]any
	exc := func(rule, expires string) m {
		return m{"rule": rule, "reason": "r", "approvedBy": "@cto", "expires": expires}
	}
	tests := []struct {
		schema, path string
		value        any
		valid        bool
	}{
		{"upgrade", "metadata", nil, true},
		{"upgrade", "metadata.labels", m{"team": "platform", "tier": 1}, true},
		{"upgrade", "metadata.labels", m{"team": l{"a"}}, false},
		{"upgrade", "metadata.owner", "x", false},
		{"upgrade", "apiVersion", "upgradegate/v2", false},
		{"upgrade", "apiVersion", deleteField, false},
		{"upgrade", "kind", "Policy", false},
		{"upgrade", "spec.component", "", false},
		{"upgrade", "spec.component", deleteField, false},
		{"upgrade", "spec.from", 1, true},
		{"upgrade", "spec.from", 1.2, true},
		{"upgrade", "spec.from", "v1.2.0", true},
		{"upgrade", "spec.from", "1.2.0-rc.1", true},
		{"upgrade", "spec.from", "one", false},
		{"upgrade", "spec.from", "", false},
		{"upgrade", "spec.to", deleteField, false},
		{"upgrade", "spec.to", l{"2.2.0"}, false},
		{"upgrade", "spec.path", l{}, true},
		{"upgrade", "spec.path", nil, true},
		{"upgrade", "spec.path", l{"1.2.5", 2}, true},
		{"upgrade", "spec.path", l{"x"}, false},
		{"upgrade", "spec.path", "1.2.5", false},
		{"upgrade", "spec.environment", nil, true},
		{"upgrade", "spec.environment", m{"postgresql": 14}, true},
		{"upgrade", "spec.environment", m{"postgresql": ""}, false},
		{"upgrade", "spec.environment", m{"postgresql": "fourteen"}, false},
		{"upgrade", "spec.impact.downtime", "none", true},
		{"upgrade", "spec.impact.downtime", "None", true},
		{"upgrade", "spec.impact.downtime", "1w2d", true},
		{"upgrade", "spec.impact.downtime", "1.5h", true},
		{"upgrade", "spec.impact.downtime", 0, true},
		{"upgrade", "spec.impact.downtime", "45 minutes", false},
		{"upgrade", "spec.impact.downtime", 45, false},
		{"upgrade", "spec.impact.migrations", "yes", false},
		{"upgrade", "spec.impact.window", nil, true},
		{"upgrade", "spec.impact.window", m{"start": "2026-12-01"}, false},
		{"upgrade", "spec.impact.window", m{"start": "2026-12-01", "end": "2026-12-01T23:30:00+01:00"}, true},
		{"upgrade", "spec.impact.window", m{"start": "tonight", "end": "2026-12-01"}, false},
		{"upgrade", "spec.impact.window", m{"start": "2026-12-01", "end": "2026-12-02", "tz": "UTC"}, false},
		{"upgrade", "spec.impact.releaseNotes", "https://example.com/notes", true},
		{"upgrade", "spec.impact.releaseNotes", l{"notes.md"}, false},
		{"upgrade", "spec.impact.releaseNotes", l{"ftp://example.com/notes"}, false},
		{"upgrade", "spec.impact.risks", l{""}, false},
		{"upgrade", "spec.impact.risks", m{"a": "b"}, false},
		{"upgrade", "spec.rollback", nil, true},
		{"upgrade", "spec.rollback.tested", "true", false},
		{"upgrade", "spec.rollback.steps", "restore the backup", true},
		{"upgrade", "spec.stakeholders.notify", l{"end-users"}, true},
		{"upgrade", "spec.stakeholders.channels", "#x", false},
		{"upgrade", "spec.config", l{m{"file": "values.yaml", "key": "a.b"}}, true},
		{"upgrade", "spec.config", l{m{"file": "values.yaml", "key": "a.b", "expect": "absent", "owner": "@bob"}}, true},
		{"upgrade", "spec.config", l{m{"file": "values.yaml", "key": "a.b", "expect": "gone"}}, false},
		{"upgrade", "spec.config", l{m{"file": "values.yaml"}}, false},
		{"upgrade", "spec.config", l{nil}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "env"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "github"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "github", "scope": "org"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "github", "scope": "environment", "environment": "prod"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "github", "scope": "environment"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "github", "environment": "prod"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "github", "scope": "team"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "vault", "path": "secret/app/db", "key": "pw"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "vault", "path": "/secret/app/"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "vault", "path": "secret/"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "vault"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "vault", "path": "a/b", "file": "k.yaml"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "db", "store": "kubernetes", "file": "k8s/s.yaml", "namespace": "app"}}, true},
		{"upgrade", "spec.secrets", l{m{"name": "db", "store": "kubernetes"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "db", "store": "kubernetes", "file": "k.yaml", "key": "pw"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "env", "scope": "repo"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB", "store": "aws"}}, false},
		{"upgrade", "spec.secrets", l{m{"name": "DB"}}, false},
		{"upgrade", "spec.secrets", l{m{"store": "env"}}, false},
		{"upgrade", "spec.dryRun.result", "failed", true},
		{"upgrade", "spec.dryRun.result", "ok", false},
		{"upgrade", "spec.dryRun.version", "v2.2.0", true},
		{"upgrade", "spec.dryRun.version", "latest", false},
		{"upgrade", "spec.dryRun.date", "2026-11-18T10:00:00Z", true},
		{"upgrade", "spec.dryRun.date", "18/11/2026", false},
		{"upgrade", "spec.dryRun.evidence", "see the CI log", true},
		{"upgrade", "spec.dryRun.evidence", "ftp://ci.example.com/1", false},
		{"upgrade", "spec.monitoring", l{"the grafana board", "https://grafana.example.com"}, true},
		{"upgrade", "spec.monitoring", l{"ftp://grafana.example.com"}, false},
		{"upgrade", "spec.monitoring", "https://grafana.example.com", true},
		{"upgrade", "spec.monitoring", "ftp://grafana.example.com", false},
		{"upgrade", "spec.healthChecks", l{""}, false},
		{"upgrade", "spec.database", m{"verify": "rowCounts"}, true},
		{"upgrade", "spec.database", m{"check": l{"rowCounts"}}, false},
		{"upgrade", "spec.docs", l{"docs/runbook.md"}, true},
		{"upgrade", "spec.review", m{"owner": "@carol", "due": "2026-12-08"}, true},
		{"upgrade", "spec.review", m{"due": "next week"}, false},
		{"upgrade", "spec.exceptions", nil, true},
		{"upgrade", "spec.exceptions", l{exc("UG502", "2026-12-15")}, true},
		{"upgrade", "spec.exceptions", l{m{"rule": "UG502", "match": "rollback", "reason": "r", "approvedBy": "@cto", "expires": "2026-12-15T00:00:00Z"}}, true},
		{"upgrade", "spec.exceptions", l{exc("UG001", "2026-12-15")}, false},
		{"upgrade", "spec.exceptions", l{exc("UG901", "2026-12-15")}, false},
		{"upgrade", "spec.exceptions", l{exc("UG999", "2026-12-15")}, false},
		{"upgrade", "spec.exceptions", l{exc("UG502", "soon")}, false},
		{"upgrade", "spec.exceptions", l{m{"rule": "UG502", "approvedBy": "@cto", "expires": "2026-12-15"}}, false},
		{"upgrade", "spec.exceptions", l{m{"rule": "UG502", "reason": "r", "approvedBy": "@cto", "expires": "2026-12-15", "ticket": "X-1"}}, false},

		{"policy", "kind", "Upgrade", false},
		{"policy", "spec.component", deleteField, false},
		{"policy", "spec.releases", l{1, "2.0.0", 2.1}, true},
		{"policy", "spec.releases", l{"next"}, false},
		{"policy", "spec.releases", nil, true},
		{"policy", "spec.requiredStops", l{m{"version": "1.2.5", "conditional": "only big ones"}}, true},
		{"policy", "spec.requiredStops", l{m{"conditional": "only big ones"}}, false},
		{"policy", "spec.requiredStops", l{m{"version": "1.2.5", "note": "x"}}, false},
		{"policy", "spec.requiredStops", l{m{"version": "x"}}, false},
		{"policy", "spec.maxStep", m{"major": 1, "minor": 0}, true},
		{"policy", "spec.maxStep", m{"major": -1}, false},
		{"policy", "spec.maxStep", m{"major": "1"}, false},
		{"policy", "spec.maxStep", m{"majors": 1}, false},
		{"policy", "spec.blocked", l{m{"from": ">= 1.0", "to": ">= 2.0"}}, true},
		{"policy", "spec.blocked", l{m{"from": ">= 1.0"}}, false},
		{"policy", "spec.blocked", l{m{"from": ">= 1.0", "to": ">= 2.0", "url": "ftp://x"}}, false},
		{"policy", "spec.blocked", l{m{"from": ">= 1.0", "to": ">= 2.0", "why": "x"}}, false},
		{"policy", "spec.compatibility", l{m{"versions": ">= 1.0", "requires": m{"postgresql": ">= 13"}}}, true},
		{"policy", "spec.compatibility", l{m{"requires": m{}}}, false},
		{"policy", "spec.compatibility", l{m{"versions": ">= 1.0", "needs": m{}}}, false},
		{"policy", "spec.checklist", m{"UG502": "warning", "UG513": "off", "UG422": "notice", "UG509": "error"}, true},
		{"policy", "spec.checklist", m{"UG502": "/spec/checklist/UG502"}, false},
		{"policy", "spec.checklist", m{"UG001": "off"}, false},
		{"policy", "spec.checklist", m{"UG903": "warning"}, false},
		{"policy", "spec.checklist", m{"rollback": "warning"}, false},
		{"policy", "spec.dryRunMaxAge", "2w", true},
		{"policy", "spec.dryRunMaxAge", "0", false},
		{"policy", "spec.dryRunMaxAge", "two weeks", false},
		{"policy", "spec.downtimeWindow", "major", true},
		{"policy", "spec.downtimeWindow", "migrations", true},
		{"policy", "spec.downtimeWindow", "always", true},
		{"policy", "spec.downtimeWindow", "never", true},
		{"policy", "spec.downtimeWindow", "sometimes", false},
		{"policy", "spec.exceptions", l{exc("UG502", "2026-12-15")}, true},
		{"policy", "spec.exceptions", l{exc("UG002", "2026-12-15")}, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%s=%v", tt.schema, tt.path, tt.value), func(t *testing.T) {
			t.Parallel()
			tree := mutate(bases[tt.schema], tt.path, tt.value)
			data, err := yaml.Marshal(tree)
			if err != nil {
				t.Fatal(err)
			}
			doc, fs := decode(t, tt.schema, data)
			var decoderErrs []string
			for _, f := range fs {
				if structural[f.Rule] {
					decoderErrs = append(decoderErrs, f.Rule.String()+" "+f.Message)
				}
			}
			v, err := toJSON(doc)
			if err != nil {
				t.Fatal(err)
			}
			schemaErr := schemas[tt.schema].Validate(v)
			if got := len(decoderErrs) == 0; got != tt.valid {
				t.Errorf("%s = %#v: decoder accepts = %v, want %v; findings: %q", tt.path, tt.value, got, tt.valid, decoderErrs)
			}
			if got := schemaErr == nil; got != tt.valid {
				t.Errorf("%s = %#v: schema accepts = %v, want %v; error: %v", tt.path, tt.value, got, tt.valid, schemaErr)
			}
		})
	}
}
