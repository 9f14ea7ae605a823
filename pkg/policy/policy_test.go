package policy

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		text   string
		want   []string
		broken bool
	}{
		{"minimal", "apiVersion: upgradegate/v1\nkind: Policy\nspec: {component: a}\n", nil, false},
		{"bad constraint is UG105 but the policy still applies",
			"apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: a\n  blocked:\n    - {from: \">== 1\", to: \">= 2\"}\n",
			[]string{`p.yaml:6:14: error: constraint ">== 1" of spec.blocked[0].from cannot be parsed [UG105]`}, false},
		{"checklist rules",
			"apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: a\n  checklist: {UG502: off, UG001: off, UG5044: warning, UG509: fatal}\n",
			[]string{
				`p.yaml:5:34: error: rule UG001 cannot be reconfigured [UG004]`,
				`p.yaml:5:47: error: unknown rule "UG5044" in checklist; did you mean "UG504"? [UG002]`,
				`p.yaml:5:63: error: severity "fatal" of UG509 is not error, warning, notice or off [UG004]`,
			}, true},
		{"unknown field", "apiVersion: upgradegate/v1\nkind: Policy\nspec: {component: a, maxStop: {major: 1}}\n",
			[]string{`p.yaml:3:22: error: unknown field "maxStop" in spec; did you mean "maxStep"? [UG002]`}, true},
		{"negative maxStep", "apiVersion: upgradegate/v1\nkind: Policy\nspec: {component: a, maxStep: {minor: -1}}\n",
			[]string{`p.yaml:3:39: error: maxStep.minor is negative [UG004]`}, true},
		{"no policy document", "apiVersion: v1\nkind: ConfigMap\n---\nkind: Service\n",
			[]string{`p.yaml:1:1: error: holds no kind: Policy document (it is a kind: ConfigMap file) [ERR]`}, true},
		{"a manifest is not a policy", "apiVersion: upgradegate/v1\nkind: Upgrade\nspec: {component: a, from: 1.0.0, to: 2.0.0}\n",
			[]string{`p.yaml:1:1: error: holds no kind: Policy document (it is a kind: Upgrade file) [ERR]`}, true},
		{"no kind at all", "apiVersion: upgradegate/v1\nspec: {component: a}\n",
			[]string{`p.yaml:1:1: error: kind is missing [UG003]`}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, fs, err := Parse("p.yaml", []byte(tt.text))
			var got []string
			if err != nil {
				got = append(got, fmt.Sprintf("p.yaml:1:1: error: %v [ERR]", err))
			}
			for _, f := range fs {
				got = append(got, f.String())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("findings = %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("finding %d:\n got %s\nwant %s", i, got[i], tt.want[i])
				}
			}
			if broken := p == nil || p.Broken; broken != tt.broken {
				t.Errorf("broken = %v, want %v", broken, tt.broken)
			}
		})
	}
}

func TestSeverityOverrides(t *testing.T) {
	t.Parallel()
	p, fs, err := Parse("p.yaml", []byte("apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: a\n  checklist: {UG502: error, UG513: off}\n  dryRunMaxAge: 2w\n  downtimeWindow: major\n"))
	if len(fs) != 0 || err != nil {
		t.Fatal(fs, err)
	}
	if p.Severity(rules.UG502) != finding.Error || p.Severity(rules.UG513) != finding.Off || p.Severity(rules.UG509) != finding.Warning {
		t.Errorf("severities: %v %v %v", p.Severity(rules.UG502), p.Severity(rules.UG513), p.Severity(rules.UG509))
	}
	var nilPolicy *Policy
	if nilPolicy.Severity(rules.UG502) != finding.Warning {
		t.Error("nil policy must give the default severity")
	}
	if p.DryRunMaxAge.Hours() != 14*24 || p.DowntimeWindow != WindowMajor {
		t.Errorf("dryRunMaxAge %v, downtimeWindow %q", p.DryRunMaxAge, p.DowntimeWindow)
	}
}

// FuzzParse: the policy reader never panics, every finding has a position,
// and the path engine built from whatever parsed answers without panicking.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../../testdata/check/*/policies/*.yaml")
	base, _ := filepath.Glob("../../testdata/base/policies/*.yaml")
	seeds = append(base, seeds...)
	for _, s := range seeds {
		if data, err := os.ReadFile(s); err == nil {
			f.Add(data, "1.0.0", "3.0.0")
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, from, to string) {
		p, fs, _ := Parse("p.yaml", data)
		for _, f := range fs {
			if f.Line < 1 || f.Column < 1 {
				t.Fatalf("finding without position: %+v", f)
			}
		}
		if p == nil || p.Engine == nil { // no engine: a broken policy
			return
		}
		a, err1 := version.NewVersion(from)
		b, err2 := version.NewVersion(to)
		if err1 != nil || err2 != nil || !b.GreaterThan(a) {
			return
		}
		stops, err := p.Engine.Suggest(a, b)
		if err == nil && len(p.Engine.Validate(a, b, stops)) != 0 && p.Engine.HasReleases() {
			t.Fatalf("suggested path %v is not legal", stops)
		}
	})
}
