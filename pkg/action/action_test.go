package action

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/github"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestFirstRunCreatesOneComment(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	res := h.run()

	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want %d; stdout:\n%s", res.code, ExitFindings, res.stdout)
	}
	if !strings.Contains(res.stdout, ug201) {
		t.Errorf("stdout lacks the annotation %q:\n%s", ug201, res.stdout)
	}
	want := map[string]string{"result": "fail", "errors": "1", "warnings": "0", "report": ""}
	if diff := cmp.Diff(want, res.outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	got := withMarker(h.gh, marker())
	if len(got) != 1 {
		t.Fatalf("%d comments with the marker, want 1", len(got))
	}
	body := got[0].Body
	for _, s := range []string{
		marker(), "❌ upgradegate: checks failed", "UG201",
		"[upgrades/app.yaml:9:7](" + server + "/o/r/blob/" + headSHA + "/upgrades/app.yaml#L9)",
		"| [upgrades/app.yaml](" + server + "/o/r/blob/" + headSHA + "/upgrades/app.yaml#L1) | app | 1.0.0 → 3.0.0 |",
		"[the job summary](" + server + "/o/r/actions/runs/42)",
	} {
		if !strings.Contains(body, s) {
			t.Errorf("comment lacks %q:\n%s", s, body)
		}
	}
	if !strings.HasPrefix(body, marker()+"\n") {
		t.Errorf("comment does not start with the marker:\n%s", body)
	}
	if !strings.Contains(res.summary, "UG201") || !strings.Contains(res.summary, "checks failed") {
		t.Errorf("job summary lacks the report:\n%s", res.summary)
	}
	// files (1 page), comments (1 page), create, comments again (1 page)
	wantReqs := []string{
		"GET /repos/o/r/pulls/7/files?per_page=100",
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"POST /repos/o/r/issues/7/comments?",
		"GET /repos/o/r/issues/7/comments?per_page=100",
	}
	if diff := cmp.Diff(wantReqs, requestStrings(res.reqs)); diff != "" {
		t.Errorf("API requests (-want +got):\n%s", diff)
	}
	assertUpkeepBudget(t, res.reqs)
}

func TestSecondRunEditsTheComment(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.run()
	first := withMarker(h.gh, marker())

	h.write("upgrades/app.yaml", manifestYAML("[1.1.0]"))
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want %d", res.code, ExitFindings)
	}
	got := withMarker(h.gh, marker())
	if len(got) != 1 || got[0].ID != first[0].ID {
		t.Fatalf("comments %+v, want the first one (%d) only", got, first[0].ID)
	}
	if !strings.Contains(got[0].Body, "1.1.0") {
		t.Errorf("comment was not edited with the new report:\n%s", got[0].Body)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.CreateComment); n != 0 {
		t.Errorf("second run created %d comments", n)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.EditComment); n != 1 {
		t.Errorf("second run edited %d times, want 1", n)
	}
	if n := len(commentUpkeep(res.reqs)); n != 3 {
		t.Errorf("comment upkeep took %d requests, want 3 (list, who the token is, edit): %v", n, commentUpkeep(res.reqs))
	}
	assertUpkeepBudget(t, res.reqs)
}

func TestCleanPullRequestWritesNoComment(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit code %d, want 0", res.code)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.CreateComment); n != 0 {
		t.Errorf("created %d comments on a clean pull request with comment: on-failure", n)
	}

	h.env["INPUT_COMMENT"] = "always"
	h.run()
	if got := withMarker(h.gh, marker()); len(got) != 1 || !strings.Contains(got[0].Body, "all checks pass") {
		t.Errorf("comment: always: comments %+v, want one passing comment", got)
	}
}

func TestCommentNeverMakesNoCommentRequest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.gh.AddComment(7, fakegithub.JobLogin, "Bot", marker()+"\nold failure")
	h.env["INPUT_COMMENT"] = "never"
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	if up := commentUpkeep(res.reqs); len(up) != 0 {
		t.Errorf("comment: never made comment requests: %v", up)
	}
}

