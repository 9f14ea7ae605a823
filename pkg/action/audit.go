package action

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/github"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// The audit's tracking issue: one per repository, found by this hidden
// first line of its body and its author.
const (
	AuditMarker = "<!-- upgradegate:audit -->"
	AuditTitle  = "Upgrades waiting for their outcome or review"
)

// AuditURL documents the audit mode.
const AuditURL = "https://github.com/upgradegate/upgradegate/blob/main/docs/action.md#the-audit"

// isAuditEvent reports whether the tracking issue is kept on an event: the
// scheduled run on the default branch, or one started by hand.
func isAuditEvent(name string) bool { return name == "schedule" || name == "workflow_dispatch" }

// audit is the audit run (input audit: true): UG519–UG522 over every
// manifest under paths, reported as a check is (log, annotations, outputs,
// files, job summary), and the tracking issue kept up to date. The exit
// code follows the findings and fail-on, as for a check.
func (x *run) audit(ctx context.Context) int {
	if err := x.ready(); err != nil {
		return x.fail(err)
	}
	opts := check.Options{Root: orDefault(x.env.Workspace, "."), FailOn: x.in.FailOn}
	if x.Runner.Now != nil {
		opts.Now = x.Runner.Now()
	}
	for _, p := range x.in.Paths {
		opts.Paths = append(opts.Paths, x.abs(p))
	}
	run := x.Audit
	if run == nil {
		run = defaultAudit
	}
	rep, err := run(ctx, opts)
	if err != nil {
		return x.fail(err)
	}
	rep = x.red.Report(rep)

	code := check.ExitCode(rep)
	ro := x.reportOptions(x.env.SHA)
	x.log(rep, ro)
	reportPath, err := x.writeFiles(rep, ro)
	if err != nil {
		code = ExitError
	}
	x.outputs(rep, reportPath)
	x.trackingIssue(ctx, rep, ro)
	if hidden := x.ann.findings(rep); hidden != "" {
		x.notes = append(x.notes, "> [!NOTE]\n> "+hidden+". Every finding is listed below and in the log.")
	}
	x.summary(rep, ro)
	return code
}

// trackingIssue keeps the tracking issue: open with one line per manifest
// while something is due, closed when all is clear. Only on schedule and
// workflow_dispatch; failures are warnings.
func (x *run) trackingIssue(ctx context.Context, rep *report.Report, ro report.Options) {
	if !isAuditEvent(x.env.EventName) {
		x.notice("The audit ran on %s: the tracking issue %q is kept only on schedule and workflow_dispatch runs. See %s",
			orDefault(x.env.EventName, "this event"), AuditTitle, AuditURL)
		return
	}
	if x.client == nil {
		x.warn("No token: cannot keep the tracking issue %q. Set the action's token input.", AuditTitle)
		return
	}
	rows := auditRows(rep)
	body := x.red.String(auditBody(rows, ro, x.now(), x.env.runURL()))
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	res, err := x.client.KeepIssue(ctx, AuditMarker, AuditTitle, body, len(rows) > 0)
	switch {
	case err == nil && res.Action != github.IssueNone:
		x.gha.Infof("Tracking issue %s: #%d %s", res.Action, res.Number, res.URL)
	case err == nil:
	case github.IsForbidden(err) && github.IssueOp(err) == github.OpWhoAmI:
		x.warn("The token may not ask GraphQL who it is (%v), so the tracking issue cannot be told from others' and was "+
			"not closed. The audit's result stands.", err)
	case github.IsForbidden(err):
		x.warn("The token may not keep the tracking issue %q (%v): give the job permissions: issues: write. The audit's "+
			"result stands.", AuditTitle, err)
	default:
		x.warn("Cannot keep the tracking issue %q (%v). The audit's result stands.", AuditTitle, err)
	}
}

// auditRow is one manifest (or file) with something due.
type auditRow struct {
	File, Name, Upgrade string
	Line                int
	Due                 []string // what is due, one per finding
	Since               time.Time
	Owner               string
}

