package action

import (
	"fmt"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/github"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// Marker is the hidden first line of the sticky comment of one workflow job:
// one comment per pull request and job.
func Marker(workflow, job string) string {
	return fmt.Sprintf("<!-- upgradegate:comment workflow=%s job=%s -->", markerEscape(workflow), markerEscape(job))
}

// markerEscape keeps letters, digits, '.' and '_' and percent-encodes every
// other byte, so that no name can end the HTML comment or look like another
// job's marker.
func markerEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// commentInfo is what the comment says besides the report.
type commentInfo struct {
	Marker     string
	ServerURL  string
	Repository string
	HeadSHA    string // the pull request's head, for links to manifest lines
	RunURL     string // where the job summary is
	Workflow   string
	Job        string
	Version    string
	Now        time.Time
	// Note is a paragraph of the action's own after the report (why nothing
	// was checked, say).
	Note string
	// Lead is Markdown of the action's own before the report, already
	// escaped: the fork setup's trusted verdict.
	Lead string
	// Untrusted renders the report as one read back from an artifact.
	Untrusted bool
	// Failed creates the comment in comment: on-failure mode even when the
	// report passes (the fork setup's run failed).
	Failed bool
}

// commentBody renders the sticky comment: the marker, the Markdown report
// with links at the head commit, a note and a footer, within
// github.MaxCommentBody (counted in bytes, which are never fewer than the
// characters GitHub counts). A longer report is cut and points to the job
// summary.
func commentBody(rep *report.Report, c commentInfo) string {
	head := c.Marker + "\n"
	var note string
	if c.Note != "" {
		note = "\n" + report.EscapeMarkdown(c.Note) + "\n"
	}
	summary := "the job summary"
	if c.RunURL != "" {
		summary = fmt.Sprintf("[the job summary](%s)", c.RunURL)
	}
	sha := c.HeadSHA
	if len(sha) > 7 {
		sha = sha[:7]
	}
	footer := fmt.Sprintf("\n<sub>upgradegate %s · %s / %s · commit %s · full report in %s</sub>\n",
		report.EscapeMarkdown(c.Version), report.EscapeMarkdown(c.Workflow), report.EscapeMarkdown(c.Job),
		report.EscapeMarkdown(sha), summary)
	head += c.Lead
	md := report.RenderMarkdown(rep, report.MarkdownOptions{
		Options: report.Options{ServerURL: c.ServerURL, Repository: c.Repository, SHA: c.HeadSHA, ToolVersion: c.Version,
			Untrusted: c.Untrusted},
		Now:           c.Now,
		MaxBytes:      github.MaxCommentBody - len(head) - len(note) - len(footer),
		TruncatedNote: "The report is too long for a comment and is cut here: the full report is in " + summary + ".",
	})
	return head + md + note + footer
}
