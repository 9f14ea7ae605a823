package report

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestAnnotationEscaping(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		f    finding.Finding
		want string
	}{
		{
			name: "plain",
			f:    finding.Finding{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/gitlab.yaml", Line: 9, Column: 9, Message: "required stop skipped"},
			want: "::error file=upgrades/gitlab.yaml,line=9,col=9,title=UG201::required stop skipped",
		},
		{
			name: "hint on its own line",
			f:    finding.Finding{Rule: rules.UG502, Severity: finding.Warning, File: "u.yaml", Line: 3, Column: 5, Message: "rollback not tested", Hint: "set tested: true"},
			want: "::warning file=u.yaml,line=3,col=5,title=UG502::rollback not tested%0Ahint: set tested: true",
		},
		{
			name: "notice",
			f:    finding.Finding{Rule: rules.UG204, Severity: finding.Notice, File: "u.yaml", Line: 1, Column: 1, Message: "suggested path"},
			want: "::notice file=u.yaml,line=1,col=1,title=UG204::suggested path",
		},
		{
			name: "message injection",
			f:    finding.Finding{Rule: rules.UG509, Severity: finding.Warning, File: "u.yaml", Line: 2, Column: 1, Message: "x\n::error::pwned\r\n::stop-commands::t"},
			want: "::warning file=u.yaml,line=2,col=1,title=UG509::x%0A::error::pwned%0D%0A::stop-commands::t",
		},
		{
			name: "percent, commas and colons in the message are kept",
			f:    finding.Finding{Rule: rules.UG509, Severity: finding.Warning, File: "u.yaml", Line: 2, Column: 1, Message: "100%, a: b <b>@team</b>"},
			want: "::warning file=u.yaml,line=2,col=1,title=UG509::100%25, a: b <b>@team</b>",
		},
		{
			name: "properties escaped",
			f:    finding.Finding{Rule: rules.UG001, Severity: finding.Error, File: "a,b:c%d\n::error::x.yaml", Line: 1, Column: 2, Message: "m"},
			want: "::error file=a%2Cb%3Ac%25d%0A%3A%3Aerror%3A%3Ax.yaml,line=1,col=2,title=UG001::m",
		},
		{
			name: "no place",
			f:    finding.Finding{Rule: rules.UG005, Severity: finding.Error, Message: "policy unreadable"},
			want: "::error title=UG005::policy unreadable",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := annotation(tt.f)
			if got != tt.want {
				t.Errorf("annotation() =\n%s\nwant\n%s", got, tt.want)
			}
			if strings.ContainsAny(got, "\r\n") {
				t.Errorf("annotation spans several lines: %q", got)
			}
		})
	}
}

