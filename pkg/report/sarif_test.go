package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// sarifSchema compiles the vendored SARIF 2.1.0 schema (see
// testdata/sarif-schema-2.1.0.SOURCE.md), asserting formats such as uri and
// uri-reference too.
func sarifSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("testdata/sarif-schema-2.1.0.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const loc = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	if err := c.AddResource(loc, doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile(loc)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func sarifBytes(t *testing.T, r *Report, maxResults int) []byte {
	t.Helper()
	b, err := json.Marshal(buildSARIF(r, printersOptions, maxResults))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSARIFValidatesAgainstSchema(t *testing.T) {
	t.Parallel()
	sch := sarifSchema(t)
	noFile := printersFixture()
	noFile.Findings = append(noFile.Findings, finding.Finding{Rule: rules.UG005, Severity: finding.Error, Message: "policy unreadable"})
	unknown := New(nil, []finding.Finding{{Rule: rules.ID{}, Severity: finding.Warning, File: "a b/c%d#e?.yaml", Line: 0, Column: 0}}, nil, finding.Error)
	cases := map[string][]byte{
		"mixed":       sarifBytes(t, printersFixture(), sarifMaxResults),
		"empty":       sarifBytes(t, New(nil, nil, nil, finding.Error), sarifMaxResults),
		"truncated":   sarifBytes(t, printersFixture(), 2),
		"no file":     sarifBytes(t, noFile, sarifMaxResults),
		"unknown":     sarifBytes(t, unknown, sarifMaxResults),
		"no version":  mustSARIF(t, printersFixture(), Options{}),
		"via printer": mustSARIF(t, printersFixture(), printersOptions),
	}
	for name, b := range cases {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate against the 2.1.0 schema: %v", name, err)
		}
	}

	// The schema is live: what go-sarif v2.3.3 writes for a suppression, and a
	// line 0, are rejected.
	for name, bad := range map[string]func(string) string{
		"null suppression status": func(s string) string {
			return strings.Replace(s, `"status":"accepted"`, `"status":null`, 1)
		},
		"line 0":       func(s string) string { return strings.Replace(s, `"startLine":9`, `"startLine":0`, 1) },
		"level notice": func(s string) string { return strings.Replace(s, `"level":"note"`, `"level":"notice"`, 1) },
	} {
		good := string(cases["mixed"])
		if bad(good) == good {
			t.Fatalf("%s: the mutation matched nothing", name)
		}
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad(good)))
		if err != nil {
			t.Fatal(err)
		}
		if sch.Validate(inst) == nil {
			t.Errorf("%s: the schema accepted an invalid log", name)
		}
	}
}

