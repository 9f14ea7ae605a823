package report

import (
	"fmt"
	"io"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// ExpiringWithin is how close to its expiry an exception must be for the
// Markdown report to list it.
const ExpiringWithin = 14 * 24 * time.Hour

// MarkdownOptions configure the Markdown report beyond Options.
type MarkdownOptions struct {
	Options
	// Now is the clock for "expiring soon"; zero means time.Now().
	Now time.Time
	// MaxBytes bounds the output; 0 means no bound. Past it the report is cut
	// at a line, open <details> sections are closed and TruncatedNote is
	// appended, all within MaxBytes.
	MaxBytes int
	// TruncatedNote ends a cut report; empty means a generic note.
	TruncatedNote string
}

// Markdown writes the report as GitHub-flavoured Markdown: a result line, a
// table of manifests, the findings grouped by severity (linked to their lines
// when o has ServerURL, Repository and SHA), and suppressed findings and
// expiring exceptions in a collapsed section.
func Markdown(w io.Writer, r *Report, o Options) error {
	_, err := io.WriteString(w, RenderMarkdown(r, MarkdownOptions{Options: o}))
	return err
}

// RenderMarkdown returns the Markdown report. Every text taken from the
// report is escaped with EscapeMarkdown. Its work is linear in the number of
// manifests, findings and exceptions: the findings are indexed once.
func RenderMarkdown(r *Report, o MarkdownOptions) string {
	var work int
	return renderMarkdown(r, o, &work)
}

// mdIndex is the findings of a report sorted out in one pass: by severity,
// the suppressed ones, and the unsuppressed counts per file and manifest.
type mdIndex struct {
	bySeverity [finding.Error + 1][]finding.Finding
	suppressed []finding.Finding
	files      map[string]*fileCounts
}

// fileCounts counts one file's unsuppressed findings by severity: all of
// them, those that name no manifest, and those of each manifest name.
type fileCounts struct {
	all, unnamed severityCounts
	named        map[string]*severityCounts
}

type severityCounts [finding.Error + 1]int

// indexFindings builds the index; *work counts the findings visited.
func indexFindings(fs []finding.Finding, work *int) *mdIndex {
	idx := &mdIndex{files: map[string]*fileCounts{}}
	for _, f := range fs {
		*work++
		if f.Suppressed {
			idx.suppressed = append(idx.suppressed, f)
			continue
		}
		if f.Severity <= finding.Off || f.Severity > finding.Error {
			continue
		}
		idx.bySeverity[f.Severity] = append(idx.bySeverity[f.Severity], f)
		fc := idx.files[f.File]
		if fc == nil {
			fc = &fileCounts{named: map[string]*severityCounts{}}
			idx.files[f.File] = fc
		}
		fc.all[f.Severity]++
		if f.Manifest == "" {
			fc.unnamed[f.Severity]++
			continue
		}
		n := fc.named[f.Manifest]
		if n == nil {
			n = &severityCounts{}
			fc.named[f.Manifest] = n
		}
		n[f.Severity]++
	}
	return idx
}

// status summarises a manifest's unsuppressed findings: those of its file
// that name it, or name no manifest (all of its file's when it has no name).
func (idx *mdIndex) status(m Manifest) string {
	var n severityCounts
	if fc := idx.files[m.File]; fc != nil {
		switch named := fc.named[m.Name]; {
		case m.Name == "":
			n = fc.all
		case named != nil:
			for s := range n {
				n[s] = fc.unnamed[s] + named[s]
			}
		default:
			n = fc.unnamed
		}
	}
	switch {
	case n[finding.Error] > 0:
		return "❌ " + plural(n[finding.Error], "error")
	case n[finding.Warning] > 0:
		return "⚠️ " + plural(n[finding.Warning], "warning")
	default:
		return "✅ ok"
	}
}

// renderMarkdown is RenderMarkdown; *work counts the manifests, findings and
// exceptions it visits, so that a test can see it stays linear.
func renderMarkdown(r *Report, o MarkdownOptions, work *int) string {
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	idx := indexFindings(r.Findings, work)
	var b strings.Builder
	s := r.Summary
	var verdict, mark string
	switch {
	case r.Failed():
		verdict, mark = "checks failed", "❌"
	case s.Errors+s.Warnings == 0:
		verdict, mark = "all checks pass", "✅"
	default:
		verdict, mark = "checks pass, with findings below fail-on: "+failOnName(r.FailOn), "✅"
	}
	if o.Untrusted {
		// not a verdict: the caller headlines what it can trust
		fmt.Fprintf(&b, "#### Reported by the pull request's run: %s\n\n", verdict)
	} else {
		fmt.Fprintf(&b, "### %s upgradegate: %s\n\n", mark, verdict)
	}
	fmt.Fprintf(&b, "%s · %s · %s · %d suppressed — %s checked — fail-on: %s\n\n",
		count(s.Errors, "error", true), count(s.Warnings, "warning", false), count(s.Notices, "notice", false),
		s.Suppressed, plural(s.Manifests, "manifest"), failOnName(r.FailOn))

	if len(r.Manifests) == 0 {
		b.WriteString("No upgrade manifest was checked.\n\n")
	} else {
		windows := false
		for _, m := range r.Manifests {
			windows = windows || m.Window != nil
		}
		if windows {
			b.WriteString("| Manifest | Component | Upgrade | Path | Window | Status |\n| --- | --- | --- | --- | --- | --- |\n")
		} else {
			b.WriteString("| Manifest | Component | Upgrade | Path | Status |\n| --- | --- | --- | --- | --- |\n")
		}
		for _, m := range r.Manifests {
			*work++
			window := ""
			if windows {
				window = " — |"
				if m.Window != nil {
					window = " " + o.esc(m.Window.Local()) + " |"
				}
			}
			fmt.Fprintf(&b, "| %s | %s | %s → %s | %s |%s %s |\n", o.link(m.File, m.Line, m.File),
				o.esc(m.Component), o.esc(m.From), o.esc(m.To), o.pathCell(m), window,
				idx.status(m))
		}
		b.WriteString("\n")
	}
	if len(r.Plan) > 1 {
		o.writePlan(&b, r.Plan, work)
	}

	for _, g := range []struct {
		sev   finding.Severity
		title string
	}{{finding.Error, "🛑 Errors"}, {finding.Warning, "⚠️ Warnings"}, {finding.Notice, "ℹ️ Notices"}} {
		fs := idx.bySeverity[g.sev]
		if len(fs) == 0 {
			continue
		}
		fmt.Fprintf(&b, "#### %s (%d)\n\n", g.title, len(fs))
		for _, f := range fs {
			*work++
			o.writeFinding(&b, f, "")
		}
		b.WriteString("\n")
	}

	suppressed := idx.suppressed
	soon := expiring(r.Exceptions, now)
	*work += len(r.Exceptions)
	if len(suppressed)+len(soon) > 0 {
		fmt.Fprintf(&b, "<details>\n<summary>Suppressed findings (%d) and exceptions expiring within %d days (%d)</summary>\n\n",
			len(suppressed), int(ExpiringWithin/(24*time.Hour)), len(soon))
		if len(suppressed) > 0 {
			b.WriteString("**Suppressed findings** (reported, never failing)\n\n")
			for _, f := range suppressed {
				*work++
				o.writeFinding(&b, f, f.Severity.String()+", ")
			}
			b.WriteString("\n")
		}
		if len(soon) > 0 {
			b.WriteString("**Exceptions expiring soon**\n\n| Rule | Exception | Expires | Reason | Approved by |\n| --- | --- | --- | --- | --- |\n")
			for _, e := range soon {
				*work++
				fmt.Fprintf(&b, "| %s | %s | %s (%s) | %s | %s |\n", o.esc(e.Rule),
					o.link(fmt.Sprintf("%s:%d", e.File, e.Line), e.Line, e.File), e.Expires.Format("2006-01-02"),
					daysLeft(e.Expires, now), o.esc(e.Reason), o.esc(e.ApprovedBy))
			}
			b.WriteString("\n")
		}
		b.WriteString("</details>\n")
	}
	return truncateMarkdown(b.String(), o.MaxBytes, o.TruncatedNote, work)
}

// expiring returns the exceptions that still hold at now but expire within
// ExpiringWithin, in their order.
func expiring(es []Exception, now time.Time) []Exception {
	var out []Exception
	for _, e := range es {
		if !e.Expired && !e.Expires.IsZero() && e.Expires.Before(now.Add(ExpiringWithin)) {
			out = append(out, e)
		}
	}
	return out
}

func (o MarkdownOptions) writeFinding(b *strings.Builder, f finding.Finding, prefix string) {
	where := fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)
	fmt.Fprintf(b, "- **%s** (%s%s): %s", o.esc(f.Rule.String()), prefix, o.link(where, f.Line, f.File),
		o.esc(f.Message))
	if f.Hint != "" {
		fmt.Fprintf(b, "<br>hint: %s", o.esc(f.Hint))
	}
	if f.SuppressedBy != "" {
		fmt.Fprintf(b, "<br>suppressed by %s", o.esc(f.SuppressedBy))
	}
	b.WriteString("\n")
}

