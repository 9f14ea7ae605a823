package schema_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/schema"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

func TestFor(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		want    []byte
		wantErr string
	}{
		{"upgrade", schema.Upgrade(), ""},
		{"policy", schema.Policy(), ""},
		{"Policy", schema.Policy(), ""},
		{"manifest", nil, `unknown schema "manifest": expected one of upgrade, policy`},
		{"", nil, `unknown schema "": expected one of upgrade, policy`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := schema.For(tt.name)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("For(%q) error = %v, want %q", tt.name, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("For(%q): %v", tt.name, err)
			}
			if !bytes.Equal(got, tt.want) {
				t.Errorf("For(%q) is not the %s schema", tt.name, tt.name)
			}
		})
	}
	if got := schema.Names(); !cmp.Equal(got, []string{"upgrade", "policy"}) {
		t.Errorf("Names() = %q", got)
	}
	// Callers get copies: changing one leaves the embedded schema intact.
	b := schema.Upgrade()
	b[0] = 'X'
	if schema.Upgrade()[0] != '{' {
		t.Error("Upgrade() returns the embedded bytes, not a copy")
	}
}

func TestHeader(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ name, kind string }{{"upgrade", manifest.Kind}, {"policy", policy.Kind}} {
		var doc map[string]any
		data, _ := schema.For(tt.name)
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		props := doc["properties"].(map[string]any)
		got := map[string]any{
			"$schema": doc["$schema"], "$id": doc["$id"], "hasTitle": doc["title"] != nil,
			"required": doc["required"], "additionalProperties": doc["additionalProperties"],
			"apiVersion": props["apiVersion"].(map[string]any)["const"], "kind": props["kind"].(map[string]any)["const"],
		}
		want := map[string]any{
			"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "https://upgradegate.dev/schema/v1/" + tt.name + ".json",
			"hasTitle": true, "required": []any{"apiVersion", "kind", "spec"}, "additionalProperties": false,
			"apiVersion": manifest.APIVersion, "kind": tt.kind,
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s schema header (-want +got):\n%s", tt.name, diff)
		}
		if !bytes.HasSuffix(data, []byte("}\n")) {
			t.Errorf("%s schema does not end with a newline", tt.name)
		}
	}
}

// TestFieldsMatchDecoders checks that every mapping of the schema lists
// exactly the fields the decoder knows, in the same order.
func TestFieldsMatchDecoders(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		fields map[string][]string
	}{{"upgrade", manifest.Fields()}, {"policy", policy.Fields()}} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := schemaTree(t, tt.name)
			got := map[string][]string{}
			var walk func(n *yaml.Node, path string)
			walk = func(n *yaml.Node, path string) {
				n = deref(t, root, n)
				if props := get(n, "properties"); props != nil {
					got[path] = keys(props)
					for i := 0; i+1 < len(props.Content); i += 2 {
						walk(props.Content[i+1], yamldoc.Join(path, props.Content[i].Value))
					}
					if ap := get(n, "additionalProperties"); ap == nil || ap.Value != "false" {
						t.Errorf("%q lists its fields but does not set additionalProperties: false", path)
					}
				}
				if items := get(n, "items"); items != nil {
					walk(items, path+"[]")
				}
			}
			walk(root, "")
			if diff := cmp.Diff(tt.fields, got); diff != "" {
				t.Errorf("schema fields differ from the decoder's (-decoder +schema):\n%s", diff)
			}
		})
	}
}

// TestDescriptions checks that every field has a one-line description.
func TestDescriptions(t *testing.T) {
	t.Parallel()
	for _, name := range schema.Names() {
		root := schemaTree(t, name)
		var fields func(n *yaml.Node, path string)
		fields = func(n *yaml.Node, path string) {
			n = deref(t, root, n)
			if items := get(n, "items"); items != nil {
				fields(items, path+"[]")
			}
			props := get(n, "properties")
			if props == nil {
				return
			}
			for i := 0; i+1 < len(props.Content); i += 2 {
				p, field := yamldoc.Join(path, props.Content[i].Value), props.Content[i+1]
				d := get(field, "description")
				if d == nil {
					d = get(deref(t, root, field), "description")
				}
				switch {
				case d == nil || strings.TrimSpace(d.Value) == "":
					t.Errorf("%s: %q has no description", name, p)
				case strings.Contains(d.Value, "\n"):
					t.Errorf("%s: description of %q is not one line", name, p)
				}
				fields(field, p)
			}
		}
		fields(root, "")
		for _, k := range []string{"title", "description"} {
			if get(root, k) == nil {
				t.Errorf("%s: no %s", name, k)
			}
		}
	}
}

