package action

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// maxReportFile bounds the JSON report the post mode reads.
const maxReportFile = 64 << 20

// post is the second step of the fork setup, in a workflow_run workflow: it
// posts the JSON report (report-file) that the pull_request run computed and
// uploaded. The artifact comes from untrusted code, so it names nothing: the
// pull requests are those the API lists as open with the run's head
// repository, branch and commit, and everything shown is escaped. It exits 0
// unless it cannot run: the pull_request run is the gate.
func (x *run) post(ctx context.Context) int {
	wr := x.event.WorkflowRun
	if wr == nil || wr.HeadRepository == nil || wr.HeadSHA == "" || wr.HeadBranch == "" {
		return x.fail(fmt.Errorf("input report-file posts a report from a workflow_run workflow, but this is a %q event "+
			"without a workflow_run head: see %s", x.env.EventName, ForkSetupURL))
	}
	if x.client == nil {
		return x.fail(fmt.Errorf("input report-file needs the token input (with pull-requests: write) and GITHUB_REPOSITORY"))
	}
	rep, err := readReport(x.abs(x.in.ReportFile), x.in.FailOn)
	if err != nil {
		return x.fail(err)
	}
	rep = x.red.Report(rep)
	ro := x.reportOptions(wr.HeadSHA)
	ro.Untrusted = true
	x.log(rep, ro)
	lead, mismatch := runVerdict(wr, rep)
	if mismatch != "" {
		x.ann.message(finding.Warning, mismatch)
	}

	ctx2, cancel := context.WithTimeout(ctx, apiTimeout)
	prs, err := x.client.OpenPullRequests(ctx2, wr.HeadRepository.FullName, wr.HeadBranch, wr.HeadSHA)
	cancel()
	var numbers []int
	for _, p := range prs {
		numbers = append(numbers, p.Number)
	}
	switch {
	case err != nil:
		x.warn("Cannot find the pull request of %s:%s (%v): no comment was written.", wr.HeadRepository.FullName, wr.HeadBranch, err)
	case len(numbers) == 0:
		x.notice("No open pull request has %s:%s at %.7s (closed, or a newer commit was pushed): nothing to post.",
			wr.HeadRepository.FullName, wr.HeadBranch, wr.HeadSHA)
	default:
		x.comment(ctx, rep, numbers, commentInfo{HeadSHA: wr.HeadSHA, RunURL: wr.HTMLURL, Lead: lead,
			Untrusted: true, Failed: wr.Conclusion != "success"}, false)
	}
	x.outputs(rep, "")
	x.notes = append([]string{strings.TrimSuffix(lead, "\n\n")}, x.notes...)
	x.summary(rep, ro)
	return ExitOK
}

// runVerdict heads the posted report with what can be trusted: the
// conclusion of the pull request's run, from the event (the artifact could
// drop findings or mark them suppressed, and would then say "checks pass").
// It labels what follows as reported by that run and, when the report's
// result disagrees with the conclusion, says so; mismatch is that sentence,
// "" when they agree.
func runVerdict(wr *workflowRun, rep *report.Report) (lead, mismatch string) {
	var b strings.Builder
	conclusion := report.EscapeMarkdown(wr.Conclusion)
	switch wr.Conclusion {
	case "success":
		b.WriteString("### ✅ upgradegate: the pull request's run passed\n\n")
	case "failure":
		b.WriteString("### ❌ upgradegate: the pull request's run failed\n\n")
	case "":
		b.WriteString("### ⚠️ upgradegate: the pull request's run has no conclusion\n\n")
		conclusion = "nothing"
	default:
		fmt.Fprintf(&b, "### ⚠️ upgradegate: the pull request's run ended: %s\n\n", conclusion)
	}
	run := "the pull request's run"
	if wr.HTMLURL != "" {
		run = fmt.Sprintf("[the pull request's run](%s)", wr.HTMLURL)
	}
	fmt.Fprintf(&b, "GitHub records that %s at commit %s concluded **%s**: that is the verdict. The report below is "+
		"reported by the pull request's run, in the artifact it uploaded, which the pull request's code could change.\n\n",
		run, report.EscapeMarkdown(short(wr.HeadSHA)), conclusion)
	switch {
	case wr.Conclusion == "failure" && !rep.Failed():
		mismatch = "The report says the checks pass, but the pull request's run failed: the report does not match the run. " +
			"Findings may have been dropped or marked suppressed in it, or another step of the run failed; the run's conclusion stands."
	case wr.Conclusion == "success" && rep.Failed():
		mismatch = "The report says the checks fail, but the pull request's run passed: the report does not match the run " +
			"(the two workflows' fail-on differ, or the gate's step may fail without failing the run)."
	case wr.Conclusion != "success" && wr.Conclusion != "failure":
		mismatch = fmt.Sprintf("The pull request's run neither passed nor failed (it concluded %s): the report may be incomplete.",
			orDefault(wr.Conclusion, "nothing"))
	}
	if mismatch != "" {
		fmt.Fprintf(&b, "> [!WARNING]\n> %s\n\n", report.EscapeMarkdown(mismatch))
	}
	return b.String(), mismatch
}

func short(sha string) string {
	if len(sha) > 7 {
		return sha[:7]
	}
	return sha
}

// readReport reads a JSON report (upgradegate check --format json) and
// recomputes its summary against failOn. The file comes from the pull
// request's run: only a regular file is opened (a FIFO would block the
// open, a device never end the read), and at most maxReportFile bytes are
// held.
func readReport(path string, failOn finding.Severity) (*report.Report, error) {
	data, size, err := repo.ReadRegular(path, maxReportFile+1)
	if err != nil {
		return nil, fmt.Errorf("read report-file: %w", err)
	}
	if size > maxReportFile {
		return nil, fmt.Errorf("report-file %q is over %d MiB", path, maxReportFile>>20)
	}
	var r report.Report
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("report-file %q is not an upgradegate JSON report: %w", path, err)
	}
	return report.New(r.Manifests, r.Findings, nil, failOn), nil
}
