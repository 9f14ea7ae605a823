package plan

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

// hdr is a test header: name, component, from, to, after names and
// environment entries ("postgresql=14.14").
func hdr(name, comp, from, to string, after []string, env ...string) *Header {
	v := func(s string, line int) Version {
		if s == "" {
			return Version{}
		}
		return Version{Raw: s, V: version.Must(version.NewVersion(s)), Path: "spec.x", Pos: Pos{Line: line, Column: 9}}
	}
	h := &Header{File: "upgrades/" + name + ".yaml", Line: 1, Name: name, NamePos: Pos{Line: 4, Column: 9}, Component: comp,
		From: v(from, 8), To: v(to, 9), Checkable: true, Checked: true}
	for i, a := range after {
		h.After = append(h.After, Ref{Name: a, Path: fmt.Sprintf("spec.after[%d]", i), Pos: Pos{Line: 10, Column: 12 + i}})
	}
	for i, e := range env {
		n, val, _ := strings.Cut(e, "=")
		h.Environment = append(h.Environment, Env{Name: n, Version: v(val, 12+i)})
	}
	return h
}

func names(p *Plan) []string {
	var out []string
	for _, i := range p.Order {
		out = append(out, p.Steps[i].Name)
	}
	return out
}

func rulesOf(p *Plan) []string {
	var out []string
	for _, i := range p.Order {
		for _, f := range p.Steps[i].Findings {
			out = append(out, p.Steps[i].Name+" "+f.Rule.String())
		}
	}
	return out
}

// The GitLab and PostgreSQL plan of issue 10: the order follows after and
// the chains, the environment flows, and nothing contradicts.
func TestPlanOrdersAndFlows(t *testing.T) {
	t.Parallel()
	p := Build([]*Header{
		hdr("gitlab-18", "gitlab", "17.11.7", "18.2.8", []string{"postgres-16"}),
		hdr("postgres-16", "postgresql", "14.14", "16.9", []string{"gitlab-17"}),
		hdr("gitlab-17", "gitlab", "16.11.10", "17.11.7", []string{"postgres-14"}, "postgresql=14.14"),
		hdr("postgres-14", "postgresql", "13.16", "14.14", []string{"gitlab-16"}),
		hdr("gitlab-16", "gitlab", "15.4.6", "16.11.10", nil, "postgresql=13.16"),
		hdr("keycloak", "keycloak", "24.0.5", "25.0.6", nil),
	})
	if diff := cmp.Diff([]string{"gitlab-16", "keycloak", "postgres-14", "gitlab-17", "postgres-16", "gitlab-18"}, names(p)); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if got := rulesOf(p); len(got) != 0 {
		t.Errorf("findings %v, want none", got)
	}
	v, ok := p.ValueAt(0, "postgresql") // gitlab-18
	if !ok || v.Raw != "16.9" || !v.Upgrade || p.Steps[v.Source].Name != "postgres-16" {
		t.Errorf("postgresql at gitlab-18 = %+v, %v; want 16.9 from postgres-16", v, ok)
	}
	if v, ok := p.ValueAt(4, "postgresql"); !ok || v.Raw != "13.16" || !v.Declared {
		t.Errorf("postgresql at gitlab-16 = %+v, %v; want its own 13.16", v, ok)
	}
	if got := p.AfterLine(0, "x"); got != "after: [postgres-16, x]" {
		t.Errorf("AfterLine = %q", got)
	}
}

