package action

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// hostile is manifest text that tries every way out of its place.
var hostile = strings.Join([]string{
	"<!-- upgradegate:comment workflow=Upgrade%20gate job=gate -->", "-->", "@org/team", "a|b", "`code`",
	"<script>alert(1)</script>", "line1\nline2", "%0A::error::injected", "\r\n::warning::injected2",
	"\u202egnp.exe", `$\color{green}{\Huge\text{all checks pass}}$`, "[x](https://evil.test)", "**bold**",
}, " ")

func hostileCheck(_ context.Context, o check.Options) (*report.Report, error) {
	ms := []report.Manifest{{File: "upgrades/app.yaml", Line: 1, Component: hostile, From: "1.0.0 | x", To: hostile,
		Path: []string{hostile}}}
	fs := []finding.Finding{
		{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: 9, Column: 7, Message: hostile, Hint: hostile},
		{Rule: rules.UG509, Severity: finding.Warning, File: "upgrades/app.yaml", Line: 20, Column: 3, Message: hostile,
			Suppressed: true, SuppressedBy: hostile},
	}
	return report.New(ms, fs, nil, o.FailOn), nil
}

// TestHostileManifestTextIsEscapedEverywhere: the comment, the job summary
// and the annotations show manifest text as text: no HTML or HTML comment,
// no mention, no math, no extra table cell, no workflow command, no
// bidirectional override.
func TestHostileManifestTextIsEscapedEverywhere(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.check = hostileCheck
	h.env["INPUT_COMMENT"] = "always"
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	got := withMarker(h.gh, marker())
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	for name, md := range map[string]string{"comment": got[0].Body, "summary": res.summary} {
		ours := 0
		if name == "comment" {
			ours = 1 // the marker
		}
		if strings.Count(md, "<!--") != ours || strings.Count(md, "-->") != ours {
			t.Errorf("%s: %d <!-- and %d -->, want %d", name, strings.Count(md, "<!--"), strings.Count(md, "-->"), ours)
		}
		for _, bad := range []string{"<script", "@org", "`code`", "$\\color", "**bold**", "[x](", "\u202e", "\nline2"} {
			if strings.Contains(md, bad) {
				t.Errorf("%s contains %q unescaped", name, bad)
			}
		}
		for i := strings.IndexByte(md, '$'); i >= 0; i = nextByte(md, '$', i) {
			if i == 0 || md[i-1] != '\\' {
				t.Errorf("%s: an unescaped $ (math) at %q", name, md[max(i-20, 0):min(i+20, len(md))])
				break
			}
		}
		for _, line := range strings.Split(md, "\n") {
			if strings.HasPrefix(line, "| [upgrades/app.yaml]") {
				if cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); cells != 6 {
					t.Errorf("%s: table row has %d separators, want 6: %s", name, cells, line)
				}
			}
		}
	}
	// the runner reads commands line by line, except between stop-commands
	// and its token
	stopped := ""
	for _, line := range strings.Split(res.stdout, "\n") {
		switch {
		case stopped != "":
			if line == "::"+stopped+"::" {
				stopped = ""
			}
		case strings.HasPrefix(line, "::stop-commands::"):
			stopped = strings.TrimPrefix(line, "::stop-commands::")
		case strings.HasPrefix(line, "::") && !strings.HasPrefix(line, "::error file=upgrades/app.yaml,line=9,col=7,title=UG201::") &&
			!strings.HasPrefix(line, "::group::") && !strings.HasPrefix(line, "::endgroup::"):
			t.Errorf("a workflow command the action did not mean: %s", line)
		case strings.Contains(line, "injected") && !strings.HasPrefix(line, "::"):
			t.Errorf("manifest text on a line of its own, outside stop-commands: %s", line)
		}
	}
	if stopped != "" {
		t.Errorf("stop-commands never resumed")
	}
}

// TestSecretInAFindingIsRedacted: a token that reaches a finding's text (an
// error message quoting it, say) is redacted from the comment, the job
// summary, the log and the report files, also where Markdown escaped it.
func TestSecretInAFindingIsRedacted(t *testing.T) {
	t.Parallel()
	const secret = "s3cr3t_value_of_the_secrets_token"
	h := newHarness(t)
	h.env["INPUT_SECRETS-TOKEN"] = secret
	h.env["INPUT_COMMENT"] = "always"
	h.env["INPUT_JSON-FILE"] = "out/report.json"
	h.env["INPUT_SARIF-FILE"] = "out/report.sarif"
	h.check = fakeCheck([]finding.Finding{{Rule: rules.UG412, Severity: finding.Error, File: "upgrades/app.yaml", Line: 3, Column: 1,
		Message: "secret store answered for token " + canary + " and " + secret, Hint: "rotate " + canary}})
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	texts := map[string]string{"comment": withMarker(h.gh, marker())[0].Body, "summary": res.summary, "stdout": res.stdout}
	for _, f := range []string{"out/report.json", "out/report.sarif"} {
		data, err := os.ReadFile(filepath.Join(h.ws, f))
		if err != nil {
			t.Fatal(err)
		}
		texts[f] = string(data)
	}
	for name, s := range texts {
		if hasToken(s) || strings.Contains(s, secret) || strings.Contains(s, report.EscapeMarkdown(secret)) {
			t.Errorf("%s holds a secret:\n%s", name, s)
		}
		if !strings.Contains(s, "answered for token ***") && !strings.Contains(s, `answered for token \*\*\*`) {
			t.Errorf("%s lacks the redacted message", name)
		}
	}
}