// TestGitHubOutputCannotInjectCommands checks that every line of the github
// format is either one of ours or plain text, whatever the messages hold.
func TestGitHubOutputCannotInjectCommands(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	r := printersFixture()
	if err := GitHub(&out, r, Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	for _, line := range lines {
		if strings.HasPrefix(strings.TrimLeft(line, " "), "::") {
			cmd := strings.SplitN(line[2:], " ", 2)[0]
			if cmd != "error" && cmd != "warning" && cmd != "notice" {
				t.Errorf("unexpected command line %q", line)
			}
			if strings.Contains(line, "::error::injected") && !strings.Contains(line, "%0A::error::injected") {
				t.Errorf("unescaped injection: %q", line)
			}
		}
	}
	if n, want := len(lines), len(r.Findings)-r.Summary.Suppressed; n != want {
		t.Errorf("%d lines, want one per unsuppressed finding (%d):\n%s", n, want, out.String())
	}
	if strings.Contains(out.String(), "UG502") {
		t.Error("a suppressed finding was annotated")
	}
}

func manyFindings(errors, warnings, notices int) *Report {
	var fs []finding.Finding
	add := func(n int, s finding.Severity, rule rules.ID) {
		for i := range n {
			fs = append(fs, finding.Finding{Rule: rule, Severity: s, File: "u.yaml", Line: len(fs) + 1, Column: 1, Message: fmt.Sprint(s, i)})
		}
	}
	add(notices, finding.Notice, rules.UG513)
	add(warnings, finding.Warning, rules.UG502)
	add(errors, finding.Error, rules.UG201)
	fs = append(fs, finding.Finding{Rule: rules.UG502, Severity: finding.Error, File: "u.yaml", Line: 999, Column: 1, Suppressed: true})
	return New(nil, fs, nil, finding.Error)
}

func TestAnnotationsLimits(t *testing.T) {
	t.Parallel()
	r := manyFindings(12, 3, 11)
	lines, hidden := Annotations(r, DefaultAnnotationLimits())
	if diff := cmp.Diff(map[finding.Severity]int{finding.Error: 2, finding.Notice: 1}, hidden); diff != "" {
		t.Errorf("hidden (-want +got):\n%s", diff)
	}
	if len(lines) != 10+3+10 {
		t.Fatalf("%d lines, want 23", len(lines))
	}
	for i, line := range lines {
		want := "::notice "
		switch {
		case i < 10:
			want = "::error "
		case i < 13:
			want = "::warning "
		}
		if !strings.HasPrefix(line, want) {
			t.Errorf("line %d = %q, want it to start with %q (most severe first)", i, line, want)
		}
	}

	all, none := Annotations(r, nil)
	if len(all) != 26 || len(none) != 0 {
		t.Errorf("nil limits: %d lines, hidden %v; want 26 and none", len(all), none)
	}
	onlyErrors, hidden := Annotations(r, map[finding.Severity]int{finding.Warning: 0, finding.Notice: 0})
	if len(onlyErrors) != 12 || hidden[finding.Warning] != 3 || hidden[finding.Notice] != 11 {
		t.Errorf("zero limits: %d lines, hidden %v", len(onlyErrors), hidden)
	}
}

func TestHiddenSummary(t *testing.T) {
	t.Parallel()
	tests := []struct {
		hidden map[finding.Severity]int
		want   string
	}{
		{nil, ""},
		{map[finding.Severity]int{}, ""},
		{map[finding.Severity]int{finding.Warning: 1}, "1 warning was not shown as annotations (GitHub shows at most 10 of each severity per step)"},
		{map[finding.Severity]int{finding.Error: 12, finding.Notice: 1}, "12 errors and 1 notice were not shown as annotations (GitHub shows at most 10 of each severity per step)"},
		{map[finding.Severity]int{finding.Error: 1, finding.Warning: 2, finding.Notice: 3}, "1 error, 2 warnings and 3 notices were not shown as annotations (GitHub shows at most 10 of each severity per step)"},
	}
	for _, tt := range tests {
		if got := HiddenSummary(tt.hidden); got != tt.want {
			t.Errorf("HiddenSummary(%v) = %q, want %q", tt.hidden, got, tt.want)
		}
	}
}

func TestGitHubPrinterOverLimits(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := GitHub(&out, manyFindings(12, 3, 10), Options{}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	count := map[string]int{}
	var plain []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "::error "):
			count["error"]++
		case strings.HasPrefix(l, "::warning "):
			count["warning"]++
		case strings.HasPrefix(l, "::notice "):
			count["notice"]++
		default:
			plain = append(plain, l)
		}
	}
	// 10 errors, 3 warnings, 9 notices and the summary notice: one notice
	// slot goes to the summary.
	if diff := cmp.Diff(map[string]int{"error": 10, "warning": 3, "notice": 10}, count); diff != "" {
		t.Errorf("annotations per severity (-want +got):\n%s", diff)
	}
	summary := "::notice title=upgradegate::2 errors and 1 notice were not shown as annotations (GitHub shows at most 10 of each severity per step); they are listed in the log below"
	if !strings.Contains(out.String(), summary+"\n") {
		t.Errorf("no summary notice %q in:\n%s", summary, out.String())
	}
	if len(plain) != 3 {
		t.Fatalf("want the 3 hidden findings as plain lines, got %q", plain)
	}
	for _, l := range plain {
		if !strings.HasPrefix(l, "upgradegate: not annotated: u.yaml:") {
			t.Errorf("plain line %q", l)
		}
	}
}

func TestGitHubPrinterWithinLimitsHasNoSummary(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := GitHub(&out, manyFindings(10, 10, 10), Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "title=upgradegate") || strings.Count(out.String(), "\n") != 30 {
		t.Errorf("want exactly 30 annotations and no summary, got:\n%s", out.String())
	}
}

func TestAnnotationsDropDirectionControls(t *testing.T) {
	t.Parallel()
	if got := escapeData("ok \u202egnp.exe\u202c done"); got != "ok gnp.exe done" {
		t.Errorf("escapeData = %q", got)
	}
	if got := escapeProperty("a\u2066b:c"); got != "ab%3Ac" {
		t.Errorf("escapeProperty = %q", got)
	}
}