func TestServerErrorsAreRetried(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.gh.Inject[fakegithub.CreateComment] = []fakegithub.Answer{
		{Status: 500, Body: `{"message":"Server Error"}`},
		{Status: 500, Body: `{"message":"Server Error"}`},
	}
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.CreateComment); n != 3 {
		t.Errorf("%d create requests, want 3 (500, 500, 201)", n)
	}
	if got := withMarker(h.gh, marker()); len(got) != 1 {
		t.Errorf("%d comments, want 1", len(got))
	}
	if diff := cmp.Diff([]time.Duration{time.Second, 2 * time.Second}, h.sleeps); diff != "" {
		t.Errorf("backoff (-want +got):\n%s", diff)
	}
	if strings.Contains(res.stdout, "::warning") {
		t.Errorf("a retried request left a warning:\n%s", res.stdout)
	}
}

func TestRateLimitHonoursRetryAfterThenWarns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	secondary := fakegithub.Answer{Status: 403, Header: map[string]string{"Retry-After": "7"},
		Body: `{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits"}`}
	h.gh.Inject[fakegithub.ListComments] = []fakegithub.Answer{secondary, secondary, secondary, secondary, secondary, secondary, secondary, secondary, secondary, secondary}
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1: an API failure never changes the verdict", res.code)
	}
	// every attempt but the last waits Retry-After's 7s, within the budget
	want := make([]time.Duration, github.DefaultMaxAttempts-1)
	for i := range want {
		want[i] = 7 * time.Second
	}
	if diff := cmp.Diff(want, h.sleeps); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.ListComments); n != github.DefaultMaxAttempts {
		t.Errorf("%d comment listings, want %d attempts", n, github.DefaultMaxAttempts)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.CreateComment) + fakegithub.Count(res.reqs, fakegithub.EditComment); n != 0 {
		t.Errorf("wrote a comment without having listed them")
	}
	if !strings.Contains(res.stdout, "::warning::Cannot update the comment on pull request #7") {
		t.Errorf("stdout lacks the warning:\n%s", res.stdout)
	}
}

func TestAnnotationLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var fs []finding.Finding
	for i := 0; i < 120; i++ {
		sev := []finding.Severity{finding.Notice, finding.Warning, finding.Error}[i%3]
		fs = append(fs, finding.Finding{Rule: rules.UG501, Severity: sev, File: "upgrades/app.yaml", Line: i + 1, Column: 3,
			Message: fmt.Sprintf("finding %d", i)})
	}
	h.check = fakeCheck(fs)
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	var levels []string
	for _, line := range strings.Split(res.stdout, "\n") {
		for _, l := range []string{"error", "warning", "notice"} {
			if strings.HasPrefix(line, "::"+l+" ") && strings.Contains(line, "file=") {
				levels = append(levels, l)
			}
		}
	}
	var want []string
	limits := report.DefaultAnnotationLimits()
	for _, sev := range []finding.Severity{finding.Error, finding.Warning, finding.Notice} {
		for i := 0; i < limits[sev]; i++ {
			want = append(want, sev.String())
		}
	}
	if diff := cmp.Diff(want, levels); diff != "" {
		t.Errorf("annotations, most severe first and 10 of each (-want +got):\n%s", diff)
	}
	note := "30 errors, 30 warnings and 30 notices were not shown as annotations"
	if !strings.Contains(res.summary, note) {
		t.Errorf("job summary lacks %q:\n%.2000s", note, res.summary)
	}
	if !strings.Contains(res.stdout, "finding 119") {
		t.Errorf("the log does not list every finding")
	}
}