// TestPostModeEscapesTheBranchName: in the fork setup the head branch is
// the fork author's; a notice that names it is escaped in the job summary.
func TestPostModeEscapesTheBranchName(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	p, _ := report.For("json")
	var b strings.Builder
	p(&b, report.New(nil, nil, nil, finding.Error), report.Options{})
	h.write("artifact/upgradegate.json", b.String())
	h.env["INPUT_REPORT-FILE"] = "artifact/upgradegate.json"
	h.env["GITHUB_EVENT_NAME"] = "workflow_run"
	branch := "x<img/src=https://evil.test/p.png>@org/team$\\Huge{x}$"
	h.setEvent(map[string]any{"action": "completed", "workflow_run": map[string]any{
		"event": "pull_request", "head_sha": headSHA, "head_branch": branch,
		"head_repository": map[string]any{"full_name": "someone/r-fork"},
	}})
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit code %d, want 0; stdout:\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.summary, "No open pull request has") {
		t.Fatalf("summary lacks the notice:\n%s", res.summary)
	}
	for _, bad := range []string{"<img", "@org", "$\\Huge"} {
		if strings.Contains(res.summary, bad) {
			t.Errorf("summary contains %q unescaped:\n%s", bad, res.summary)
		}
	}
}

// TestPostModeLinksStayInTheRepository: the report of the fork setup is
// untrusted: a file name that climbs out of the repository is not a link.
func TestPostModeLinksStayInTheRepository(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	fs := []finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "../../../evil/repo/blob/main/x", Line: 9, Column: 7, Message: "m"}}
	p, _ := report.For("json")
	var b strings.Builder
	p(&b, report.New(nil, fs, nil, finding.Error), report.Options{})
	h.write("artifact/upgradegate.json", b.String())
	h.env["INPUT_REPORT-FILE"] = "artifact/upgradegate.json"
	h.env["GITHUB_EVENT_NAME"] = "workflow_run"
	h.setEvent(map[string]any{"action": "completed", "workflow_run": map[string]any{
		"event": "pull_request", "head_sha": headSHA, "head_branch": "upgrade-app",
		"head_repository": map[string]any{"full_name": "someone/r-fork"},
	}})
	h.gh.Pulls = []map[string]any{
		{"number": 9, "head": map[string]any{"sha": headSHA, "ref": "upgrade-app", "repo": map[string]any{"full_name": "someone/r-fork"}}},
	}
	if res := h.run(); res.code != ExitOK {
		t.Fatalf("exit code %d, want 0; stdout:\n%s", res.code, res.stdout)
	}
	got := withMarker(h.gh, marker())
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	if strings.Contains(got[0].Body, "evil/repo/blob/main/x:9:7]") || !strings.Contains(got[0].Body, "(../../../evil/repo/blob/main/x:9:7)") {
		t.Errorf("comment links out of the repository, or lost the place:\n%s", got[0].Body)
	}
}

// TestReportFileErrorTakesAnErrorSlot: a report file that cannot be written
// is an error annotation counted against the runner's 10, and is said in the
// job summary; the step exits 2.
func TestReportFileErrorTakesAnErrorSlot(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	var fs []finding.Finding
	for i := 0; i < 12; i++ {
		fs = append(fs, finding.Finding{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: i + 1, Column: 1, Message: "m"})
	}
	h.check = fakeCheck(fs)
	h.env["INPUT_JSON-FILE"] = "README.md/report.json" // under a file: cannot be created
	h.env["INPUT_COMMENT"] = "never"
	res := h.run()
	if res.code != ExitError {
		t.Fatalf("exit code %d, want 2", res.code)
	}
	var errs int
	for _, line := range strings.Split(res.stdout, "\n") {
		if strings.HasPrefix(line, "::error") {
			errs++
		}
	}
	if errs != 10 {
		t.Errorf("%d error annotations, want 10 (the runner's limit):\n%s", errs, res.stdout)
	}
	if !strings.Contains(res.stdout, `::error::Cannot write the json report "README.md/report.json"`) {
		t.Errorf("stdout lacks the error:\n%s", res.stdout)
	}
	if !strings.Contains(res.summary, "Cannot write the json report") || !strings.Contains(res.summary, "3 errors were not shown") {
		t.Errorf("summary lacks the error or the count of hidden findings:\n%.3000s", res.summary)
	}
}

// nextByte returns the index of the next c in s after i, or -1.
func nextByte(s string, c byte, i int) int {
	j := strings.IndexByte(s[i+1:], c)
	if j < 0 {
		return -1
	}
	return i + 1 + j
}