// link writes text as a link to file at line (0: the file) at the options'
// commit, or as plain text when the options cannot make links.
func (o MarkdownOptions) link(text string, line int, file string) string {
	if o.ServerURL == "" || o.Repository == "" || o.SHA == "" || !linkable(file) {
		return o.esc(text)
	}
	u := fmt.Sprintf("%s/%s/blob/%s/%s", strings.TrimSuffix(o.ServerURL, "/"), o.Repository, url.PathEscape(o.SHA),
		sarifURI(file))
	if line > 0 {
		u += fmt.Sprintf("#L%d", line)
	}
	return fmt.Sprintf("[%s](%s)", o.esc(text), u)
}

// linkable reports whether file is a plain repository-relative path: a
// report read back from an artifact (the fork setup) is untrusted, and a
// "../" would lead the link out of the repository.
func linkable(file string) bool {
	if file == "" || strings.HasPrefix(file, "/") || strings.Contains(file, "\\") {
		return false
	}
	for _, seg := range strings.Split(file, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

func (o MarkdownOptions) pathCell(m Manifest) string {
	if len(m.Path) > 0 {
		return o.escapeJoin(m.Path)
	}
	if len(m.SuggestedPath) > 0 {
		return "none declared; suggested: " + o.escapeJoin(m.SuggestedPath)
	}
	return "direct"
}

func (o MarkdownOptions) escapeJoin(vs []string) string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = o.esc(v)
	}
	return strings.Join(out, " → ")
}