func TestLongReportIsTruncated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var fs []finding.Finding
	for i := 0; i < 350; i++ {
		fs = append(fs, finding.Finding{Rule: rules.UG402, Severity: finding.Error, File: "upgrades/app.yaml", Line: i + 1, Column: 1,
			Message: fmt.Sprintf("config key %d missing: %s", i, strings.Repeat("x", 200))})
	}
	h.check = fakeCheck(fs)
	res := h.run()
	full := report.RenderMarkdown(report.New(nil, fs, nil, finding.Error), report.MarkdownOptions{})
	if len(full) < 70000 {
		t.Fatalf("the test report has %d characters, want over 70,000", len(full))
	}
	got := withMarker(h.gh, marker())
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	body := got[0].Body
	if n := len([]rune(body)); n > github.MaxCommentBody {
		t.Errorf("comment has %d characters, over %d", n, github.MaxCommentBody)
	}
	if !strings.Contains(body, "too long for a comment") || !strings.Contains(body, server+"/o/r/actions/runs/42") {
		t.Errorf("truncated comment does not point to the job summary:\n%s", body[len(body)-500:])
	}
	if !strings.Contains(res.summary, "config key 349 missing") {
		t.Errorf("job summary lost findings that fit in it")
	}
	if len(res.summary) > 1<<20 {
		t.Errorf("job summary has %d bytes, over 1 MiB", len(res.summary))
	}
}

func TestHugeReportKeepsSummaryUnder1MiB(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var fs []finding.Finding
	for i := 0; i < 5000; i++ {
		fs = append(fs, finding.Finding{Rule: rules.UG402, Severity: finding.Error, File: "upgrades/app.yaml", Line: i + 1, Column: 1,
			Message: fmt.Sprintf("config key %d missing: %s", i, strings.Repeat("y", 300))})
	}
	h.check = fakeCheck(fs)
	h.env["INPUT_COMMENT"] = "never"
	res := h.run()
	if len(res.summary) > MaxSummary || len(res.summary) > 1<<20 {
		t.Errorf("job summary has %d bytes, over the limit", len(res.summary))
	}
	if !strings.Contains(res.summary, "cut here to stay under the job summary's 1 MiB limit") {
		t.Errorf("job summary's truncation is not marked:\n%s", res.summary[len(res.summary)-400:])
	}
}

func TestNoManifestConcerned(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// a failing manifest on the base branch that this pull request does not touch
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.write("upgrades/broken.yaml", "kind: Upgrade\nspec: [\n")
	h.gh.Files = []string{"README.md"}
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit code %d, want 0; stdout:\n%s", res.code, res.stdout)
	}
	notice := "::notice::No upgrade manifest is concerned by this pull request"
	if !strings.Contains(res.stdout, notice) {
		t.Errorf("stdout lacks %q:\n%s", notice, res.stdout)
	}
	if !strings.Contains(res.summary, "No upgrade manifest is concerned") {
		t.Errorf("summary lacks the notice:\n%s", res.summary)
	}
	if res.outputs["result"] != "pass" {
		t.Errorf("output result %q, want pass", res.outputs["result"])
	}
	if n := fakegithub.Count(res.reqs, fakegithub.CreateComment); n != 0 {
		t.Errorf("created %d comments", n)
	}
}

func TestChangedPolicySelectsItsManifests(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.gh.Files = []string{"policies/app.yaml"}
	if res := h.run(); res.code != ExitFindings || !strings.Contains(res.stdout, ug201) {
		t.Errorf("exit code %d, want 1 with UG201: a changed policy selects its manifests", res.code)
	}
}

func TestChangedOnlyFalseChecksEverything(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.gh.Files = []string{"README.md"}
	h.env["INPUT_CHANGED-ONLY"] = "false"
	if res := h.run(); res.code != ExitFindings {
		t.Errorf("exit code %d, want 1", res.code)
	}
}

func TestTooManyChangedFilesChecksEverything(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	ev := prEvent(7, "o/r")
	ev["pull_request"].(map[string]any)["changed_files"] = 3500
	h.setEvent(ev)
	res := h.run()
	if res.code != ExitFindings {
		t.Errorf("exit code %d, want 1", res.code)
	}
	if !strings.Contains(res.stdout, "::notice::Pull request #7 changes 3500 files, more than the 3000 the API lists: checking every manifest.") {
		t.Errorf("stdout lacks the fallback notice:\n%s", res.stdout)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.PullFiles); n != 0 {
		t.Errorf("listed files %d times, want 0", n)
	}
}

