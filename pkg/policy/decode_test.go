package policy

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// head is the start of every policy below; spec follows.
const head = "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  component: app\n"

// parse decodes a policy and returns it with its findings as strings.
func parse(t *testing.T, text string) (*Policy, []string) {
	t.Helper()
	p, fs, err := Parse("p.yaml", []byte(text))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	return p, got
}

func sameFindings(t *testing.T, got, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestNotAPolicy: which files hold no policy at all (an error, no findings)
// and which are a policy with its kind missing (decoded, UG003).
func TestNotAPolicy(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, text string
		kind       string // the NotPolicyError's Kind; "-" when the file is decoded as a policy
	}{
		{"empty file", "", ""},
		{"only a comment", "# nothing here\n", ""},
		{"other apiVersion without kind", "apiVersion: v1\nspec: {component: a}\n", ""},
		{"two documents without kind", "apiVersion: upgradegate/v1\nspec: {component: a}\n---\napiVersion: upgradegate/v1\n", ""},
		{"our apiVersion, another kind", "apiVersion: upgradegate/v1\nkind: Upgrade\n", "Upgrade"},
		{"a policy after another document", "kind: ConfigMap\n---\n" + head, "-"},
		{"our apiVersion without kind", "apiVersion: upgradegate/v1\nspec: {component: a}\n", "-"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, fs, err := Parse("p.yaml", []byte(tt.text))
			var npe *NotPolicyError
			if tt.kind == "-" {
				if err != nil || p == nil {
					t.Fatalf("Parse = %v, %v; want a policy", p, err)
				}
				return
			}
			if !errors.As(err, &npe) || npe.Kind != tt.kind || p != nil || len(fs) != 0 {
				t.Fatalf("Parse = %v, %v, %v; want a *NotPolicyError with kind %q and no findings", p, fs, err, tt.kind)
			}
		})
	}
	if got := (&NotPolicyError{}).Error(); got != "holds no kind: Policy document" {
		t.Errorf("NotPolicyError{}.Error() = %q", got)
	}
	if got := (&NotPolicyError{Kind: "Upgrade"}).Error(); got != "holds no kind: Policy document (it is a kind: Upgrade file)" {
		t.Errorf("NotPolicyError{Upgrade}.Error() = %q", got)
	}
}

func TestMaxStep(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		spec string
		want upgradepath.MaxStep
		errs []string
	}{
		{"  maxStep: {major: 1, minor: 2}\n", upgradepath.MaxStep{Major: 1, HasMajor: true, Minor: 2, HasMinor: true}, nil},
		{"  maxStep: {minor: 3}\n", upgradepath.MaxStep{Minor: 3, HasMinor: true}, nil},
		{"  maxStep: {major: 0}\n", upgradepath.MaxStep{Major: 0, HasMajor: true}, nil},
		{"  maxStep: {major: -1, minor: 1}\n", upgradepath.MaxStep{Minor: 1, HasMinor: true},
			[]string{`p.yaml:6:20: error: maxStep.major is negative [UG004]`}},
		{"  maxStep: {major: x}\n", upgradepath.MaxStep{},
			[]string{`p.yaml:6:20: error: spec.maxStep.major must be a whole number, not "x" [UG004]`}},
	} {
		p, got := parse(t, head+tt.spec)
		sameFindings(t, got, tt.errs)
		step := p.MaxStep
		step.Pos = tt.want.Pos // positions have tests of their own
		if step != tt.want {
			t.Errorf("%q: MaxStep = %+v, want %+v", tt.spec, step, tt.want)
		}
	}
}

func TestRequiredStops(t *testing.T) {
	t.Parallel()
	p, got := parse(t, head+`  requiredStops:
    - version: 2.1.0
      conditional: legacy plugin
    - version: 1.2.5
    - conditional: no version
    - version: one
    - version: " 1.9.0 "
`)
	sameFindings(t, got, []string{
		`p.yaml:10:7: error: spec.requiredStops[2].version is missing [UG003]`,
		`p.yaml:11:16: error: version "one" of spec.requiredStops[3].version cannot be parsed [UG101]`,
	})
	type stop struct {
		raw, cond string
		index     int
	}
	var stops []stop
	for _, s := range p.RequiredStops {
		stops = append(stops, stop{s.Raw, s.Conditional, s.Index})
	}
	// sorted by version; Index keeps the policy's order
	want := []stop{{"1.2.5", "", 1}, {" 1.9.0 ", "", 4}, {"2.1.0", "legacy plugin", 0}}
	if diff := cmp.Diff(want, stops, cmp.AllowUnexported(stop{})); diff != "" {
		t.Errorf("stops (-want +got):\n%s", diff)
	}
}

