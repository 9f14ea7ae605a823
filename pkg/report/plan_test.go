package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

func planReport() *Report {
	r := New([]Manifest{{File: "upgrades/pg.yaml", Component: "postgresql", From: "13.16", To: "14.14", Name: "pg", Line: 1}}, nil, nil, finding.Error)
	r.Plan = []PlanStep{
		{Name: "pg", File: "upgrades/pg.yaml", Line: 1, Component: "postgresql", From: "13.16", To: "14.14", Route: []string{"13.16", "14.14"},
			After: []string{}, Environment: map[string]string{}, Done: true},
		{Name: "gl|17", File: "upgrades/gl.yaml", Line: 3, Component: "gitlab", From: "16.11.10", To: "17.3.7", Route: []string{"16.11.10", "17.3.7"},
			After: []string{"pg"}, Environment: map[string]string{"postgresql": "14.14", "kubernetes": "1.29.4"}},
	}
	return r
}

func TestPlanPrinters(t *testing.T) {
	t.Parallel()
	r := planReport()
	var js bytes.Buffer
	if err := PlanJSON(&js, r, Options{}); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Steps    []PlanStep
		Findings []finding.Finding
	}
	if err := json.Unmarshal(js.Bytes(), &got); err != nil {
		t.Fatalf("%v: %s", err, js.String())
	}
	if diff := cmp.Diff(r.Plan, got.Steps); diff != "" || got.Findings == nil {
		t.Errorf("JSON steps (-want +got):\n%s\nfindings %v", diff, got.Findings)
	}
	var text bytes.Buffer
	if err := PlanText(&text, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Plan: 2 steps, in order\n", "  1. pg (done): postgresql 13.16 → 14.14 (upgrades/pg.yaml:1)\n",
		"     after: pg\n     environment: kubernetes 1.29.4, postgresql 14.14\n", "PASS: 1 manifest"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	md := RenderMarkdown(r, MarkdownOptions{})
	for _, want := range []string{"**Plan** (2 steps, in order)", "| 1 | pg (done) | postgresql | 13.16 → 14.14 |  |  |", `gl\|17`} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown lacks %q:\n%s", want, md)
		}
	}
	r.Plan = r.Plan[:1]
	if md := RenderMarkdown(r, MarkdownOptions{}); strings.Contains(md, "**Plan**") {
		t.Errorf("a plan of one step is shown:\n%s", md)
	}
}