func TestDocumentationChangeIsPassedToReferences(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.gh.Files = []string{"upgrades/app.yaml"} // docs/app.md not changed
	res := h.run()
	if !strings.Contains(res.stdout, "title=UG422") {
		t.Errorf("no UG422 annotation although docs/app.md did not change:\n%s", res.stdout)
	}
	h.gh.Files = []string{"upgrades/app.yaml", "docs/app.md"}
	if res := h.run(); strings.Contains(res.stdout, "title=UG422") {
		t.Errorf("UG422 although docs/app.md changed")
	}
}

func TestInputsAsTheRunnerNamesThem(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.gh.Files = []string{"upgrades/app.yaml"} // UG422: a warning
	h.env["INPUT_FAIL-ON"] = "warning"
	if res := h.run(); res.code != ExitFindings || res.outputs["warnings"] != "1" {
		t.Errorf("fail-on warning: exit code %d, warnings %q; want 1, 1", res.code, res.outputs["warnings"])
	}
	for _, tc := range []struct{ name, value, want string }{
		{"INPUT_FAIL-ON", "fatal", `input fail-on: unknown value "fatal"`},
		{"INPUT_COMMENT", "sometimes", `input comment: unknown value "sometimes"`},
		{"INPUT_CHANGED-ONLY", "yes please", `input changed-only: "yes please" is not a boolean`},
	} {
		h := newHarness(t)
		h.env[tc.name] = tc.value
		res := h.run()
		if res.code != ExitError || !strings.Contains(res.stdout, "::error::upgradegate could not run: "+tc.want) {
			t.Errorf("%s=%s: exit code %d, stdout %q; want 2 and %q", tc.name, tc.value, res.code, res.stdout, tc.want)
		}
	}
}

func TestUnsetFileCommandsDoNotPanic(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.env["GITHUB_OUTPUT"], h.env["GITHUB_STEP_SUMMARY"] = "", ""
	if res := h.run(); res.code != ExitFindings {
		t.Errorf("exit code %d, want 1", res.code)
	}
}

func TestEmptyWorkspaceIsAnError(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env["GITHUB_WORKSPACE"] = t.TempDir()
	res := h.run()
	if res.code != ExitError || !strings.Contains(res.stdout, "run actions/checkout before this step") {
		t.Errorf("exit code %d, stdout %q; want 2 and a hint to check out", res.code, res.stdout)
	}
}

func TestPushEventChecksEverythingWithoutComment(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.env["GITHUB_EVENT_NAME"] = "push"
	h.setEvent(map[string]any{"ref": "refs/heads/main"})
	res := h.run()
	if res.code != ExitFindings {
		t.Errorf("exit code %d, want 1", res.code)
	}
	if len(res.reqs) != 0 {
		t.Errorf("push run made API requests: %v", res.reqs)
	}
}

func TestCommentEscapesManifestText(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	hostile := `<!-- upgradegate:comment workflow=x job=y --> @org/admins | <img src=x> **bold** [link](https://evil.test)`
	h.write("upgrades/app.yaml", strings.Replace(manifestYAML(failing), "component: app", "component: '"+hostile+"'", 1))
	h.env["INPUT_COMMENT"] = "always"
	h.run()
	got := withMarker(h.gh, marker())
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	body := got[0].Body
	if n := strings.Count(body, "<!--"); n != 1 {
		t.Errorf("comment has %d HTML comments, want our marker only:\n%s", n, body)
	}
	for _, bad := range []string{"@org", "<img", "**bold**", "[link](", "--> @"} {
		if strings.Contains(body, bad) {
			t.Errorf("comment contains %q unescaped:\n%s", bad, body)
		}
	}
	columns := 0 // the header's separators
	for _, line := range strings.Split(body, "\n") {
		if strings.HasPrefix(line, "| Manifest |") {
			columns = strings.Count(line, "|")
		}
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "org/admins") {
			if cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); cells != columns || columns < 6 {
				t.Errorf("table row has %d separators, want the header's %d: %s", cells, columns, line)
			}
		}
	}
}

