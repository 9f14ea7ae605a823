package report

import (
	"encoding/json"
	"io"

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
func GitLab(w io.Writer, r *Report, _ Options) error {
	prints := fingerprints(r.Findings, gitlabFingerprintV1)
	issues := make([]gitlabIssue, 0, len(r.Findings))
	for i, f := range r.Findings {
		if f.Suppressed || f.Severity <= finding.Off || f.File == "" {
			continue
		}
		// the merge request widget shows these: one line, no control characters
		desc := StripControls(f.Message)
		if f.Hint != "" {
			desc += " (hint: " + StripControls(f.Hint) + ")"
		}
		issues = append(issues, gitlabIssue{
			Description: desc,
			CheckName:   StripControls(f.Rule.String()),
			Fingerprint: prints[i],
			Severity:    gitlabSeverity(f.Severity),
			Location:    gitlabLocation{Path: f.File, Lines: gitlabLines{Begin: max(f.Line, 1)}},
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(issues)
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
