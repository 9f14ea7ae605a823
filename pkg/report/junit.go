package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// The JUnit XML shape the CI systems read (Jenkins' junit step, GitLab's
// artifacts:reports:junit, Azure DevOps' PublishTestResults with
// testResultsFormat JUnit): testsuites > testsuite > testcase, a case failing
// with one failure element, its output in system-out.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// JUnit writes a JUnit XML report: one testsuite per file (each manifest
// file, and each other file with findings, such as a policy), in file
// order; in it one test case per manifest and rule with findings, named
// "RULE: title" with the manifest's name as its class, or one passing case
// named "upgradegate" for a manifest without findings. A case fails when one
// of its findings is at or above the report's fail-on and not suppressed;
// the failure lists those findings (file:line:column: severity: message and
// the hint). Findings below fail-on and suppressed ones do not fail a case:
// they are listed in its system-out. Findings are assigned to the manifests
// of a file by line, as in the text format. Every string is escaped by
// encoding/xml after its control characters are removed.
func JUnit(w io.Writer, r *Report, _ Options) error {
	files, byFile, manifests := groupByFile(r)
	out := junitSuites{Name: "upgradegate"}
	for _, file := range files {
		suite := junitSuite{Name: StripControls(orDefault(file, "(no file)"))}
		fs, ms := byFile[file], manifests[file]
		if len(ms) == 0 {
			suite.Cases = junitCases(suite.Cases, StripControls(orDefault(file, "upgradegate")), file, 0, fs, r.FailOn)
		}
		for mi, m := range ms {
			// a manifest's findings: from its first line to the next
			// manifest's; those above the first manifest go to the first
			n := len(fs)
			if mi+1 < len(ms) {
				n = sort.Search(len(fs), func(i int) bool { return fs[i].Line >= ms[mi+1].Line })
			}
			suite.Cases = junitCases(suite.Cases, StripControls(orDefault(m.Name, orDefault(m.Component, file))), file, m.Line, fs[:n], r.FailOn)
			fs = fs[n:]
		}
		for _, c := range suite.Cases {
			suite.Tests++
			if c.Failure != nil {
				suite.Failures++
			}
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Suites = append(out.Suites, suite)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// junitCases appends the cases of one manifest (or of a file without one):
// one per rule of fs, in rule order, or one passing case when fs is empty.
func junitCases(cases []junitCase, class, file string, line int, fs []finding.Finding, failOn finding.Severity) []junitCase {
	if len(fs) == 0 {
		return append(cases, junitCase{Name: "upgradegate", Classname: class, File: StripControls(file), Line: line})
	}
	byRule := map[string][]finding.Finding{}
	var ids []string
	for _, f := range fs {
		id := f.Rule.String()
		if _, ok := byRule[id]; !ok {
			ids = append(ids, id)
		}
		byRule[id] = append(byRule[id], f)
	}
	sort.Strings(ids)
	for _, id := range ids {
		rfs := byRule[id]
		name := StripControls(id)
		if title := rfs[0].Rule.Rule().Title; title != "" {
			name += ": " + StripControls(title)
		}
		c := junitCase{Name: name, Classname: class, File: StripControls(file), Line: rfs[0].Line}
		var failing, other []string
		for _, f := range rfs {
			text := junitFinding(f)
			if !f.Suppressed && failOn != finding.Off && f.Severity >= failOn {
				failing = append(failing, text)
				if c.Failure == nil {
					c.Failure = &junitFailure{Message: StripControls(f.Message), Type: StripControls(id)}
					c.Line = f.Line
				}
			} else {
				other = append(other, text)
			}
		}
		if c.Failure != nil {
			if len(failing) > 1 {
				c.Failure.Message = fmt.Sprintf("%d findings at or above %s; the first: %s", len(failing), failOn, c.Failure.Message)
			}
			c.Failure.Text = strings.Join(failing, "\n")
		}
		if len(other) > 0 {
			c.SystemOut = strings.Join(other, "\n")
		}
		cases = append(cases, c)
	}
	return cases
}

// junitFinding writes one finding as text lines, each field on one line.
func junitFinding(f finding.Finding) string {
	sev := f.Severity.String()
	if f.Suppressed {
		sev += " (suppressed)"
	}
	s := fmt.Sprintf("%s:%d:%d: %s: %s [%s]", StripControls(f.File), f.Line, f.Column, sev, StripControls(f.Message), StripControls(f.Rule.String()))
	if f.Hint != "" {
		s += "\n    hint: " + StripControls(f.Hint)
	}
	if f.Suppressed && f.SuppressedBy != "" {
		s += "\n    suppressed by: " + StripControls(f.SuppressedBy)
	}
	return s
}