func mustSARIF(t *testing.T, r *Report, o Options) []byte {
	t.Helper()
	var out bytes.Buffer
	if err := SARIF(&out, r, o); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestSARIFMeetsCodeScanningRequirements(t *testing.T) {
	t.Parallel()
	r := printersFixture()
	log := buildSARIF(r, printersOptions, sarifMaxResults)
	if log.Schema == "" || log.Version != "2.1.0" || len(log.Runs) != 1 {
		t.Fatalf("want $schema, version 2.1.0 and one run, got %q %q %d runs", log.Schema, log.Version, len(log.Runs))
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "upgradegate" || d.InformationURI != rules.RepositoryURL || d.Version != "1.2.3" {
		t.Errorf("driver = %q %q %q", d.Name, d.InformationURI, d.Version)
	}

	catalog := rules.All()
	if len(d.Rules) != len(catalog) {
		t.Fatalf("driver has %d rules, want all %d of the catalog", len(d.Rules), len(catalog))
	}
	ids := map[string]bool{}
	for i, rule := range d.Rules {
		if rule.ID != catalog[i].ID.String() {
			t.Errorf("rules[%d] = %s, want %s (catalog order)", i, rule.ID, catalog[i].ID)
		}
		if ids[rule.ID] {
			t.Errorf("duplicate rule %s", rule.ID)
		}
		ids[rule.ID] = true
		anchor := "https://github.com/upgradegate/upgradegate/blob/main/docs/rules.md#" + strings.ToLower(rule.ID)
		if rule.HelpURI != anchor || rule.Help == nil || !strings.Contains(rule.Help.Markdown, "("+anchor+")") || !strings.Contains(rule.Help.Text, anchor) {
			t.Errorf("%s: helpUri and help must link %s", rule.ID, anchor)
		}
		if rule.Name == "" || rule.ShortDescription.Text == "" || rule.FullDescription == nil || rule.FullDescription.Text == "" {
			t.Errorf("%s: name or descriptions missing", rule.ID)
		}
		want := map[finding.Severity]string{finding.Error: "7.0", finding.Warning: "4.0", finding.Notice: "1.0"}[catalog[i].Severity]
		if rule.Properties.SecuritySeverity != want {
			t.Errorf("%s: security-severity %q, want %q", rule.ID, rule.Properties.SecuritySeverity, want)
		}
		if _, err := strconv.ParseFloat(rule.Properties.SecuritySeverity, 64); err != nil {
			t.Errorf("%s: security-severity %q is not a number", rule.ID, rule.Properties.SecuritySeverity)
		}
		if rule.DefaultConfiguration.Level != sarifLevel(catalog[i].Severity) || len(rule.Properties.Tags) == 0 {
			t.Errorf("%s: level %q, tags %v", rule.ID, rule.DefaultConfiguration.Level, rule.Properties.Tags)
		}
	}

	if len(run.Results) != len(r.Findings) {
		t.Fatalf("%d results for %d findings", len(run.Results), len(r.Findings))
	}
	prints := map[string]string{}
	lastActive := true
	for i, res := range run.Results {
		if d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleIndex %d is %s, not %s", i, res.RuleIndex, d.Rules[res.RuleIndex].ID, res.RuleID)
		}
		loc := res.Locations[0].PhysicalLocation
		if uri := loc.ArtifactLocation.URI; uri == "" || uri == "." || strings.Contains(uri, "://") || strings.HasPrefix(uri, "/") {
			t.Errorf("result %d: uri %q is not a repository-relative path", i, uri)
		}
		if loc.Region.StartLine < 1 || loc.Region.StartColumn < 1 {
			t.Errorf("result %d: region %+v", i, loc.Region)
		}
		fp := res.PartialFingerprints[sarifFingerprintKey]
		if len(fp) != 64 {
			t.Errorf("result %d: fingerprint %q", i, fp)
		}
		if other, dup := prints[fp]; dup {
			t.Errorf("results %s and %d share the fingerprint %s", other, i, fp)
		}
		prints[fp] = strconv.Itoa(i)
		suppressed := len(res.Suppressions) > 0
		if suppressed && (res.Suppressions[0].Kind != "external" || res.Suppressions[0].Justification == "") {
			t.Errorf("result %d: suppression %+v", i, res.Suppressions[0])
		}
		if !suppressed && !lastActive {
			t.Errorf("result %d: an active result after a suppressed one", i)
		}
		lastActive = !suppressed
	}
	for i := 1; i < len(run.Results); i++ {
		prev, cur := run.Results[i-1], run.Results[i]
		if len(prev.Suppressions) == len(cur.Suppressions) && severityRank(prev.Level) < severityRank(cur.Level) {
			t.Errorf("results %d and %d not most severe first: %s before %s", i-1, i, prev.Level, cur.Level)
		}
	}
	if run.Invocations != nil {
		t.Errorf("unexpected notifications: %+v", run.Invocations)
	}
}

func severityRank(level string) int {
	return map[string]int{"note": 1, "warning": 2, "error": 3}[level]
}

func TestSARIFMessageHasHint(t *testing.T) {
	t.Parallel()
	f := finding.Finding{Rule: rules.UG201, Severity: finding.Error, File: "u.yaml", Line: 1, Column: 1, Message: "m", Hint: "h"}
	log := buildSARIF(New(nil, []finding.Finding{f}, nil, finding.Error), Options{}, sarifMaxResults)
	if got := log.Runs[0].Results[0].Message.Text; got != "m\nhint: h" {
		t.Errorf("message.text = %q", got)
	}
	if log.Runs[0].Tool.Driver.Version != "" {
		t.Error("version set without Options.ToolVersion")
	}
}

func TestSARIFFingerprintIgnoresLineAndMessage(t *testing.T) {
	t.Parallel()
	base := finding.Finding{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/a.yaml", Line: 9, Column: 9, Node: "spec.path", Message: `stop "1.1.0"`}
	moved := base
	moved.Line, moved.Column, moved.Message = 42, 3, `stop "1.2.0"`
	otherNode := base
	otherNode.Node = "spec.to"
	otherFile := base
	otherFile.File = "upgrades/b.yaml"
	fp := func(f finding.Finding) string {
		return buildSARIF(New(nil, []finding.Finding{f}, nil, finding.Error), Options{}, sarifMaxResults).Runs[0].Results[0].PartialFingerprints[sarifFingerprintKey]
	}
	if fp(base) != fp(moved) {
		t.Error("fingerprint changed with the line, column or message")
	}
	if fp(base) == fp(otherNode) || fp(base) == fp(otherFile) {
		t.Error("fingerprint ignores the node or the file")
	}
	gl := fingerprints([]finding.Finding{base}, gitlabFingerprintV1)[0]
	if gl == fp(base) {
		t.Error("GitLab and SARIF fingerprints are the same string")
	}
}

func TestSARIFTruncatesToMostSevere(t *testing.T) {
	t.Parallel()
	log := buildSARIF(printersFixture(), printersOptions, 3)
	run := log.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	for _, res := range run.Results {
		if res.Level != "error" {
			t.Errorf("kept a %s result in place of an error: %+v", res.Level, res)
		}
	}
	if len(run.Invocations) != 1 || len(run.Invocations[0].ToolExecutionNotifications) != 1 {
		t.Fatalf("want one notification, got %+v", run.Invocations)
	}
	msg := run.Invocations[0].ToolExecutionNotifications[0].Message.Text
	if !strings.HasPrefix(msg, "4 of 7 findings were left out") {
		t.Errorf("notification = %q", msg)
	}
}

func TestSARIFKeepsAtMost25000Results(t *testing.T) {
	if testing.Short() {
		t.Skip("large report")
	}
	t.Parallel()
	fs := make([]finding.Finding, sarifMaxResults+1)
	for i := range fs {
		fs[i] = finding.Finding{Rule: rules.UG513, Severity: finding.Notice, File: "u.yaml", Line: i + 1, Column: 1, Message: fmt.Sprint(i)}
	}
	fs[sarifMaxResults] = finding.Finding{Rule: rules.UG201, Severity: finding.Error, File: "z.yaml", Line: 1, Column: 1, Message: "kept"}
	run := buildSARIF(New(nil, fs, nil, finding.Error), Options{}, sarifMaxResults).Runs[0]
	if len(run.Results) != sarifMaxResults {
		t.Fatalf("%d results, want %d", len(run.Results), sarifMaxResults)
	}
	if run.Results[0].RuleID != "UG201" {
		t.Errorf("the error was not kept first: %s", run.Results[0].RuleID)
	}
	if got := run.Invocations[0].ToolExecutionNotifications[0].Message.Text; !strings.HasPrefix(got, "1 of 25001 findings") {
		t.Errorf("notification = %q", got)
	}
}

func TestSARIFFindingWithoutFileIsANotification(t *testing.T) {
	t.Parallel()
	r := New(nil, []finding.Finding{{Rule: rules.UG005, Severity: finding.Error, Message: "policy unreadable"}}, nil, finding.Error)
	run := buildSARIF(r, Options{}, sarifMaxResults).Runs[0]
	if len(run.Results) != 0 {
		t.Errorf("a finding without a file became a result: %+v", run.Results)
	}
	n := run.Invocations[0].ToolExecutionNotifications
	if len(n) != 1 || n[0].Level != "error" || n[0].AssociatedRule == nil || n[0].AssociatedRule.ID != "UG005" ||
		run.Tool.Driver.Rules[n[0].AssociatedRule.Index].ID != "UG005" {
		t.Errorf("notifications = %+v", n)
	}
}

// A finding can name no rule of the catalog only with the zero rules.ID (the
// golden suites check that none is emitted); it still gets a descriptor.
func TestSARIFUnknownRuleGetsADescriptor(t *testing.T) {
	t.Parallel()
	fs := []finding.Finding{
		{Rule: rules.ID{}, Severity: finding.Warning, File: "a.yaml", Line: 1, Column: 1},
		{Rule: rules.ID{}, Severity: finding.Warning, File: "a.yaml", Line: 2, Column: 1},
	}
	run := buildSARIF(New(nil, fs, nil, finding.Error), Options{}, sarifMaxResults).Runs[0]
	rs := run.Tool.Driver.Rules
	if len(rs) != len(rules.All())+1 || rs[len(rs)-1].ID != "" {
		t.Fatalf("want the rule-less id added once after the catalog, got %d rules ending in %q", len(rs), rs[len(rs)-1].ID)
	}
	for _, res := range run.Results {
		if res.RuleIndex != len(rs)-1 {
			t.Errorf("ruleIndex %d, want %d", res.RuleIndex, len(rs)-1)
		}
	}
}

func TestSARIFRegionIsOneBased(t *testing.T) {
	t.Parallel()
	r := New(nil, []finding.Finding{{Rule: rules.UG001, Severity: finding.Error, File: "a.yaml"}}, nil, finding.Error)
	reg := buildSARIF(r, Options{}, sarifMaxResults).Runs[0].Results[0].Locations[0].PhysicalLocation.Region
	if reg.StartLine != 1 || reg.StartColumn != 1 {
		t.Errorf("region = %+v, want 1:1", reg)
	}
}

func TestSARIFURI(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, want string }{
		{"upgrades/gitlab.yaml", "upgrades/gitlab.yaml"},
		{"upgrades/odd, name:v2.yaml", "upgrades/odd%2C%20name:v2.yaml"},
		{"c:/x.yaml", "c%3A/x.yaml"},
		{"a b/100%#?.yaml", "a%20b/100%25%23%3F.yaml"},
		{"ünï/x.yaml", "%C3%BCn%C3%AF/x.yaml"},
	}
	for _, tt := range tests {
		if got := sarifURI(tt.file); got != tt.want {
			t.Errorf("sarifURI(%q) = %q, want %q", tt.file, got, tt.want)
		}
	}
}

// TestSARIFStreamsTheEncodersBytes: the streaming SARIF printer writes what
// json.Encoder writes for the whole log, for reports with no findings,
// hostile strings, suppressions, findings without a file (notifications), a
// rule the catalog lacks and many results.
func TestSARIFStreamsTheEncodersBytes(t *testing.T) {
	t.Parallel()
	unknown := finding.Finding{Rule: rules.UG201, Severity: finding.Warning, File: "u.yaml", Line: 0, Column: -3, Message: "m"}
	if err := unknown.Rule.UnmarshalText([]byte("UG999")); err != nil {
		t.Fatal(err)
	}
	noFile := finding.New(rules.UG004, "", 1, 1, "policy \"x\"\nbroken", "fix\tit")
	for name, r := range map[string]*Report{
		"empty":    New(nil, nil, nil, 0),
		"printers": printersFixture(),
		"failing":  failingReport(),
		"hostile":  hostileReport(),
		"many":     manyManifests(50),
		"odd":      New(nil, []finding.Finding{unknown, noFile}, nil, finding.Error),
	} {
		for _, o := range []Options{{}, printersOptions} {
			want := encoded(t, buildSARIF(r, o, sarifMaxResults), "")
			var got bytes.Buffer
			if err := SARIF(&got, r, o); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got.String()); diff != "" {
				t.Errorf("%s (-encoder +stream):\n%s", name, diff)
			}
		}
	}
}

