package report

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// parseJUnit reads a JUnit report back with encoding/xml, failing the test
// when it is not well-formed.
func parseJUnit(t *testing.T, data []byte) junitSuites {
	t.Helper()
	var got junitSuites
	if err := xml.Unmarshal(data, &got); err != nil {
		t.Fatalf("the JUnit report is not well-formed XML: %v\n%s", err, data)
	}
	return got
}

// junitOutcomes lists each case as "suite | class | name | failed".
func junitOutcomes(s junitSuites) []string {
	var out []string
	for _, suite := range s.Suites {
		for _, c := range suite.Cases {
			state := "pass"
			if c.Failure != nil {
				state = "FAIL"
			}
			out = append(out, suite.Name+" | "+c.Classname+" | "+c.Name+" | "+state)
		}
	}
	return out
}

func TestJUnitFailOn(t *testing.T) {
	t.Parallel()
	ms := []Manifest{{File: "up/a.yaml", Name: "a", Line: 1}, {File: "up/b.yaml", Name: "b", Line: 1}}
	fs := []finding.Finding{
		{Rule: rules.UG201, Severity: finding.Error, File: "up/a.yaml", Line: 9, Column: 9, Message: "e"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "up/a.yaml", Line: 3, Column: 1, Message: "w"},
		{Rule: rules.UG513, Severity: finding.Notice, File: "up/a.yaml", Line: 4, Column: 1, Message: "n"},
		{Rule: rules.UG509, Severity: finding.Warning, File: "up/a.yaml", Line: 5, Column: 1, Message: "s", Suppressed: true},
	}
	cases := []struct {
		failOn   finding.Severity
		failures []string // the failing cases' rules
	}{
		{finding.Error, []string{"UG201"}},
		{finding.Warning, []string{"UG201", "UG502"}},
		{finding.Notice, []string{"UG201", "UG502", "UG513"}},
		{finding.Off, nil},
	}
	for _, c := range cases {
		t.Run(c.failOn.String(), func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := JUnit(&buf, New(ms, fs, nil, c.failOn), Options{}); err != nil {
				t.Fatal(err)
			}
			got := parseJUnit(t, buf.Bytes())
			var failing []string
			for _, suite := range got.Suites {
				for _, tc := range suite.Cases {
					if tc.Failure != nil {
						failing = append(failing, strings.SplitN(tc.Name, ":", 2)[0])
					}
				}
			}
			if diff := cmp.Diff(c.failures, failing); diff != "" {
				t.Errorf("failing cases (-want +got):\n%s", diff)
			}
			if got.Tests != 5 || got.Failures != len(c.failures) || len(got.Suites) != 2 || got.Suites[0].Failures != len(c.failures) {
				t.Errorf("counts: tests %d, failures %d, suites %d", got.Tests, got.Failures, len(got.Suites))
			}
			// b has no findings: one passing case
			if want := []string{"up/b.yaml | b | upgradegate | pass"}; !cmp.Equal(want, junitOutcomes(got)[4:]) {
				t.Errorf("b's cases = %q, want %q", junitOutcomes(got)[4:], want)
			}
		})
	}
}

// TestJUnitEscapes: markup, quotes and ampersands come back as written;
// control characters, direction controls and line breaks inside a field
// are gone, and characters XML cannot hold never reach the file.
func TestJUnitEscapes(t *testing.T) {
	t.Parallel()
	hostile := "a <b> & \"c\" ]]> 'd'\x1b[31m\u202e\x00\x07\r\nnext\ttab\ufffe"
	ms := []Manifest{{File: "up/" + hostile + ".yaml", Name: hostile, Line: 1}}
	fs := []finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "up/" + hostile + ".yaml", Line: 2, Column: 3,
		Message: hostile, Hint: hostile, Suppressed: false}}
	var buf bytes.Buffer
	if err := JUnit(&buf, New(ms, fs, nil, finding.Error), Options{}); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"\x1b", "\x00", "\x07", "\u202e", "\r", "\t", "<b>", "\ufffe"} {
		if bytes.Contains(buf.Bytes(), []byte(bad)) {
			t.Errorf("the report holds %q:\n%s", bad, buf.Bytes())
		}
	}
	got := parseJUnit(t, buf.Bytes())
	clean := "a <b> & \"c\" ]]> 'd'[31m next tab\ufffd"
	tc := got.Suites[0].Cases[0]
	if got.Suites[0].Name != "up/"+clean+".yaml" || tc.Classname != clean || tc.Failure == nil || tc.Failure.Message != clean {
		t.Errorf("read back: suite %q, class %q, failure %+v; want %q", got.Suites[0].Name, tc.Classname, tc.Failure, clean)
	}
	want := "up/" + clean + ".yaml:2:3: error: " + clean + " [UG201]\n    hint: " + clean
	if tc.Failure != nil && tc.Failure.Text != want {
		t.Errorf("failure text = %q, want %q", tc.Failure.Text, want)
	}
}