// auditRows groups the report's unsuppressed findings (warnings and errors)
// by manifest, in file and line order.
func auditRows(rep *report.Report) []auditRow {
	type key struct {
		file, name string
	}
	byKey := map[key]*auditRow{}
	var order []key
	manifests := map[key]report.Manifest{}
	for _, m := range rep.Manifests {
		manifests[key{m.File, m.Name}] = m
	}
	for _, f := range rep.Findings {
		if f.Suppressed || f.Severity < finding.Warning {
			continue
		}
		k := key{f.File, f.Manifest}
		r, ok := byKey[k]
		if !ok {
			r = &auditRow{File: f.File, Name: f.Manifest, Line: f.Line}
			if m, ok := manifests[k]; ok {
				r.Line, r.Owner, r.Since = m.Line, m.Owner, m.DueSince
				if m.Component != "" {
					r.Upgrade = fmt.Sprintf("%s %s → %s", m.Component, m.From, m.To)
				}
			}
			byKey[k] = r
			order = append(order, k)
		}
		if f.Rule.String() == "UG520" {
			if m, ok := manifests[k]; ok && m.ReviewOwner != "" {
				r.Owner = m.ReviewOwner
			}
		}
		r.Due = append(r.Due, fmt.Sprintf("%s (%s)", f.Message, f.Rule))
		if r.Since.IsZero() {
			r.Since = firstDate(f.Message)
		}
	}
	rows := make([]auditRow, 0, len(order))
	for _, k := range order {
		rows = append(rows, *byKey[k])
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].File != rows[j].File {
			return rows[i].File < rows[j].File
		}
		return rows[i].Line < rows[j].Line
	})
	return rows
}

var datePattern = regexp.MustCompile(`\b(\d{4}-\d{2}-\d{2})`)

// firstDate is the first date a message names, zero without one: since when
// something is due, when no check said it otherwise.
func firstDate(msg string) time.Time {
	m := datePattern.FindStringSubmatch(msg)
	if m == nil {
		return time.Time{}
	}
	t, err := time.Parse("2006-01-02", m[1])
	if err != nil {
		return time.Time{}
	}
	return t
}

// maxIssueBody keeps the body under the 65,536 characters GitHub accepts,
// with room for the cut note.
const maxIssueBody = github.MaxCommentBody - 2048

// auditBody renders the tracking issue: the marker, what is due per
// manifest (what, since when, who owns it) or that all is clear, and when
// and where it was checked. Everything taken from manifests is escaped, and
// #references and @mentions are neutralised: the issue notifies no one it
// names.
func auditBody(rows []auditRow, ro report.Options, now time.Time, runURL string) string {
	var b strings.Builder
	b.WriteString(AuditMarker + "\n")
	checked := "Checked " + now.UTC().Format("2006-01-02 15:04 UTC")
	if ro.SHA != "" {
		sha := ro.SHA
		if len(sha) > 7 {
			sha = sha[:7]
		}
		checked += " at commit " + report.EscapeMarkdown(sha)
	}
	if runURL != "" {
		checked += fmt.Sprintf(" ([the run](%s))", runURL)
	}
	if len(rows) == 0 {
		b.WriteString("## ✅ No upgrade is waiting for its outcome or review\n\n")
		b.WriteString("Every outcome and review the manifests owe is recorded. upgradegate reopens this issue when something is due again.\n\n")
		b.WriteString("<sub>" + checked + ".</sub>\n")
		return b.String()
	}
	upgrades := "upgrades"
	if len(rows) == 1 {
		upgrades = "upgrade"
	}
	fmt.Fprintf(&b, "## ⏰ %d %s waiting for their outcome or review\n\n", len(rows), upgrades)
	b.WriteString("upgradegate keeps this issue up to date and closes it when everything is recorded.\n\n")
	b.WriteString("| Manifest | Upgrade | What is due | Since | Owner |\n| --- | --- | --- | --- | --- |\n")
	lo := ro
	lo.Untrusted = true
	esc := func(s string) string { return report.NeutraliseReferences(report.EscapeMarkdown(s)) }
	for i, r := range rows {
		name := r.File
		if r.Name != "" {
			name += " (" + r.Name + ")"
		}
		since := "—"
		if !r.Since.IsZero() {
			since = r.Since.UTC().Format("2006-01-02")
		}
		var due []string
		for _, d := range r.Due {
			due = append(due, esc(d))
		}
		line := fmt.Sprintf("| %s | %s | %s | %s | %s |\n", report.MarkdownLink(lo, name, r.File, r.Line),
			esc(orDefault(r.Upgrade, "—")), strings.Join(due, "<br>"), since, esc(orDefault(r.Owner, "no owner")))
		if b.Len()+len(line) > maxIssueBody {
			fmt.Fprintf(&b, "\n✂️ **%d more not shown: every finding is in the run's job summary and log.**\n", len(rows)-i)
			break
		}
		b.WriteString(line)
	}
	b.WriteString("\n<sub>" + checked + ".</sub>\n")
	return b.String()
}