func TestReleases(t *testing.T) {
	t.Parallel()
	p, got := parse(t, head+"  releases: [1.0.0, \" 1.1.0 \", x.y, \"\", 2.0.0]\n")
	sameFindings(t, got, []string{
		`p.yaml:6:32: error: version "x.y" of spec.releases[2] cannot be parsed [UG101]`,
		`p.yaml:6:37: error: spec.releases[3] is empty [UG004]`,
	})
	for _, s := range []string{"1.0.0", "1.1.0", "2.0.0"} {
		if !p.Engine.IsRelease(version.Must(version.NewVersion(s))) {
			t.Errorf("%s is not a release of the policy's engine", s)
		}
	}
}

// TestBlocked: an entry is enforced only with both constraints; a missing
// or unparsable one is a finding and the entry is left out.
func TestBlocked(t *testing.T) {
	t.Parallel()
	p, got := parse(t, head+`  blocked:
    - {from: ">= 1.3.0, < 2", to: ">= 2", reason: corrupts data, url: "https://example.com/kb/1"}
    - {from: ">= 1"}
    - {to: ">= 1", from: ""}
    - {from: ">== 1", to: ">= 2"}
    - {from: "< 1", to: "1.5", url: "not a url"}
    - {from: "< 1", to: "= 3", url: ""}
`)
	sameFindings(t, got, []string{
		`p.yaml:8:7: error: spec.blocked[1].to is missing [UG003]`,
		`p.yaml:9:26: error: spec.blocked[2].from is empty [UG003]`,
		`p.yaml:10:14: error: constraint ">== 1" of spec.blocked[3].from cannot be parsed [UG105]`,
		`p.yaml:11:37: error: invalid URL "not a url": expected an absolute http(s) URL [UG004]`,
	})
	type entry struct{ from, to, reason, url string }
	var entries []entry
	var index []int
	for _, b := range p.Blocked {
		entries = append(entries, entry{b.FromRaw, b.ToRaw, b.Reason, b.URL})
		index = append(index, b.Index)
	}
	want := []entry{{">= 1.3.0, < 2", ">= 2", "corrupts data", "https://example.com/kb/1"}, {"< 1", "1.5", "", "not a url"}, {"< 1", "= 3", "", ""}}
	if diff := cmp.Diff(want, entries, cmp.AllowUnexported(entry{})); diff != "" {
		t.Errorf("blocked (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{0, 4, 5}, index); diff != "" {
		t.Errorf("blocked indexes (-want +got):\n%s", diff)
	}
	if !p.Broken {
		t.Error("a blocked entry without from or to (UG003) breaks the policy")
	}
}

// TestCompatibility: rows are numbered from 1; a row with any constraint
// that does not parse, or without versions, is left out whole, whatever the
// order of its keys.
func TestCompatibility(t *testing.T) {
	t.Parallel()
	p, got := parse(t, head+`  compatibility:
    - versions: ">= 1, < 2"
      requires: {postgresql: ">= 13", kubernetes: ">= 1.27"}
    - versions: ">= 2"
      requires: {postgresql: ">== 14"}
    - requires: {postgresql: ">== 14"}
      versions: ">= 3"
    - requires: {postgresql: ">= 14"}
    - versions: ">=== 4"
    - versions: ">= 5"
`)
	sameFindings(t, got, []string{
		`p.yaml:10:30: error: constraint ">== 14" of spec.compatibility[1].requires.postgresql cannot be parsed [UG105]`,
		`p.yaml:11:30: error: constraint ">== 14" of spec.compatibility[2].requires.postgresql cannot be parsed [UG105]`,
		`p.yaml:13:7: error: spec.compatibility[3].versions is missing [UG003]`,
		`p.yaml:14:17: error: constraint ">=== 4" of spec.compatibility[4].versions cannot be parsed [UG105]`,
	})
	type req struct{ comp, raw string }
	type row struct {
		index    int
		path     string
		versions string
		requires []req
	}
	var rows []row
	for _, r := range p.Compatibility {
		var rs []req
		for _, q := range r.Requires {
			rs = append(rs, req{q.Component, q.Raw})
		}
		rows = append(rows, row{r.Index, r.Path, r.VersionsRaw, rs})
	}
	want := []row{
		{1, "spec.compatibility[0]", ">= 1, < 2", []req{{"postgresql", ">= 13"}, {"kubernetes", ">= 1.27"}}},
		{6, "spec.compatibility[5]", ">= 5", nil},
	}
	if diff := cmp.Diff(want, rows, cmp.AllowUnexported(row{}, req{})); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]int{2, 3, 4, 5}, p.InvalidRows); diff != "" {
		t.Errorf("invalid rows (-want +got):\n%s", diff)
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		spec   string
		age    time.Duration
		window string
		errs   []string
	}{
		{"", DefaultDryRunMaxAge, WindowBoth, nil},
		{"  dryRunMaxAge: 36h\n  downtimeWindow: never\n", 36 * time.Hour, WindowNever, nil},
		{"  dryRunMaxAge: 0d\n", DefaultDryRunMaxAge, WindowBoth,
			[]string{`p.yaml:6:17: error: dryRunMaxAge "0d" is not a positive duration [UG004]`}},
		{"  dryRunMaxAge: soon\n", DefaultDryRunMaxAge, WindowBoth,
			[]string{`p.yaml:6:17: error: dryRunMaxAge "soon" is not a positive duration [UG004]`}},
		{"  downtimeWindow: sometimes\n", DefaultDryRunMaxAge, WindowBoth,
			[]string{`p.yaml:6:19: error: downtimeWindow "sometimes" is not one of major, migrations, both, always, never [UG004]`}},
	} {
		p, got := parse(t, head+tt.spec)
		sameFindings(t, got, tt.errs)
		if p.DryRunMaxAge != tt.age || p.DowntimeWindow != tt.window {
			t.Errorf("%q: dryRunMaxAge %v, downtimeWindow %q; want %v, %q", tt.spec, p.DryRunMaxAge, p.DowntimeWindow, tt.age, tt.window)
		}
		if p.Broken != (len(tt.errs) > 0) {
			t.Errorf("%q: broken = %v", tt.spec, p.Broken)
		}
	}
}