func count(n int, word string, strong bool) string {
	s := plural(n, word)
	if strong && n > 0 {
		return "**" + s + "**"
	}
	return s
}

func failOnName(s finding.Severity) string {
	if s == finding.Off {
		return "never"
	}
	return s.String()
}

// daysLeft counts calendar days (UTC) from now to t.
func daysLeft(t, now time.Time) string {
	day := func(t time.Time) time.Time {
		y, m, d := t.UTC().Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	d := int(day(t).Sub(day(now)).Hours() / 24)
	switch {
	case d <= 0:
		return "today"
	case d == 1:
		return "in 1 day"
	default:
		return fmt.Sprintf("in %d days", d)
	}
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "|", `\|`, "~", `\~`,
	"&", "&amp;", "<", "&lt;", ">", "&gt;",
	// $…$ and $$…$$ are math on GitHub: \color and \Huge could fake a verdict
	"$", `\$`,
	// a zero-width joiner after @ keeps "@team" from pinging anyone
	"@", "@\u200d",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// esc escapes text taken from the report: EscapeMarkdown, and for an
// untrusted report NeutraliseReferences too.
func (o MarkdownOptions) esc(s string) string {
	if o.Untrusted {
		return NeutraliseReferences(EscapeMarkdown(s))
	}
	return EscapeMarkdown(s)
}

// references are what GitHub turns into links or cross-references in a
// comment: #12 and owner/repo#7 (which also notify the issue referred to),
// GH-12, and bare URLs (http://, https://, ftp://, www.).
var references = regexp.MustCompile(`(?i)#[0-9]|\bgh-[0-9]|\b(?:https?|ftp)://|\bwww\.`)

// NeutraliseReferences keeps GitHub from making links of issue references
// and bare URLs in Markdown text: a zero-width joiner goes after the '#', the
// "GH-", before the "://" and after "www", so the text reads the same and
// links nowhere. Use it on escaped text from an untrusted source.
func NeutraliseReferences(s string) string {
	return references.ReplaceAllStringFunc(s, func(m string) string {
		switch {
		case m[0] == '#':
			return "#\u200d" + m[1:]
		case strings.HasSuffix(m, "://"):
			return strings.TrimSuffix(m, "://") + "\u200d://"
		case strings.HasSuffix(m, "."):
			return m[:3] + "\u200d."
		default: // gh-N
			return m[:3] + "\u200d" + m[3:]
		}
	})
}

// EscapeMarkdown makes text safe inside a Markdown line or table cell: no
// HTML (so no fake <!-- markers -->), no emphasis, links, code spans or math,
// no @mention pings, no line breaks, no cell separators and no bidirectional
// overrides.
func EscapeMarkdown(s string) string {
	s = mdEscaper.Replace(s)
	return strings.Map(func(r rune) rune {
		if r != utf8.RuneError && invisible(r) {
			return ' '
		}
		return r
	}, s)
}

// truncateMarkdown cuts s to at most max bytes (0: no limit) at a line
// boundary, closes the <details> sections left open and appends note (a
// generic one when empty), marked so that a reader sees the cut. It counts
// the open sections once and then line by line as it steps back; *work
// counts the steps.
func truncateMarkdown(s string, max int, note string, work *int) string {
	if max <= 0 || len(s) <= max {
		return s
	}
	if note == "" {
		note = "The report is truncated here."
	}
	tail := "\n---\n✂️ **" + note + "**\n"
	const closer = "</details>\n"
	cut := max - len(tail)
	if cut > 0 {
		end := strings.LastIndexByte(s[:cut], '\n') + 1
		open := strings.Count(s[:end], "<details>") - strings.Count(s[:end], "</details>")
		for {
			*work++
			if end+open*len(closer) <= cut {
				return s[:end] + strings.Repeat(closer, open) + tail
			}
			if end == 0 {
				break
			}
			prev := strings.LastIndexByte(s[:end-1], '\n') + 1
			line := s[prev:end]
			open -= strings.Count(line, "<details>") - strings.Count(line, "</details>")
			end = prev
		}
	}
	if len(tail) > max {
		return ""
	}
	return tail
}

// MarkdownLink is text (escaped) as a Markdown link to file at line (0: the
// file) at o's commit, or plain escaped text when o cannot make links or
// file is not a plain repository path.
func MarkdownLink(o Options, text, file string, line int) string {
	return MarkdownOptions{Options: o}.link(text, line, file)
}

// writePlan writes the plan's steps in order (manifest v1 section 8).
func (o MarkdownOptions) writePlan(b *strings.Builder, steps []PlanStep, work *int) {
	fmt.Fprintf(b, "**Plan** (%d steps, in order)\n\n| # | Manifest | Component | Route | After | Environment |\n| --- | --- | --- | --- | --- | --- |\n", len(steps))
	for i, st := range steps {
		*work++
		name := o.link(st.Label(), st.Line, st.File)
		if st.Done {
			name += " (done)"
		}
		after := make([]string, len(st.After))
		for k, a := range st.After {
			after[k] = o.esc(a)
		}
		fmt.Fprintf(b, "| %d | %s | %s | %s | %s | %s |\n", i+1, name, o.esc(st.Component), o.escapeJoin(st.Route),
			strings.Join(after, ", "), o.esc(st.EnvironmentText()))
	}
	b.WriteString("\n")
}
