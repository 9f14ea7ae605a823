package check

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// TestCoverage: the rows that cover a version, the same remembered or not,
// and per policy.
func TestCoverage(t *testing.T) {
	t.Parallel()
	row := func(c string) policy.Row {
		alts, err := yamldoc.ParseConstraint(c)
		if err != nil {
			t.Fatal(err)
		}
		return policy.Row{VersionsRaw: c, Versions: alts}
	}
	a := &policy.Policy{Rules: policy.Rules{Compatibility: []policy.Row{row(">= 1.0, < 2.0"), row(">= 1.5"), row("< 1.0 || >= 3.0")}}}
	b := &policy.Policy{Rules: policy.Rules{Compatibility: []policy.Row{row(">= 2.0")}}}
	v := func(s string) *version.Version {
		x, err := yamldoc.ParseVersion(s)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	var c coverage
	for _, tt := range []struct {
		pol  *policy.Policy
		v    string
		want []bool
	}{
		{a, "1.6.0", []bool{true, true, false}},
		{a, "1.2", []bool{true, false, false}},
		{a, "3.1.0", []bool{false, true, true}},
		{a, "0.9", []bool{false, false, true}},
		{b, "1.6.0", []bool{false}},
		{b, "2.0.0", []bool{true}},
	} {
		for round := range 2 { // computed, then remembered
			if diff := cmp.Diff(tt.want, c.covers(tt.pol, v(tt.v))); diff != "" {
				t.Errorf("covers(%s) round %d (-want +got):\n%s", tt.v, round, diff)
			}
		}
		if diff := cmp.Diff(tt.want, (*coverage)(nil).covers(tt.pol, v(tt.v))); diff != "" {
			t.Errorf("nil coverage: covers(%s) (-want +got):\n%s", tt.v, diff)
		}
	}
	if len(c.rows) != 6 {
		t.Errorf("%d versions remembered, want 6", len(c.rows))
	}
}

// TestRequiredBy: the components a policy's rows require, each once in the
// order the rows first name them, the same remembered or not, per policy.
func TestRequiredBy(t *testing.T) {
	t.Parallel()
	req := func(comps ...string) policy.Row {
		var r policy.Row
		for _, c := range comps {
			r.Requires = append(r.Requires, policy.Requirement{Component: c, Raw: ">= 1"})
		}
		return r
	}
	a := &policy.Policy{Rules: policy.Rules{Compatibility: []policy.Row{req("postgresql"), req("kubernetes", "postgresql"), req(), req("redis", "kubernetes")}}}
	b := &policy.Policy{Rules: policy.Rules{Compatibility: []policy.Row{req("kubernetes")}}}
	none := &policy.Policy{}
	var c coverage
	for _, tt := range []struct {
		pol  *policy.Policy
		want []string
	}{
		{a, []string{"postgresql", "kubernetes", "redis"}},
		{b, []string{"kubernetes"}},
		{none, nil},
	} {
		for round := range 2 { // worked out, then remembered
			if diff := cmp.Diff(tt.want, c.requiredBy(tt.pol)); diff != "" {
				t.Errorf("requiredBy round %d (-want +got):\n%s", round, diff)
			}
		}
		if diff := cmp.Diff(tt.want, (*coverage)(nil).requiredBy(tt.pol)); diff != "" {
			t.Errorf("nil coverage: requiredBy (-want +got):\n%s", diff)
		}
	}
}