// TestSharedDefinitions checks that the definitions both schemas hold (the
// metadata, exceptions, versions, dates) are the same in both.
func TestSharedDefinitions(t *testing.T) {
	t.Parallel()
	defs := func(name string) map[string]any {
		var doc map[string]any
		data, _ := schema.For(name)
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		return doc["$defs"].(map[string]any)
	}
	up, pol := defs("upgrade"), defs("policy")
	shared := 0
	for name, d := range up {
		if p, ok := pol[name]; ok {
			shared++
			if diff := cmp.Diff(d, p); diff != "" {
				t.Errorf("$defs.%s differs between the schemas (-upgrade +policy):\n%s", name, diff)
			}
		}
	}
	if shared < 4 {
		t.Errorf("only %d shared definitions; want metadata, version, time and exceptions", shared)
	}
}

// TestVersionPattern checks that versions are matched with the gate's own
// expression (yamldoc.ParseVersion's).
func TestVersionPattern(t *testing.T) {
	t.Parallel()
	want := yamldoc.VersionPattern
	for _, name := range schema.Names() {
		if got := get(get(get(schemaTree(t, name), "$defs"), "version"), "pattern").Value; got != want {
			t.Errorf("%s: version pattern\n %s\nwant\n %s", name, got, want)
		}
	}
}

// patterns returns every pattern of the schema that matches the selector.
func patterns(t *testing.T, name string, selector *regexp.Regexp) []string {
	t.Helper()
	seen := map[string]bool{}
	var out []string
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n.Kind == yaml.MappingNode {
			if p := get(n, "pattern"); p != nil && selector.MatchString(p.Value) && !seen[p.Value] {
				seen[p.Value] = true
				out = append(out, p.Value)
			}
		}
		for _, c := range n.Content {
			walk(c)
		}
	}
	walk(schemaTree(t, name))
	return out
}

// agree checks that a pattern accepts exactly the samples the gate's parser does.
func agree(t *testing.T, what, pattern string, samples []string, parses func(string) bool) {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for _, s := range samples {
		if got, want := re.MatchString(s), parses(s); got != want {
			t.Errorf("%s pattern %s: matches %q = %v, but the gate's parser says %v", what, pattern, s, got, want)
		}
	}
}

func TestPatternsAgreeWithParsers(t *testing.T) {
	t.Parallel()
	// Known, deliberate gaps (the schema is stricter or looser than the gate):
	// impossible days like 2026-02-30 and odd offsets like +24:00 (patterns
	// cannot see them), durations over 100 years, zero durations like 0s for
	// dryRunMaxAge, and upper-case URL schemes.
	times := []string{"2026-11-18", "2026-12-01T22:00:00Z", "2026-12-01T22:00:00.123Z", "2026-12-01T22:00:00+01:00",
		"2026-12-01T22:00:00-05:30", "2026-12-01t22:00:00z", "2026-12-01 22:00:00Z", "2026-12-01T22:00Z", "2026-13-01",
		"2026-12-32", "2026-1-1", "18/11/2026", "tomorrow", "2026-12-01T24:00:00Z", "2026-12-01T22:60:00Z",
		"2026-12-01T22:00:00", "20261201", "", "2026-12-01T"}
	durations := []string{"45m", "14d", "1w2d", "36h", "1.5h", "2h30m", "500ms", "10us", "10µs", "1ns", "1w", "",
		"45", "m", "-5m", "+5m", "1 h", "1H", "1y", "14days", "1.h", ".5h", "1e3s", "none", "0"}
	// versions: numbers that YAML reads as numbers (1e400, 0x10 unquoted)
	// reach the schema as numbers, which patterns do not see, and segments
	// over int64 are the parser's alone
	versions := []string{"17.3.7", "v1.29", "1", "1.30.0-rc.1", "v1.29.4+k3s1", "1.0-beta~2", "16.10", "1e400", "0x10",
		"1.2.3a", "1.0-", "1.0+", "1..2", "1.", ".1", "1.0-a..b", "V1.0", "vv1", "one.two", "", "1.0 ", "1.0+a+b"}
	urls := []string{"https://example.com/x", "http://x", "https://x/a b", "https://x?q=1", "https://", "ftp://x",
		"example.com", "https:/x", "https://x y", "mailto:x@example.com", ""}

	dates, links, vers := 0, 0, 0
	for _, name := range schema.Names() {
		for _, p := range patterns(t, name, regexp.MustCompile(`^\^v\?`)) {
			vers++
			agree(t, name+" version", p, versions, func(s string) bool {
				_, err := yamldoc.ParseVersion(s)
				return err == nil && s == strings.TrimSpace(s) // the pattern has no room for space
			})
		}
		for _, p := range patterns(t, name, regexp.MustCompile(`^\^\[0-9\]\{4\}-`)) {
			dates++
			agree(t, name+" date", p, times, func(s string) bool { _, err := yamldoc.ParseTime(s); return err == nil })
		}
		for _, p := range patterns(t, name, regexp.MustCompile(`^\^https`)) {
			links++
			agree(t, name+" URL", p, urls, func(s string) bool { return yamldoc.ParseURL(s) == nil })
		}
	}
	if dates == 0 || links == 0 || vers == 0 {
		t.Fatalf("found %d date, %d URL and %d version patterns in the schemas: the test would check nothing", dates, links, vers)
	}
	root := schemaTree(t, "upgrade")
	downtime := get(get(at(t, root, "spec.impact.downtime"), "anyOf").Content[0], "pattern").Value
	agree(t, "downtime", downtime, durations, func(s string) bool {
		_, err := yamldoc.ParseDuration(s)
		return strings.EqualFold(s, "none") || err == nil
	})
	maxAge := get(at(t, schemaTree(t, "policy"), "spec.dryRunMaxAge"), "pattern").Value
	agree(t, "dryRunMaxAge", maxAge, durations, func(s string) bool {
		d, err := yamldoc.ParseDuration(s)
		return err == nil && d > 0
	})
}

