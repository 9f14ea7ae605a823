package action

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// auditHarness is a scheduled run with audit: true whose audit answers
// with the findings *due holds.
func auditHarness(t *testing.T, due *[]finding.Finding) *harness {
	t.Helper()
	h := newHarness(t)
	h.env["GITHUB_EVENT_NAME"] = "schedule"
	h.env["INPUT_AUDIT"] = "true"
	h.setEvent(map[string]any{"schedule": "0 6 * * 1", "repository": map[string]any{"full_name": "o/r"}})
	h.audit = func(_ context.Context, opts check.Options) (*report.Report, error) {
		ms := []report.Manifest{
			{File: "upgrades/app.yaml", Name: "app-3", Component: "app", From: "1.0.0", To: "3.0.0", Line: 1,
				Owner: "@platform-team", ReviewOwner: "@carol", DueSince: time.Date(2026, 11, 9, 0, 0, 0, 0, time.UTC)},
			{File: "upgrades/db.yaml", Name: "db-16", Component: "postgresql", From: "14.11", To: "16.4", Line: 1, Owner: "@dba"},
		}
		return report.New(ms, append([]finding.Finding(nil), *due...), nil, opts.FailOn), nil
	}
	return h
}

func dueFinding(rule rules.ID, file, name, msg string) finding.Finding {
	f := finding.New(rule, file, 3, 5, msg, "")
	f.Manifest = name
	return f
}

// auditIssues returns the issues that carry the audit's marker.
func auditIssues(gh *fakegithub.Server) []fakegithub.Issue {
	var out []fakegithub.Issue
	for _, is := range gh.Issues() {
		if strings.HasPrefix(is.Body, AuditMarker+"\n") {
			out = append(out, is)
		}
	}
	return out
}

func TestAuditKeepsOneTrackingIssue(t *testing.T) {
	t.Parallel()
	var due []finding.Finding
	h := auditHarness(t, &due)

	// all clear, no issue: none is created
	res := h.run()
	if res.code != ExitOK || len(h.gh.Issues()) != 0 {
		t.Fatalf("exit %d, issues %+v; want 0 and none", res.code, h.gh.Issues())
	}

	// something due: created, one line per manifest
	due = []finding.Finding{
		dueFinding(rules.UG518, "upgrades/app.yaml", "app-3", "the window ended on 2026-12-01; no outcome is recorded #12 @everyone"),
		dueFinding(rules.UG513, "upgrades/app.yaml", "app-3", "the review is due"),
	}
	res = h.run()
	is := auditIssues(h.gh)
	if res.code != ExitFindings || len(is) != 1 || is[0].State != "open" || is[0].Title != AuditTitle {
		t.Fatalf("exit %d, issues %+v; want 1 and one open tracking issue", res.code, h.gh.Issues())
	}
	body := is[0].Body
	for _, want := range []string{
		"1 upgrade waiting for their outcome or review",
		"| [upgrades/app.yaml (app-3)](" + server + "/o/r/blob/" + h.env["GITHUB_SHA"] + "/upgrades/app.yaml#L1) | app 1.0.0 → 3.0.0 |",
		"no outcome is recorded", "(UG518)",
		"| 2026-11-09 |", // since when: the manifest's due date
		"platform-team |",
		"[the run](" + server + "/o/r/actions/runs/42)",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, " #12") || strings.Contains(body, " @everyone") {
		t.Errorf("the body references an issue or mentions someone:\n%s", body)
	}
	if strings.Count(body, "upgrades/app.yaml (app-3)") != 1 {
		t.Errorf("the manifest has more than one line:\n%s", body)
	}

	// more due: the same issue, edited in place
	due = append(due, dueFinding(rules.UG502, "upgrades/db.yaml", "db-16", "the review was due on 2026-11-20 and is not done"))
	res = h.run()
	is = auditIssues(h.gh)
	if len(h.gh.Issues()) != 1 || !strings.Contains(is[0].Body, "2 upgrades waiting") ||
		!strings.Contains(is[0].Body, "| 2026-11-20 | @\u200ddba |") || fakegithub.Count(res.reqs, fakegithub.EditIssue) != 1 {
		t.Errorf("issues %+v after %v, want the one issue edited", h.gh.Issues(), res.reqs)
	}
	if !strings.Contains(res.stdout, "Tracking issue updated: #") {
		t.Errorf("the log does not say the issue was updated:\n%s", res.stdout)
	}

	// all clear: closed
	due = nil
	res = h.run()
	is = auditIssues(h.gh)
	if res.code != ExitOK || len(is) != 1 || is[0].State != "closed" || !strings.Contains(is[0].Body, "No upgrade is waiting") {
		t.Errorf("exit %d, issues %+v; want the issue closed, all clear", res.code, is)
	}

	// due again: reopened
	due = []finding.Finding{dueFinding(rules.UG518, "upgrades/app.yaml", "app-3", "due again")}
	h.run()
	is = auditIssues(h.gh)
	if len(h.gh.Issues()) != 1 || is[0].State != "open" || is[0].StateReason != "reopened" {
		t.Errorf("issues %+v, want the one issue reopened", h.gh.Issues())
	}
}