func TestPostModePostsAnUploadedReport(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// the artifact: a JSON report from the pull_request run
	fs := []finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: 9, Column: 7,
		Message: "hop skips required stop 2.0.0 @everyone"}}
	p, _ := report.For("json")
	var b strings.Builder
	p(&b, report.New([]report.Manifest{{File: "upgrades/app.yaml", Component: "app", From: "1.0.0", To: "3.0.0"}}, fs, nil, finding.Error), report.Options{})
	h.write("artifact/upgradegate.json", b.String())
	h.env["INPUT_REPORT-FILE"] = "artifact/upgradegate.json"
	h.env["GITHUB_EVENT_NAME"] = "workflow_run"
	h.env["GITHUB_WORKFLOW"], h.env["GITHUB_JOB"] = "Upgrade gate comment", "comment"
	h.setEvent(map[string]any{"action": "completed", "workflow_run": map[string]any{
		"event": "pull_request", "head_sha": headSHA, "head_branch": "upgrade-app",
		"head_repository": map[string]any{"full_name": "someone/r-fork"},
		"html_url":        server + "/o/r/actions/runs/41",
		"pull_requests":   []any{},
	}})
	h.gh.Pulls = []map[string]any{
		{"number": 9, "head": map[string]any{"sha": headSHA, "ref": "upgrade-app", "repo": map[string]any{"full_name": "someone/r-fork"}}},
		{"number": 10, "head": map[string]any{"sha": "other", "ref": "upgrade-app", "repo": map[string]any{"full_name": "someone/r-fork"}}},
	}
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit code %d, want 0; stdout:\n%s", res.code, res.stdout)
	}
	var posted []string
	for _, r := range res.reqs {
		if r.Route == fakegithub.CreateComment {
			posted = append(posted, r.APIPath)
		}
	}
	if diff := cmp.Diff([]string{"/repos/o/r/issues/9/comments"}, posted); diff != "" {
		t.Errorf("comments posted (-want +got):\n%s", diff)
	}
	got := withMarker(h.gh, Marker("Upgrade gate comment", "comment"))
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	for _, s := range []string{"UG201", "/o/r/blob/" + headSHA + "/upgrades/app.yaml#L9", "@\u200deveryone", server + "/o/r/actions/runs/41"} {
		if !strings.Contains(got[0].Body, s) {
			t.Errorf("comment lacks %q:\n%s", s, got[0].Body)
		}
	}
}

func TestPostModeNeedsWorkflowRun(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("r.json", `{}`)
	h.env["INPUT_REPORT-FILE"] = "r.json"
	if res := h.run(); res.code != ExitError || !strings.Contains(res.stdout, "workflow_run") {
		t.Errorf("exit code %d, stdout %q; want 2 and an explanation", res.code, res.stdout)
	}
}

func TestMarkerEscapesNames(t *testing.T) {
	t.Parallel()
	got := Marker("Upgrade gate --> <b>", "gate-1")
	want := "<!-- upgradegate:comment workflow=Upgrade%20gate%20%2D%2D%3E%20%3Cb%3E job=gate%2D1 -->"
	if got != want {
		t.Errorf("Marker = %q, want %q", got, want)
	}
}

func fakeCheck(fs []finding.Finding) func(context.Context, check.Options) (*report.Report, error) {
	return func(_ context.Context, o check.Options) (*report.Report, error) {
		ms := []report.Manifest{{File: "upgrades/app.yaml", Component: "app", From: "1.0.0", To: "3.0.0", Line: 1}}
		return report.New(ms, append([]finding.Finding(nil), fs...), nil, o.FailOn), nil
	}
}

func requestStrings(reqs []fakegithub.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.String()
	}
	return out
}