// TestComponentRequired: a spec without component is UG003 and breaks the
// policy; a spec that is not a mapping is reported once, as such.
func TestComponentRequired(t *testing.T) {
	t.Parallel()
	p, got := parse(t, "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: p}\nspec:\n  releases: [1.0.0]\n")
	sameFindings(t, got, []string{`p.yaml:4:1: error: spec.component is missing [UG003]`})
	if !p.Broken {
		t.Error("a policy without component is not broken")
	}
	p, got = parse(t, "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: p}\nspec: [a]\n")
	if len(got) != 1 || !strings.Contains(got[0], "spec must be a mapping") || !p.Broken {
		t.Errorf("findings %q (broken %v), want one: spec must be a mapping", got, p.Broken)
	}
	p, got = parse(t, "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: p}\n")
	sameFindings(t, got, []string{`p.yaml:1:1: error: spec is missing [UG003]`})
	if !p.Broken || p.Name != "p" {
		t.Errorf("broken %v, name %q", p.Broken, p.Name)
	}
}

func TestChecklist(t *testing.T) {
	t.Parallel()
	p, got := parse(t, head+"  checklist: {UG502: notice, UG509: off, UG510: error}\n")
	sameFindings(t, got, nil)
	for id, want := range map[rules.ID]finding.Severity{rules.UG502: finding.Notice, rules.UG509: finding.Off, rules.UG510: finding.Error, rules.UG511: rules.UG511.Rule().Severity} {
		if s := p.Severity(id); s != want {
			t.Errorf("Severity(%s) = %v, want %v", id, s, want)
		}
	}
	// a rule that cannot be reconfigured keeps what it reported
	if s := p.Apply(rules.UG201, finding.Warning); s != finding.Warning {
		t.Errorf("Apply(UG201, warning) = %v, want warning", s)
	}
	if s := p.Apply(rules.UG502, finding.Warning); s != finding.Notice {
		t.Errorf("Apply(UG502, warning) = %v, want the checklist's notice", s)
	}
}

// TestMisindentedField: a policy field one level too far out says where it
// belongs (the policy's decoder knows Fields).
func TestMisindentedField(t *testing.T) {
	t.Parallel()
	_, got := parse(t, head+"  maxStep: {minor: 1}\n  major: 1\n")
	sameFindings(t, got, []string{`p.yaml:7:3: error: unknown field "major" in spec; did you mean spec.maxStep.major (check the indentation)? [UG002]`})
}
