package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

func TestGitLabReport(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := printersFixture()
	if err := GitLab(&out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	// Decode generically: the check is on the wire format, not our structs.
	var issues []map[string]any
	if err := json.Unmarshal(out.Bytes(), &issues); err != nil {
		t.Fatalf("not a JSON array: %v\n%s", err, out.String())
	}
	if want := len(r.Findings) - r.Summary.Suppressed; len(issues) != want {
		t.Fatalf("%d issues, want %d (suppressed findings left out)", len(issues), want)
	}
	valid := map[string]bool{"info": true, "minor": true, "major": true, "critical": true, "blocker": true}
	seen := map[string]bool{}
	for i, is := range issues {
		for _, key := range []string{"description", "check_name", "fingerprint", "severity"} {
			if s, _ := is[key].(string); s == "" {
				t.Errorf("issue %d: %s missing: %v", i, key, is)
			}
		}
		if !valid[is["severity"].(string)] {
			t.Errorf("issue %d: severity %q", i, is["severity"])
		}
		fp := is["fingerprint"].(string)
		if seen[fp] {
			t.Errorf("issue %d: duplicate fingerprint %s", i, fp)
		}
		seen[fp] = true
		loc, _ := is["location"].(map[string]any)
		lines, _ := loc["lines"].(map[string]any)
		if p, _ := loc["path"].(string); p == "" || p[0] == '/' || len(p) > 1 && p[:2] == "./" {
			t.Errorf("issue %d: path %q", i, loc["path"])
		}
		if begin, _ := lines["begin"].(float64); begin < 1 {
			t.Errorf("issue %d: lines.begin %v", i, lines["begin"])
		}
	}
}

func TestGitLabEmptyIsArray(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := GitLab(&out, New(nil, nil, nil, finding.Error), Options{}); err != nil {
		t.Fatal(err)
	}
	if got := out.String(); got != "[]\n" {
		t.Errorf("empty report = %q, want []", got)
	}
}

func TestGitLabSeverities(t *testing.T) {
	t.Parallel()
	for s, want := range map[finding.Severity]string{finding.Error: "critical", finding.Warning: "major", finding.Notice: "info"} {
		if got := gitlabSeverity(s); got != want {
			t.Errorf("gitlabSeverity(%s) = %q, want %q", s, got, want)
		}
	}
}

// TestGitLabStreamsTheEncodersBytes: the streaming printer writes what
// json.Encoder writes for the whole array, for empty, hostile, suppressed
// and many-element reports.
func TestGitLabStreamsTheEncodersBytes(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]*Report{
		"empty":    New(nil, nil, nil, 0),
		"printers": printersFixture(),
		"failing":  failingReport(),
		"hostile":  hostileReport(),
		"many":     manyManifests(50),
	} {
		want := encoded(t, buildGitLab(r), "")
		var got bytes.Buffer
		if err := GitLab(&got, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if got.String() != want {
			t.Errorf("%s:\n got %s\nwant %s", name, got.String(), want)
		}
	}
}

// FuzzGitLabIssue holds appendGitLabIssue to the encoder on any strings.
func FuzzGitLabIssue(f *testing.F) {
	for i, s := range awkward {
		f.Add(s, awkward[(i+5)%len(awkward)], i-1)
	}
	f.Fuzz(func(t *testing.T, a, b string, line int) {
		g := gitlabIssue{Description: a, CheckName: b, Fingerprint: a + b, Severity: b,
			Location: gitlabLocation{Path: a, Lines: gitlabLines{Begin: line}}}
		if got, want := string(appendGitLabIssue(nil, &g)), strings.TrimSuffix(encoded(t, g, "  "), "\n"); got != want {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// buildGitLab is the whole report as one value: what GitLab streams.
func buildGitLab(r *Report) []gitlabIssue {
	prints := fingerprints(r.Findings, gitlabFingerprintV1)
	issues := make([]gitlabIssue, 0, len(r.Findings))
	for i := range r.Findings {
		if issue, ok := gitlabIssueFor(&r.Findings[i], prints[i]); ok {
			issues = append(issues, issue)
		}
	}
	return issues
}