// TestChangedReferenceSelectsItsManifest: a pull request that changes only a
// file a manifest references (a config file, a Kubernetes secret file, a
// doc) checks that manifest, and only that one.
func TestChangedReferenceSelectsItsManifest(t *testing.T) {
	t.Parallel()
	for _, changed := range []string{"deploy/values.yaml", "k8s/secrets.yaml", "docs/app.md"} {
		t.Run(changed, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", manifestYAML(failing)+`  config:
    - {file: deploy/values.yaml, key: db.pool}
  secrets:
    - {name: app-db, store: kubernetes, file: k8s/secrets.yaml}
`)
			h.write("deploy/values.yaml", "db:\n  pool: 20\n")
			h.write("k8s/secrets.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: app-db}\n")
			h.write("docs/app.md", "# runbook\n")
			// an unrelated failing manifest that the pull request does not touch
			other := strings.Replace(manifestYAML(failing), "name: app-3", "name: other", 1)
			h.write("upgrades/other.yaml", strings.Replace(other, "docs: [docs/app.md]", "docs: [docs/other.md]", 1))
			h.write("docs/other.md", "# other runbook\n")
			h.gh.Files = []string{changed}
			res := h.run()
			if res.code != ExitFindings || !strings.Contains(res.stdout, ug201) {
				t.Errorf("exit code %d, want 1 with UG201 of upgrades/app.yaml:\n%s", res.code, res.stdout)
			}
			if strings.Contains(res.stdout, "file=upgrades/other.yaml") {
				t.Errorf("the untouched manifest was checked:\n%s", res.stdout)
			}
		})
	}
}

// TestChangedThroughASymlinkSelectsItsManifest is issue 13 item 3 through
// the Action: the manifest names conf/values.yaml, conf links to deploy, and
// the pull request changes deploy/values.yaml.
func TestChangedThroughASymlinkSelectsItsManifest(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(clean)+"  config:\n    - {file: conf/values.yaml, key: db.pool}\n")
	h.write("deploy/values.yaml", "db: {size: 3}\n")
	if err := os.Symlink("deploy", filepath.Join(h.ws, "conf")); err != nil {
		t.Fatal(err)
	}
	h.gh.Files = []string{"deploy/values.yaml"}
	res := h.run()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "title=UG402") {
		t.Errorf("exit code %d, want 1 with UG402 on the key missing from deploy/values.yaml:\n%s", res.code, res.stdout)
	}
	if strings.Contains(res.stdout, "No upgrade manifest is concerned") {
		t.Errorf("the change through the symlink passed as concerning no manifest")
	}
}

func TestFailOnOffIsNever(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.env["INPUT_FAIL-ON"] = "off"
	if res := h.run(); res.code != ExitOK || !strings.Contains(res.stdout, ug201) {
		t.Errorf("fail-on off: exit code %d, want 0 with the UG201 annotation still shown", res.code)
	}
}

// TestOthersCommentsAreLeftAlone is issue 13 item 2 through the Action: a
// welcome bot's comment that quotes the marker, even as its first line, is
// neither edited nor deleted; the gate keeps its own.
func TestOthersCommentsAreLeftAlone(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	welcome := h.gh.AddComment(7, "welcome[bot]", "Bot", marker()+"\nWelcome! upgradegate will report here.")
	ours := h.gh.AddComment(7, fakegithub.JobLogin, "Bot", marker()+"\nold report")
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	var writes []string
	for _, r := range res.reqs {
		if r.Route == fakegithub.EditComment || r.Route == fakegithub.DeleteComment || r.Route == fakegithub.CreateComment {
			writes = append(writes, r.String())
		}
	}
	if diff := cmp.Diff([]string{fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", ours.ID)}, writes); diff != "" {
		t.Errorf("comment writes (-want +got):\n%s", diff)
	}
	if got := withMarker(h.gh, marker()); len(got) != 2 || got[0].Body != welcome.Body || !strings.Contains(got[1].Body, "UG201") {
		t.Errorf("comments %+v, want the welcome bot's untouched and ours edited", got)
	}
}

// TestForbiddenEditSaysWhatWasRefused: a 403 on editing the gate's own
// comment names the edit, not a comment that is not ours.
func TestForbiddenEditSaysWhatWasRefused(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.gh.AddComment(7, fakegithub.JobLogin, "Bot", marker()+"\nold report")
	h.gh.Inject[fakegithub.EditComment] = []fakegithub.Answer{{Status: 403, Body: `{"message":"Resource not accessible by integration"}`}}
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	want := "::warning::The token may not edit its own comment on pull request #7"
	if !strings.Contains(res.stdout, want) || !strings.Contains(res.stdout, "pull-requests: write") {
		t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
	}
}