// Contradictions: an environment no upgrade in between explains (UG801),
// or one an upgrade not ordered before would explain (UG802).
func TestPlanContradictions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		hs   []*Header
		want []string
		in   string
	}{
		{"two todays", []*Header{
			hdr("a", "gitlab", "16.0.0", "16.1.0", nil, "postgresql=14.15"),
			hdr("b", "keycloak", "24.0.0", "25.0.0", nil, "postgresql=16.9"),
		}, []string{"b UG801"}, `a (upgrades/a.yaml:12:9) declares postgresql "14.15" for today`},
		{"today of a chain", []*Header{
			hdr("pg", "postgresql", "13.16", "14.14", nil),
			hdr("gl", "gitlab", "16.0.0", "16.1.0", nil, "postgresql=14.14"),
		}, []string{"gl UG802"}, "add after: [pg]"},
		{"today of a chain, no provider", []*Header{
			hdr("pg", "postgresql", "13.16", "14.14", nil),
			hdr("gl", "gitlab", "16.0.0", "16.1.0", nil, "postgresql=15.2"),
		}, []string{"gl UG801"}, `postgresql is "13.16" today: pg (upgrades/pg.yaml:8:9)`},
		{"an upgrade ordered in between", []*Header{
			hdr("pg", "postgresql", "13.16", "14.14", nil),
			hdr("gl", "gitlab", "16.0.0", "16.1.0", []string{"pg"}, "postgresql=13.16"),
		}, []string{"gl UG801"}, `pg (upgrades/pg.yaml:9:9) upgrades postgresql to "14.14" before gl starts`},
		{"equal as versions", []*Header{
			hdr("pg", "postgresql", "13.16", "14.14", nil),
			hdr("gl", "gitlab", "16.0.0", "16.1.0", []string{"pg"}, "postgresql=14.14.0"),
		}, nil, ""},
		{"overlap", []*Header{
			hdr("a", "gitlab", "16.0.0", "16.5.0", nil),
			hdr("b", "gitlab", "16.3.0", "17.0.0", nil),
		}, []string{"b UG801"}, "b overlaps a"},
		{"gap", []*Header{
			hdr("a", "gitlab", "16.0.0", "16.5.0", nil),
			hdr("b", "gitlab", "16.7.0", "17.0.0", nil),
		}, []string{"b UG801"}, `no manifest upgrades gitlab from "16.5.0" to "16.7.0"`},
		{"a failed attempt is out of the chain", []*Header{
			func() *Header {
				h := hdr("a", "gitlab", "16.0.0", "16.5.0", nil)
				h.HasOutcome, h.Outcome = true, "failed"
				return h
			}(),
			hdr("a-retry", "gitlab", "16.0.0", "16.5.0", nil),
		}, nil, ""},
		{"a duplicate name stays out of the chain", []*Header{
			hdr("a", "gitlab", "16.0.0", "16.5.0", nil),
			hdr("a", "gitlab", "16.0.0", "16.5.0", nil),
		}, nil, ""},
		{"after names nothing", []*Header{
			hdr("a", "gitlab", "16.0.0", "16.5.0", []string{"postgres-15"}),
			hdr("postgres-16", "postgresql", "15.0", "16.0", nil),
		}, []string{"a UG803"}, `did you mean "postgres-16"?`},
		{"after on itself", []*Header{
			hdr("a", "gitlab", "16.0.0", "16.5.0", []string{"a"}),
		}, []string{"a UG803"}, "the manifest itself"},
		{"a cycle through a chain", []*Header{
			hdr("gl-16", "gitlab", "16.0.0", "16.5.0", []string{"pg"}),
			hdr("gl-17", "gitlab", "16.5.0", "17.0.0", nil),
			hdr("pg", "postgresql", "13.0", "14.0", []string{"gl-17"}),
		}, []string{"gl-16 UG803"}, "the order has a cycle: gl-16 → gl-17 → pg → gl-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := Build(tt.hs)
			if diff := cmp.Diff(tt.want, rulesOf(p)); diff != "" {
				t.Fatalf("findings (-want +got):\n%s", diff)
			}
			if tt.in == "" {
				return
			}
			for _, s := range p.Steps {
				for _, f := range s.Findings {
					if strings.Contains(f.Message, tt.in) || strings.Contains(f.Hint, tt.in) {
						if f.Line == 0 || f.Column == 0 {
							t.Errorf("finding without a position: %+v", f)
						}
						return
					}
					t.Errorf("finding %q (hint %q) does not say %q", f.Message, f.Hint, tt.in)
				}
			}
		})
	}
}

// 2,000 manifests in one plan, and a chain of 100,000 that all overlap:
// one finding each, no pairwise blow-up.
func TestPlanScale(t *testing.T) {
	t.Parallel()
	var hs []*Header
	for i := 0; i < 20000; i++ {
		hs = append(hs, hdr(fmt.Sprintf("m%d", i), "app", "1.0.0", "1.1.0", nil))
	}
	p := Build(hs)
	if got := len(rulesOf(p)); got != 19999 {
		t.Errorf("%d findings, want 19999 (each manifest but the first overlaps)", got)
	}
}

func TestDone(t *testing.T) {
	t.Parallel()
	h := hdr("a", "gitlab", "16.0.0", "16.5.0", nil)
	if h.Done() {
		t.Error("a manifest without outcome or deployed version is done")
	}
	h.Deployed = version.Must(version.NewVersion("16.5.0"))
	if !h.Done() {
		t.Error("a manifest whose to is deployed is not done")
	}
	h.Deployed = version.Must(version.NewVersion("16.4.0"))
	if h.Done() {
		t.Error("a manifest whose to is not yet deployed is done")
	}
	h.HasOutcome, h.Outcome = true, "succeeded"
	if !h.Done() || h.OutOfChain() {
		t.Error("a succeeded manifest is not done, or out of the chain")
	}
}