// FuzzSARIFResult holds appendSARIFResult to the encoder on any strings and
// on nil, empty and absent parts.
func FuzzSARIFResult(f *testing.F) {
	for i, s := range awkward {
		f.Add(s, awkward[(i+3)%len(awkward)], i-2, i%4)
	}
	f.Fuzz(func(t *testing.T, a, b string, n, shape int) {
		res := sarifResult{RuleID: a, RuleIndex: n, Level: b, Message: sarifMessage{Text: a + b},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: sarifArtifactLocation{URI: b}, Region: sarifRegion{StartLine: n, StartColumn: -n}}}},
			PartialFingerprints: map[string]string{a: b, b + "2": a}}
		switch shape {
		case 1:
			res.Locations, res.PartialFingerprints, res.Message.Markdown = nil, nil, b
		case 2:
			res.Locations, res.PartialFingerprints = []sarifLocation{}, map[string]string{}
			res.Suppressions = []sarifSuppression{{Kind: a, Status: b, Justification: a}, {}}
		case 3:
			res.Locations = append(res.Locations, res.Locations[0])
			res.Suppressions = []sarifSuppression{}
		}
		if got, want := string(appendSARIFResult(nil, &res)), strings.TrimSuffix(encoded(t, res, "        "), "\n"); got != want {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// buildSARIF is the whole log as one value: what SARIF streams (the tests
// hold the two to the same bytes).
func buildSARIF(r *Report, o Options, maxResults int) sarifLog {
	run, p := planSARIF(r, o, maxResults)
	run.Results = make([]sarifResult, 0, len(p.order))
	for k := range p.order {
		run.Results = append(run.Results, p.result(r, k, nil))
	}
	return sarifLog{Schema: sarifSchemaURI, Version: sarifVersion, Runs: []sarifRun{run}}
}