func TestAuditIssueOnlyOnScheduleAndDispatch(t *testing.T) {
	t.Parallel()
	due := []finding.Finding{dueFinding(rules.UG518, "upgrades/app.yaml", "app-3", "due")}
	h := auditHarness(t, &due)
	h.env["GITHUB_EVENT_NAME"] = "push"
	res := h.run()
	if len(h.gh.Issues()) != 0 || len(res.reqs) != 0 || !strings.Contains(res.stdout, "kept only on schedule and workflow_dispatch") {
		t.Errorf("push: %d issues, requests %v; want none and a notice:\n%s", len(h.gh.Issues()), res.reqs, res.stdout)
	}
	h.env["GITHUB_EVENT_NAME"] = "workflow_dispatch"
	h.run()
	if len(auditIssues(h.gh)) != 1 {
		t.Errorf("workflow_dispatch: issues %+v, want one", h.gh.Issues())
	}
}

func TestAuditIssueForbidden(t *testing.T) {
	t.Parallel()
	due := []finding.Finding{dueFinding(rules.UG518, "upgrades/app.yaml", "app-3", "due")}
	h := auditHarness(t, &due)
	h.gh.Status[fakegithub.CreateIssue] = 403
	res := h.run()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "issues: write") || !strings.Contains(res.summary, "issues: write") {
		t.Errorf("exit %d, want 1 and a warning naming issues: write:\n%s", res.code, res.stdout)
	}
}

func TestAuditBodyIsBounded(t *testing.T) {
	t.Parallel()
	var rows []auditRow
	for i := 0; i < 3000; i++ {
		rows = append(rows, auditRow{File: "upgrades/x.yaml", Line: i + 1, Due: []string{strings.Repeat("due ", 20)}})
	}
	body := auditBody(rows, report.Options{}, testNow, "")
	if len(body) > maxIssueBody+500 || !strings.Contains(body, "more not shown") || !strings.HasPrefix(body, AuditMarker+"\n") {
		t.Errorf("body of %d bytes, want at most about %d with a cut note", len(body), maxIssueBody)
	}
}

// brokenManifest is a manifest the audit cannot read: an input error, which
// an audit reports as due (it holds whatever rules check outcomes and
// reviews).
const brokenManifest = "apiVersion: upgradegate/v1\nkind: Upgrade\nmetadata: {name: broken\n"

// auditBinaryHarness is a scheduled audit run of the binary with something
// due: upgrades/broken.yaml cannot be read.
func auditBinaryHarness(t *testing.T) *harness {
	t.Helper()
	h := newHarness(t)
	h.env["GITHUB_EVENT_NAME"] = "schedule"
	h.env["INPUT_AUDIT"] = "true"
	h.env["INPUT_FAIL-ON"] = "never"
	h.setEvent(map[string]any{"schedule": "17 6 * * 1-5", "repository": map[string]any{"full_name": "o/r"}})
	h.write("upgrades/app.yaml", realClock(manifestYAML(clean)))
	h.write("upgrades/broken.yaml", brokenManifest)
	return h
}

