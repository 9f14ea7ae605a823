package report

import (
	"bytes"
	"encoding/json"
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