// TestRuleIDPatterns checks that exceptions and checklists accept exactly
// the rules that can be excepted or reconfigured.
func TestRuleIDPatterns(t *testing.T) {
	t.Parallel()
	var pats, descs []string
	for _, name := range schema.Names() {
		rule := at(t, schemaTree(t, name), "spec.exceptions[].rule")
		pats = append(pats, get(rule, "pattern").Value)
		descs = append(descs, get(rule, "description").Value)
	}
	checklist := at(t, schemaTree(t, "policy"), "spec.checklist")
	pats = append(pats, get(get(checklist, "propertyNames"), "pattern").Value)
	descs = append(descs, get(checklist, "description").Value)
	for _, d := range descs {
		if !strings.Contains(d, "rules "+rules.FixedList()+" cannot be") {
			t.Errorf("description %q does not name the fixed rules %s", d, rules.FixedList())
		}
	}
	for _, p := range pats {
		re := regexp.MustCompile(p)
		for _, r := range rules.All() {
			if re.MatchString(r.ID.String()) != r.Configurable() {
				t.Errorf("pattern %s: matches %s = %v, but Configurable() = %v", p, r.ID, !r.Configurable(), r.Configurable())
			}
		}
	}
}

func enumOf(t *testing.T, n *yaml.Node) []string {
	t.Helper()
	e := get(n, "enum")
	if e == nil {
		t.Fatalf("line %d: no enum", n.Line)
	}
	var out []string
	for _, c := range e.Content {
		out = append(out, c.Value)
	}
	return out
}

// TestEnumsMatchDecoders checks every enum against the list the decoder
// names in its hint ("expected one of ...") when the value is wrong.
func TestEnumsMatchDecoders(t *testing.T) {
	t.Parallel()
	const head = "apiVersion: upgradegate/v1\nkind: Upgrade\nspec: {component: a, from: 1.0.0, to: 2.0.0, "
	const polHead = "apiVersion: upgradegate/v1\nkind: Policy\nspec: {component: a, "
	tests := []struct {
		name, schema, path, doc string
	}{
		{"secret store", "upgrade", "spec.secrets[].store", head + "secrets: [{name: x, store: bogus}]}"},
		{"github scope", "upgrade", "spec.secrets[].scope", head + "secrets: [{name: x, store: github, scope: bogus}]}"},
		{"config expect", "upgrade", "spec.config[].expect", head + "config: [{file: f, key: k, expect: bogus}]}"},
		{"dry run result", "upgrade", "spec.dryRun.result", head + "dryRun: {result: bogus}}"},
		{"downtime window", "policy", "spec.downtimeWindow", polHead + "downtimeWindow: bogus}"},
		{"checklist severity", "policy", "spec.checklist.*", polHead + "checklist: {UG502: bogus}}"},
		{"import format", "policy", "spec.import[].format", polHead + "import: [{format: bogus, file: f.json}]}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, fs := decode(t, tt.schema, []byte(tt.doc))
			var decoder []string
			for _, f := range fs {
				if list, ok := strings.CutPrefix(f.Hint, "expected one of "); ok && f.Rule == rules.UG004 {
					decoder = strings.Split(list, ", ")
				}
			}
			if decoder == nil {
				t.Fatalf("the decoder gave no \"expected one of\" hint: %+v", fs)
			}
			if diff := cmp.Diff(decoder, enumOf(t, at(t, schemaTree(t, tt.schema), tt.path))); diff != "" {
				t.Errorf("%s enum differs from the decoder's list (-decoder +schema):\n%s", tt.path, diff)
			}
		})
	}
	var sevs []string
	for s := finding.Error; s >= finding.Off; s-- {
		sevs = append(sevs, s.String())
	}
	if diff := cmp.Diff(sevs, enumOf(t, at(t, schemaTree(t, "policy"), "spec.checklist.*"))); diff != "" {
		t.Errorf("checklist severities differ from finding's (-finding +schema):\n%s", diff)
	}
}
