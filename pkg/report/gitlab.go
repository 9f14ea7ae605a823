package report

import (
	"bufio"
	"io"
	"strconv"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// gitlabIssue is one entry of a GitLab Code Quality report: the fields GitLab
// reads (description, check_name, fingerprint, severity, location.path,
// location.lines.begin), per docs.gitlab.com/ci/testing/code_quality
// ("Code Quality report format"); it ignores any other.
type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
}

// GitLab writes a GitLab Code Quality report (artifacts:reports:codequality):
// a JSON array, never null, in the report's order. check_name is the rule id;
// the fingerprint hashes file, rule and YAML node like SARIF's, under another
// name. Severities: error is "critical", warning "major", notice "info"
// ("blocker" is left for nothing: whether a finding blocks the merge depends
// on --fail-on, not on the finding).
//
// Suppressed findings are left out: Code Quality has no notion of a
// suppression, and the merge request widget would show each one as a new
// violation although an approved exception accepted it. The other formats
// keep them. A finding without a file, which GitLab cannot place, is left out
// too.
//
// It streams: each issue is appended on its own (appendGitLabIssue) into
// the writer's buffer, so memory does not grow with the report (the tests
// hold the bytes to json.Encoder's for the whole array, buildGitLab).
func GitLab(w io.Writer, r *Report, _ Options) error {
	prints := fingerprints(r.Findings, gitlabFingerprintV1)
	bw := bufio.NewWriterSize(w, 64<<10)
	n := 0
	for i := range r.Findings {
		issue, ok := gitlabIssueFor(&r.Findings[i], prints[i])
		if !ok {
			continue
		}
		b := bw.AvailableBuffer()
		if n == 0 {
			b = append(b, '[')
		} else {
			b = append(b, ',')
		}
		b = append(b, "\n  "...)
		if _, err := bw.Write(appendGitLabIssue(b, &issue)); err != nil {
			return err
		}
		n++
	}
	end := "\n]\n"
	if n == 0 {
		end = "[]\n"
	}
	if _, err := bw.WriteString(end); err != nil {
		return err
	}
	return bw.Flush()
}

// gitlabIssueFor is the issue of a finding with its fingerprint; false for
// a finding the report leaves out.
func gitlabIssueFor(f *finding.Finding, print string) (gitlabIssue, bool) {
	if f.Suppressed || f.Severity <= finding.Off || f.File == "" {
		return gitlabIssue{}, false
	}
	// the merge request widget shows these: one line, no control characters
	desc := StripControls(f.Message)
	if f.Hint != "" {
		desc += " (hint: " + StripControls(f.Hint) + ")"
	}
	return gitlabIssue{
		Description: desc,
		CheckName:   StripControls(f.Rule.String()),
		Fingerprint: print,
		Severity:    gitlabSeverity(f.Severity),
		Location:    gitlabLocation{Path: f.File, Lines: gitlabLines{Begin: max(f.Line, 1)}},
	}, true
}

// appendGitLabIssue appends an issue as json.Encoder with SetIndent("",
// "  ") writes an element of the top-level array, without the leading
// newline and indent.
func appendGitLabIssue(b []byte, g *gitlabIssue) []byte {
	b = append(b, "{\n    \"description\": "...)
	b = appendJSONString(b, g.Description)
	b = append(b, ",\n    \"check_name\": "...)
	b = appendJSONString(b, g.CheckName)
	b = append(b, ",\n    \"fingerprint\": "...)
	b = appendJSONString(b, g.Fingerprint)
	b = append(b, ",\n    \"severity\": "...)
	b = appendJSONString(b, g.Severity)
	b = append(b, ",\n    \"location\": {\n      \"path\": "...)
	b = appendJSONString(b, g.Location.Path)
	b = append(b, ",\n      \"lines\": {\n        \"begin\": "...)
	b = strconv.AppendInt(b, int64(g.Location.Lines.Begin), 10)
	return append(b, "\n      }\n    }\n  }"...)
}

func gitlabSeverity(s finding.Severity) string {
	switch s {
	case finding.Error:
		return "critical"
	case finding.Warning:
		return "major"
	default:
		return "info"
	}
}
