package report

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// DefaultAnnotationLimits returns how many annotations of each severity the
// GitHub Actions runner shows for one step: 10 errors and 10 warnings (the
// documented limits) and 10 notices (the runner's ExecutionContext caps
// notices with the same _maxIssueCount of 10); the job's cap of 50 is above
// their sum. The runner turns further commands into bare log lines, without
// their file and line, and no annotation.
func DefaultAnnotationLimits() map[finding.Severity]int {
	return map[finding.Severity]int{finding.Error: 10, finding.Warning: 10, finding.Notice: 10}
}

// Annotations returns one workflow command per finding that is not
// suppressed, most severe first:
//
//	::error file=F,line=L,col=C,title=UG201::MESSAGE
//
// (warning and notice alike), escaped so that no message, file name or hint
// can end the line or start another command. limits caps how many lines each
// severity gets (see DefaultAnnotationLimits): a severity missing from
// limits, or a nil limits, is not capped, and 0 lets none through. hidden
// counts, per severity, the findings left out by limits; it holds no zero counts and is
// never nil. The Action prints lines and says in its summary what hidden
// holds (HiddenSummary).
func Annotations(r *Report, limits map[finding.Severity]int) (lines []string, hidden map[finding.Severity]int) {
	shown, left := annotated(r, limits)
	lines = make([]string, len(shown))
	for i, f := range shown {
		lines[i] = annotation(f)
	}
	hidden = map[finding.Severity]int{}
	for _, f := range left {
		hidden[f.Severity]++
	}
	return lines, hidden
}

// annotated splits the unsuppressed findings, most severe first, into those
// within limits and those beyond them.
func annotated(r *Report, limits map[finding.Severity]int) (shown, left []finding.Finding) {
	count := map[finding.Severity]int{}
	for _, f := range finding.BySeverity(r.Findings) {
		if f.Suppressed || f.Severity <= finding.Off {
			continue
		}
		if limit, ok := limits[f.Severity]; ok && count[f.Severity] >= limit {
			left = append(left, f)
			continue
		}
		count[f.Severity]++
		shown = append(shown, f)
	}
	return shown, left
}

func annotation(f finding.Finding) string {
	var props []string
	if f.File != "" {
		props = append(props, "file="+escapeProperty(f.File))
	}
	if f.Line > 0 {
		props = append(props, "line="+strconv.Itoa(f.Line))
		if f.Column > 0 {
			props = append(props, "col="+strconv.Itoa(f.Column))
		}
	}
	props = append(props, "title="+escapeProperty(f.Rule.String()))
	return "::" + annotationCommand(f.Severity) + " " + strings.Join(props, ",") + "::" + escapeData(findingText(f))
}

func annotationCommand(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "error"
	case finding.Warning:
		return "warning"
	default:
		return "notice"
	}
}

// escapeData escapes a workflow command's message as the runner unescapes it.
// Control characters other than CR and LF (ESC would colour the log) and
// direction controls are removed first, and the legacy "##[" form is
// broken.
var escapeData = func(s string) string { return dataEscaper.Replace(legacyCommand.Replace(clean(s, true))) }

var dataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

// escapeProperty escapes a workflow command's property value.
var escapeProperty = func(s string) string { return propertyEscaper.Replace(clean(s, true)) }

var propertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

// HiddenSummary says how many findings were not shown as annotations, such as
// "12 errors and 1 notice were not shown as annotations (GitHub shows at most
// 10 of each severity per step)"; it is empty when hidden counts nothing.
func HiddenSummary(hidden map[finding.Severity]int) string {
	var parts []string
	for _, s := range []finding.Severity{finding.Error, finding.Warning, finding.Notice} {
		if n := hidden[s]; n > 0 {
			parts = append(parts, plural(n, s.String()))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	list := parts[0]
	if len(parts) > 1 {
		list = strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
	}
	verb := "were"
	if hidden[finding.Error]+hidden[finding.Warning]+hidden[finding.Notice] == 1 {
		verb = "was"
	}
	return list + " " + verb + " not shown as annotations (GitHub shows at most 10 of each severity per step)"
}

// GitHub writes workflow commands for the GitHub Actions runner: one
// annotation per finding that is not suppressed, most severe first, within
// the runner's per-step limits (DefaultAnnotationLimits), so that the ones it
// shows are the most severe. When findings do not fit, one notice slot is
// kept for a notice that says how many were not shown, and those findings
// follow as plain log lines with their place ("upgradegate: not annotated:
// file:line:col: …"), which the runner prints as they are: nothing is lost
// without a word. The Action, which has a job summary to say it in, uses
// Annotations instead.
func GitHub(w io.Writer, r *Report, _ Options) error {
	limits := DefaultAnnotationLimits()
	shown, left := annotated(r, limits)
	if len(left) > 0 {
		limits[finding.Notice]--
		shown, left = annotated(r, limits)
	}
	bw := bufio.NewWriter(w)
	for _, f := range shown {
		fmt.Fprintln(bw, annotation(f))
	}
	if len(left) > 0 {
		hidden := map[finding.Severity]int{}
		for _, f := range left {
			hidden[f.Severity]++
		}
		fmt.Fprintf(bw, "::notice title=upgradegate::%s; they are listed in the log below\n", escapeData(HiddenSummary(hidden)))
		for _, f := range left {
			// Not a command: the line starts with a word, and the finding
			// stays on it.
			fmt.Fprintf(bw, "upgradegate: not annotated: %s:%d:%d: %s: %s [%s]\n",
				textField(f.File), f.Line, f.Column, f.Severity, textField(findingText(f)), textField(f.Rule.String()))
		}
	}
	return bw.Flush()
}
