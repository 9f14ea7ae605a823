package exception

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/approval"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

func decode(t *testing.T, text string) ([]*Exception, []finding.Finding) {
	t.Helper()
	docs, f := yamldoc.Parse("m.yaml", []byte(text))
	if f != nil {
		t.Fatal(f)
	}
	root := yamldoc.Content(docs[0])
	d := yamldoc.NewDecoder("m.yaml", root)
	var excs []*Exception
	d.Mapping("", root, []string{"exceptions"}, func(_, p string, v *yaml.Node) { excs = Decode(d, p, v) })
	return excs, d.Findings
}

func TestSuppressAndAudit(t *testing.T) {
	t.Parallel()
	excs, fs := decode(t, `exceptions:
  - {rule: UG502, reason: later, approvedBy: "@cto", expires: 2026-12-15}
  - {rule: UG509, match: channel, reason: r, approvedBy: "@cto", expires: 2026-11-21}
  - {rule: UG513, reason: r, approvedBy: "@cto", expires: 2026-12-15}
  - {rule: UG501, reason: r}
  - {rule: UG001, reason: r, approvedBy: a, expires: 2030-01-01}
  - {rule: UG5O2, reason: r, approvedBy: a, expires: 2030-01-01}
  - {rule: ug502, reason: r, approvedBy: a, expires: 2030-01-01}
  - {rule: " UG502", reason: r, approvedBy: a, expires: 2030-01-01}
`)
	var decoded []string
	for _, f := range fs {
		decoded = append(decoded, f.Rule.String()+" "+f.Message)
	}
	want := []string{
		"UG903 exception for UG501 lacks approvedBy and expires",
		"UG004 rule UG001 cannot be excepted",
		`UG004 exception names unknown rule "UG5O2"; did you mean "UG502"?`,
		`UG004 exception names unknown rule "ug502"; did you mean "UG502"?`,
		`UG004 exception names unknown rule " UG502"; did you mean "UG502"?`,
	}
	if len(decoded) != len(want) {
		t.Fatalf("decode findings = %q, want %q", decoded, want)
	}
	for i := range want {
		if decoded[i] != want[i] {
			t.Errorf("finding %d = %q, want %q", i, decoded[i], want[i])
		}
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	findings := []finding.Finding{
		{Rule: rules.UG502, Severity: finding.Warning, Message: "rollback plan has not been tested"},
		{Rule: rules.UG509, Severity: finding.Warning, Message: "communication channel is missing"},
		{Rule: rules.UG501, Severity: finding.Error, Message: "rollback plan is missing"},
	}
	used := make([]int, len(excs))
	Suppress(findings, excs, used, now)
	if !findings[0].Suppressed || findings[0].SuppressedBy == "" {
		t.Errorf("UG502 not suppressed: %+v", findings[0])
	}
	if findings[1].Suppressed {
		t.Error("an expired exception suppressed UG509")
	}
	if findings[2].Suppressed {
		t.Error("an incomplete exception suppressed UG501")
	}
	audit := Audit(excs, used, now)
	var got []string
	for _, f := range audit {
		got = append(got, f.Rule.String()+" "+f.Message)
	}
	wantAudit := []string{"UG901 exception for UG509 expired on 2026-11-21", "UG902 exception for UG513 matches no finding"}
	if len(got) != 2 || got[0] != wantAudit[0] || got[1] != wantAudit[1] {
		t.Errorf("audit = %q, want %q", got, wantAudit)
	}
	// a date-only expiry holds through that day
	if excs[0].Expired(time.Date(2026, 12, 15, 23, 59, 0, 0, time.UTC)) {
		t.Error("expired during its last day")
	}
	if !excs[0].Expired(time.Date(2026, 12, 16, 0, 0, 0, 0, time.UTC)) {
		t.Error("not expired the day after")
	}
}

func TestCheckApproved(t *testing.T) {
	t.Parallel()
	excs, _ := decode(t, `exceptions:
  - {rule: UG502, reason: r, approvedBy: "@cto", expires: 2030-01-01}
  - {rule: UG509, reason: r, approvedBy: "@bob", expires: 2030-01-01}
  - {rule: UG513, reason: r, approvedBy: "@example-org/dba", expires: 2030-01-01}
  - {rule: UG511, reason: r, approvedBy: "@alice", expires: 2030-01-01}
  - {rule: UG508, reason: r}
`)
	ctx := context.Background()
	reviews := []approval.Review{{Login: "alice", State: "APPROVED"}, {Login: "bob", State: "APPROVED"}}
	set := approval.FromReviews("the reviews of pull request #7", "bob", reviews, nil, "the token may not read team membership")
	got := CheckApproved(ctx, excs, set)
	type short struct {
		Line int
		Sev  finding.Severity
		Msg  string
	}
	var gs []short
	for _, f := range got {
		if f.Rule != rules.UG904 || f.Column != 42 {
			t.Errorf("%+v: want UG904 at the approvedBy value", f)
		}
		gs = append(gs, short{f.Line, f.Severity, f.Message})
	}
	want := []short{
		{2, finding.Error, `exception for UG502 is approved by @cto, who has not approved the pull request (approvals from the reviews of pull request #7: @alice)`},
		{3, finding.Error, `exception for UG509 names @bob as its approver, the pull request's author: an author cannot approve their own exception`},
		{4, finding.Warning, `cannot tell whether @example-org/dba approved the pull request for the exception for UG513: cannot tell who is in team @example-org/dba: the token may not read team membership`},
	}
	if diff := cmp.Diff(want, gs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}

	unknown := CheckApproved(ctx, excs, approval.Unknown("the reviews could not be read (403)"))
	if len(unknown) != 4 {
		t.Fatalf("%d findings, want a warning for each of the 4 valid exceptions", len(unknown))
	}
	for _, f := range unknown {
		if f.Severity != finding.Warning || !strings.Contains(f.Message, "the reviews could not be read (403)") {
			t.Errorf("%+v: want a warning that says why", f)
		}
	}
}
