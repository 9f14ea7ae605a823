package action

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// postRun runs the fork setup's second step on an artifact holding rep,
// for a pull_request run that concluded conclusion, and returns the one
// comment it wrote ("" when none) and the job summary.
func postRun(t *testing.T, rep *report.Report, conclusion string) (comment, summary, stdout string) {
	t.Helper()
	h := newHarness(t)
	p, _ := report.For("json")
	var b strings.Builder
	if err := p(&b, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	h.write("artifact/upgradegate.json", b.String())
	h.env["INPUT_REPORT-FILE"] = "artifact/upgradegate.json"
	h.env["GITHUB_EVENT_NAME"] = "workflow_run"
	run := map[string]any{
		"event": "pull_request", "head_sha": headSHA, "head_branch": "upgrade-app",
		"head_repository": map[string]any{"full_name": "someone/r-fork"},
		"html_url":        server + "/o/r/actions/runs/41",
	}
	if conclusion != "" {
		run["conclusion"] = conclusion
	}
	h.setEvent(map[string]any{"action": "completed", "workflow_run": run})
	h.gh.Pulls = []map[string]any{
		{"number": 9, "head": map[string]any{"sha": headSHA, "ref": "upgrade-app", "repo": map[string]any{"full_name": "someone/r-fork"}}},
	}
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit code %d, want 0; stdout:\n%s", res.code, res.stdout)
	}
	got := withMarker(h.gh, marker())
	if len(got) > 1 {
		t.Fatalf("%d comments, want at most 1", len(got))
	}
	if len(got) == 1 {
		comment = got[0].Body
	}
	return comment, res.summary, res.stdout
}

// TestPostHeadlinesTheRunsConclusion: the artifact comes from the pull
// request's code, which can drop its findings or mark them suppressed; the
// comment and the job summary head with the run's conclusion from the event,
// label the artifact's report as reported by the pull request's run, and say
// when the two disagree.
func TestPostHeadlinesTheRunsConclusion(t *testing.T) {
	t.Parallel()
	failing := report.New([]report.Manifest{{File: "upgrades/app.yaml", Component: "app", From: "1.0.0", To: "3.0.0"}},
		[]finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: 9, Column: 7, Message: "skips 2.0.0"}},
		nil, finding.Error)
	// the same finding, forged into a suppressed one
	forged := report.New(failing.Manifests, []finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml",
		Line: 9, Column: 7, Message: "skips 2.0.0", Suppressed: true}}, nil, finding.Error)
	const mismatchPass = "The report says the checks pass, but the pull request's run failed"
	for _, tc := range []struct {
		name       string
		rep        *report.Report
		conclusion string
		headline   string
		warning    string // "" when the report agrees with the run
	}{
		{"forged pass on a failed run", forged, "failure", "### ❌ upgradegate: the pull request's run failed", mismatchPass},
		{"empty report on a failed run", report.New(nil, nil, nil, finding.Error), "failure",
			"### ❌ upgradegate: the pull request's run failed", mismatchPass},
		{"failing report on a failed run", failing, "failure", "### ❌ upgradegate: the pull request's run failed", ""},
		{"passing report on a passed run", forged, "success", "### ✅ upgradegate: the pull request's run passed", ""},
		{"failing report on a passed run", failing, "success", "### ✅ upgradegate: the pull request's run passed",
			"The report says the checks fail, but the pull request's run passed"},
		{"cancelled run", forged, "cancelled", "### ⚠️ upgradegate: the pull request's run ended: cancelled",
			"The pull request's run neither passed nor failed (it concluded cancelled)"},
		{"no conclusion", forged, "", "### ⚠️ upgradegate: the pull request's run has no conclusion",
			"The pull request's run neither passed nor failed (it concluded nothing)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			comment, summary, stdout := postRun(t, tc.rep, tc.conclusion)
			if comment == "" && tc.conclusion != "success" {
				t.Fatalf("no comment (comment: on-failure) although the run did not pass")
			}
			for where, text := range map[string]string{"comment": comment, "summary": summary} {
				if text == "" {
					continue
				}
				if i := strings.Index(text, tc.headline); i < 0 || strings.Contains(text[:i], "upgradegate: ") {
					t.Errorf("%s does not head with %q:\n%s", where, tc.headline, text)
				}
				if strings.Count("\n"+text, "\n### ") != 1 {
					t.Errorf("%s: the artifact's result reads as a verdict:\n%s", where, text)
				}
				if !strings.Contains(text, "#### Reported by the pull request's run: ") {
					t.Errorf("%s does not label the artifact's report:\n%s", where, text)
				}
				if !strings.Contains(text, "concluded **"+orDefault(tc.conclusion, "nothing")+"**") {
					t.Errorf("%s does not say the run's conclusion:\n%s", where, text)
				}
				if tc.warning == "" && strings.Contains(text, "does not match the run") {
					t.Errorf("%s says the report disagrees, but it agrees:\n%s", where, text)
				}
				if tc.warning != "" && !strings.Contains(text, "> [!WARNING]\n> "+tc.warning) {
					t.Errorf("%s lacks the warning %q:\n%s", where, tc.warning, text)
				}
			}
			if tc.warning != "" && !strings.Contains(stdout, "::warning::"+tc.warning) {
				t.Errorf("no warning annotation %q:\n%s", tc.warning, stdout)
			}
		})
	}
}

// TestPostNeutralisesReferences: nothing taken from the artifact becomes a
// link or a cross-reference (#12 would notify issue 12; a bare URL would be
// a link the gate seems to vouch for).
func TestPostNeutralisesReferences(t *testing.T) {
	t.Parallel()
	rep := report.New([]report.Manifest{{File: "upgrades/app.yaml", Component: "app see #3", From: "1.0.0", To: "3.0.0",
		Path: []string{"www.evil.test"}}},
		[]finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: 9, Column: 7,
			Message: "fixed in #12 and owner/repo#7, GH-5", Hint: "see https://evil.test/login or HTTP://evil.test"}},
		nil, finding.Error)
	comment, summary, _ := postRun(t, rep, "failure")
	for where, text := range map[string]string{"comment": comment, "summary": summary} {
		for _, bad := range []string{"#3", "#12", "repo#7", "GH-5", "https://evil", "HTTP://evil", "www.evil"} {
			if strings.Contains(text, bad) {
				t.Errorf("%s holds %q as written:\n%s", where, bad, text)
			}
		}
		if !strings.Contains(text, "fixed in #\u200d12") {
			t.Errorf("%s lost the message:\n%s", where, text)
		}
	}
	// links the action makes itself stay
	if !strings.Contains(comment, "/o/r/blob/"+headSHA+"/upgrades/app.yaml#L9") || !strings.Contains(comment, "("+server+"/o/r/actions/runs/41)") {
		t.Errorf("the comment lost its own links:\n%s", comment)
	}
}
