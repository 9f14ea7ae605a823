package report

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestWriteFileMode: a report file is readable by others (0644), like a
// file the shell would create, not the temporary file's 0600.
func TestWriteFileMode(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "out", "report.json")
	if err := WriteFile(name, []byte("{}\n")); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(name)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", st.Mode().Perm())
	}
}

// TestStageFuncWriteError: the writer's error comes back, and nothing is
// left behind.
func TestStageFuncWriteError(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	boom := errors.New("boom")
	sf, err := StageFunc(filepath.Join(dir, "r.json"), func(w io.Writer) error {
		_, _ = io.WriteString(w, "partial")
		return boom
	})
	if !errors.Is(err, boom) || sf != nil {
		t.Fatalf("StageFunc = %v, %v; want the writer's error", sf, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left behind: %v", entries)
	}
}

// TestPrintersSkipOffFindings: a finding at severity off (a rule turned off)
// is neither an annotation, a Markdown line nor a GitLab issue; a finding without a column
// has no col property.
func TestPrintersSkipOffFindings(t *testing.T) {
	t.Parallel()
	r := New(nil, []finding.Finding{
		{Rule: rules.UG502, Severity: finding.Off, File: "a.yaml", Line: 2, Column: 1, Message: "turned off"},
		{Rule: rules.UG513, Severity: finding.Notice, File: "a.yaml", Line: 3, Message: "no column"},
	}, nil, finding.Error)
	var gh bytes.Buffer
	if err := GitHub(&gh, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(gh.String(), "turned off") {
		t.Errorf("github output annotates an off finding:\n%s", gh.String())
	}
	if !strings.Contains(gh.String(), "::notice file=a.yaml,line=3,title=") || strings.Contains(gh.String(), "col=") {
		t.Errorf("github output: want the notice at line 3 without col:\n%s", gh.String())
	}
	var md bytes.Buffer
	if err := Markdown(&md, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(md.String(), "turned off") || !strings.Contains(md.String(), "no column") {
		t.Errorf("markdown output: want only the notice:\n%s", md.String())
	}
	var gl bytes.Buffer
	if err := GitLab(&gl, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(gl.String(), "turned off") || !strings.Contains(gl.String(), "no column") {
		t.Errorf("gitlab output: want only the notice:\n%s", gl.String())
	}
}

// TestMarkdownSuppressedSection: the section of suppressed findings and
// expiring exceptions shows only the parts that have entries.
func TestMarkdownSuppressedSection(t *testing.T) {
	t.Parallel()
	suppressed := []finding.Finding{{Rule: rules.UG502, Severity: finding.Warning, File: "a.yaml", Line: 2, Column: 1,
		Message: "rollback not tested", Suppressed: true}}
	expiring := []Exception{{File: "a.yaml", Line: 9, Column: 3, Rule: "UG502", Reason: "later", ApprovedBy: "@cto",
		Expires: mdNow.Add(3 * 24 * time.Hour), Used: 0}}
	for _, tt := range []struct {
		name      string
		fs        []finding.Finding
		excs      []Exception
		want, not []string
	}{
		{"suppressed only", suppressed, nil, []string{"**Suppressed findings**", "rollback not tested"}, []string{"**Exceptions expiring soon**"}},
		{"expiring only", nil, expiring, []string{"**Exceptions expiring soon**", "later"}, []string{"**Suppressed findings**"}},
	} {
		var w int
		md := renderMarkdown(New(nil, tt.fs, tt.excs, finding.Error), MarkdownOptions{Now: mdNow}, &w)
		for _, s := range tt.want {
			if !strings.Contains(md, s) {
				t.Errorf("%s: no %q in:\n%s", tt.name, s, md)
			}
		}
		for _, s := range tt.not {
			if strings.Contains(md, s) {
				t.Errorf("%s: %q in:\n%s", tt.name, s, md)
			}
		}
	}
}

// TestMarkdownLinkWithoutLine: a manifest whose line is unknown links to
// its file, without a #L0 anchor.
func TestMarkdownLinkWithoutLine(t *testing.T) {
	t.Parallel()
	r := New([]Manifest{{File: "a.yaml", Name: "a", From: "1", To: "2"}}, nil, nil, finding.Error)
	var w int
	md := renderMarkdown(r, MarkdownOptions{Options: printersOptions, Now: mdNow}, &w)
	if !strings.Contains(md, "(https://github.com/acme/infra/blob/0123abc/a.yaml)") || strings.Contains(md, "#L0") {
		t.Errorf("want a link to a.yaml without a line anchor:\n%s", md)
	}
}
