package check

import (
	"context"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestAuditKeepsOnlyAuditRules: an audit reports the audit rules' findings
// and input errors, nothing of the checks that gate a change.
func TestAuditKeepsOnlyAuditRules(t *testing.T) {
	dir := testtree.Golden(t, "UG201-trigger-required")
	testtree.Add(t, dir, map[string]string{"upgrades/broken.yaml": "kind: Upgrade\nspec: [\n"})
	full, err := Run(context.Background(), Options{Root: dir, Now: goldenNow, FailOn: finding.Error})
	if err != nil {
		t.Fatal(err)
	}
	audit, err := Run(context.Background(), Options{Root: dir, Now: goldenNow, FailOn: finding.Error, Audit: true})
	if err != nil {
		t.Fatal(err)
	}
	var sawUG201 bool
	for _, f := range full.Findings {
		sawUG201 = sawUG201 || f.Rule == rules.UG201
	}
	if !sawUG201 {
		t.Fatal("the check found no UG201: the case does not test the filter")
	}
	inputs := 0
	for _, f := range audit.Findings {
		switch {
		case f.Rule.Input():
			inputs++
		case !AuditRules[f.Rule]:
			t.Errorf("the audit reported %v", f)
		}
	}
	if inputs == 0 {
		t.Error("the audit dropped the input error of upgrades/broken.yaml")
	}
}