// TestBinaryAuditOverdueOutcome: the binary's audit names a manifest whose
// outcome is overdue (UG519), since when (the window's end plus
// outcomeWithin) and its owner, and closes the issue once the outcome and
// the review are recorded.
func TestBinaryAuditOverdueOutcome(t *testing.T) {
	t.Parallel()
	h := auditBinaryHarness(t)
	h.write("upgrades/broken.yaml", realClock(strings.Replace(manifestYAML(clean), "name: app-3", "name: fixed", 1)))
	h.write("upgrades/app.yaml", overdueManifest())
	res := h.runBinary()
	is := auditIssues(h.gh)
	if len(is) != 1 {
		t.Fatalf("issues %+v, want one\nstdout:\n%s", h.gh.Issues(), res.stdout)
	}
	for _, want := range []string{"upgrades/app.yaml (app-3)", "no outcome is recorded", "(UG519)", "| 2026-01-17 |", "platform-team |"} {
		if !strings.Contains(is[0].Body, want) {
			t.Errorf("issue body lacks %q:\n%s", want, is[0].Body)
		}
	}
	if strings.Contains(is[0].Body, "(fixed)") {
		t.Errorf("the issue names a manifest that owes nothing:\n%s", is[0].Body)
	}
	h.write("upgrades/app.yaml", recordedManifest())
	res = h.runBinary()
	if is := auditIssues(h.gh); len(is) != 1 || is[0].State != "closed" {
		t.Errorf("issues %+v, want the issue closed once the outcome is recorded\nstdout:\n%s", h.gh.Issues(), res.stdout)
	}
}

// TestBinaryAuditIssue: the binary, as the runner starts it on schedule,
// creates the tracking issue, edits it in place, closes it when all is
// clear, and two processes at once leave one open issue.
func TestBinaryAuditIssue(t *testing.T) {
	t.Parallel()
	t.Run("created, edited, closed", func(t *testing.T) {
		t.Parallel()
		h := auditBinaryHarness(t)
		res := h.runBinary()
		is := auditIssues(h.gh)
		if res.code != ExitOK || len(is) != 1 || is[0].State != "open" || !strings.Contains(is[0].Body, "upgrades/broken.yaml") {
			t.Fatalf("exit %d, issues %+v; want 0 and one open issue naming the file\nstdout:\n%s", res.code, h.gh.Issues(), res.stdout)
		}
		if strings.Contains(is[0].Body, "upgrades/app.yaml") {
			t.Errorf("the issue names the manifest that owes nothing:\n%s", is[0].Body)
		}
		h.write("upgrades/other.yaml", brokenManifest)
		h.runBinary()
		is = auditIssues(h.gh)
		if len(h.gh.Issues()) != 1 || !strings.Contains(is[0].Body, "upgrades/other.yaml") || !strings.Contains(is[0].Body, "upgrades/broken.yaml") {
			t.Errorf("issues %+v, want the one issue edited to name both files", h.gh.Issues())
		}
		h.write("upgrades/broken.yaml", realClock(strings.Replace(manifestYAML(clean), "name: app-3", "name: fixed", 1)))
		h.write("upgrades/other.yaml", realClock(strings.Replace(manifestYAML(clean), "name: app-3", "name: other", 1)))
		res = h.runBinary()
		is = auditIssues(h.gh)
		if res.code != ExitOK || len(is) != 1 || is[0].State != "closed" {
			t.Errorf("exit %d, issues %+v; want the issue closed\nstdout:\n%s", res.code, h.gh.Issues(), res.stdout)
		}
	})
	t.Run("never duplicated by two processes", func(t *testing.T) {
		t.Parallel()
		h := auditBinaryHarness(t)
		binary(t) // build before the barrier
		h.gh.HoldIssueCreatesUntilListed(2)
		codes := h.twice(h.runBinary)
		if codes[0] != ExitOK || codes[1] != ExitOK {
			t.Errorf("exit codes %v, want [0 0]", codes)
		}
		if n := fakegithub.Count(h.gh.Requests(), fakegithub.CreateIssue); n != 2 {
			t.Fatalf("%d issues created, want 2 (the race this test sets up)", n)
		}
		if is := auditIssues(h.gh); len(is) != 1 || is[0].State != "open" {
			t.Errorf("marked issues %+v, want one open", is)
		}
	})
}

// overdueManifest is the clean manifest, its window long past (the binary
// runs with the real clock) and no outcome recorded: UG519, due since the
// window's end plus the default outcomeWithin (7 days).
func overdueManifest() string {
	return strings.Replace(realClock(manifestYAML(clean)), "window: {start: 2026-12-01T22:00:00Z, end: 2026-12-01T23:30:00Z}",
		"window: {start: 2026-01-10T22:00:00Z, end: 2026-01-10T23:30:00Z}", 1)
}

// recordedManifest is overdueManifest with its outcome and review recorded.
func recordedManifest() string {
	m := strings.Replace(overdueManifest(), `review: {owner: "@carol", due: 2026-12-08}`,
		`review: {owner: "@carol", due: 2026-01-20, done: 2026-01-19}`, 1)
	return m + `  outcome:
    date: 2026-01-11
    result: succeeded
    healthChecks: passed
    evidence: https://ci.example.com/runs/456
  docsUpdated: true
`
}
