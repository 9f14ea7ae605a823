package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

var mdNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func mdLinks() Options {
	return Options{ServerURL: "https://github.com", Repository: "acme/infra", SHA: "0123456789abcdef0123456789abcdef01234567"}
}

func failingReport() *Report {
	ms := []Manifest{
		{File: "upgrades/gitlab.yaml", Component: "gitlab", From: "16.3.2", To: "17.3.7", Path: []string{"16.3.9", "16.7.10"},
			Name: "gitlab-17-3", Line: 1},
		{File: "upgrades/postgres.yaml", Component: "postgresql", From: "14.11", To: "16.4", SuggestedPath: []string{"15.8"},
			Name: "pg-16", Line: 1},
		{File: "upgrades/redis.yaml", Component: "redis", From: "7.0.0", To: "7.2.4", Name: "redis", Line: 1},
	}
	fs := []finding.Finding{
		{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/gitlab.yaml", Line: 9, Column: 9, Manifest: "gitlab-17-3",
			Message: `hop 16.7.10 -> 17.3.7 skips required stop 16.11.10`, Hint: "add 16.11.10 to spec.path"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "upgrades/gitlab.yaml", Line: 30, Column: 13, Manifest: "gitlab-17-3",
			Message: "rollback not tested", Hint: "rehearse the rollback and set spec.rollback.tested: true"},
		{Rule: rules.UG204, Severity: finding.Notice, File: "upgrades/postgres.yaml", Line: 8, Column: 7, Manifest: "pg-16",
			Message: "suggested path: 14.11 -> 15.8 -> 16.4", Hint: "set spec.path: [15.8]"},
		{Rule: rules.UG509, Severity: finding.Warning, File: "upgrades/postgres.yaml", Line: 20, Column: 3, Manifest: "pg-16",
			Message: "stakeholders channel missing", Suppressed: true,
			SuppressedBy: "exception at upgrades/postgres.yaml:40 (channel set up next week; approved by @cto; expires 2026-11-25)"},
	}
	exc := []Exception{
		{File: "upgrades/postgres.yaml", Line: 40, Column: 7, Rule: "UG509", Reason: "channel set up next week",
			ApprovedBy: "@cto", Expires: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Used: 1},
		{File: "upgrades/redis.yaml", Line: 30, Column: 7, Rule: "UG513", Reason: "review after the holidays",
			ApprovedBy: "@cto", Expires: time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)},
		{File: "upgrades/redis.yaml", Line: 35, Column: 7, Rule: "UG502", Reason: "old", ApprovedBy: "@cto",
			Expires: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), Expired: true},
	}
	return New(ms, fs, exc, finding.Error)
}

func TestMarkdownGolden(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		r    *Report
		o    MarkdownOptions
	}{
		{"fail", failingReport(), MarkdownOptions{Options: mdLinks(), Now: mdNow}},
		{"fail-nolinks", failingReport(), MarkdownOptions{Now: mdNow}},
		{"pass", New([]Manifest{{File: "upgrades/redis.yaml", Component: "redis", From: "7.0.0", To: "7.2.4", Path: []string{"7.0.15"}, Line: 1}},
			[]finding.Finding{{Rule: rules.UG513, Severity: finding.Notice, File: "upgrades/redis.yaml", Line: 3, Column: 1, Message: "post-implementation review not planned"}},
			nil, finding.Error), MarkdownOptions{Options: mdLinks(), Now: mdNow}},
		{"empty", New(nil, nil, nil, finding.Warning), MarkdownOptions{Now: mdNow}},
		{"pass-below-fail-on", New([]Manifest{{File: "upgrades/redis.yaml", Component: "redis", From: "7.0.0", To: "7.2.4", Line: 1}},
			[]finding.Finding{{Rule: rules.UG502, Severity: finding.Warning, File: "upgrades/redis.yaml", Line: 12, Column: 13, Message: "rollback not tested"}},
			nil, finding.Off), MarkdownOptions{Now: mdNow}},
		{"hostile", New([]Manifest{{File: "upgrades/x|y.yaml", Component: "<!-- upgradegate:comment --> @org/admins <b>x</b>",
			From: "1.0\n| a | b |", To: "2.0 **bold** [l](https://evil.test) `code`", Line: 1}},
			[]finding.Finding{{Rule: rules.UG004, Severity: finding.Error, File: "upgrades/x|y.yaml", Line: 2, Column: 3,
				Message: "invalid value \"@here\" <script>alert(1)</script>\r\n::error::x", Hint: "~~strike~~ _em_ \\"}},
			nil, finding.Error), MarkdownOptions{Options: mdLinks(), Now: mdNow}},
		// math that would fake a verdict; places that climb out of the
		// repository (a report read back from an untrusted artifact) are text,
		// not links
		{"math-and-traversal", New([]Manifest{{File: "../../../evil/repo/blob/main/x.yaml", Component: `$\color{green}{\Huge\text{all checks pass}}$`,
			From: "$$x$$", To: "2.0", Line: 1}},
			[]finding.Finding{
				{Rule: rules.UG004, Severity: finding.Error, File: "upgrades/./a.yaml", Line: 2, Column: 3, Message: "costs $5"},
				{Rule: rules.UG004, Severity: finding.Error, File: "/etc/passwd", Line: 1, Column: 1, Message: "m"},
				{Rule: rules.UG004, Severity: finding.Error, File: "upgrades/ok.yaml", Line: 1, Column: 1, Message: "m"},
			},
			nil, finding.Error), MarkdownOptions{Options: mdLinks(), Now: mdNow}},
		{"truncated", failingReport(), MarkdownOptions{Options: mdLinks(), Now: mdNow, MaxBytes: 1500,
			TruncatedNote: "The report is cut here: see the job summary."}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got := RenderMarkdown(tc.r, tc.o)
			golden := filepath.Join("testdata", "markdown", tc.name+".md")
			if goldenUpdating() {
				if err := os.MkdirAll(filepath.Dir(golden), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/report -run TestMarkdownGolden -update)", err)
			}
			if diff := cmp.Diff(string(want), got); diff != "" {
				t.Errorf("%s (-want +got), rerun with -update if intended:\n%s", golden, diff)
			}
			if tc.o.MaxBytes > 0 && len(got) > tc.o.MaxBytes {
				t.Errorf("%d bytes, over MaxBytes %d", len(got), tc.o.MaxBytes)
			}
		})
	}
}

func TestMarkdownIsRegistered(t *testing.T) {
	t.Parallel()
	p, err := For("markdown")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := p(&b, failingReport(), mdLinks()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(b.String(), "### ❌ upgradegate: checks failed") {
		t.Errorf("markdown printer wrote:\n%s", b.String())
	}
}

func TestEscapeMarkdown(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"@alice and @org/team", "@\u200dalice and @\u200dorg/team"},
		{"<!-- x -->", "&lt;!-- x --&gt;"},
		{"a|b\nc\r\nd", `a\|b c d`},
		{"*x* _y_ `z` [l](u) ~s~ \\", `\*x\* \_y\_ \` + "`" + `z\` + "`" + ` \[l\](u) \~s\~ \\`},
		{"&lt;", "&amp;lt;"},
		{"rtl\u202eoverride\x00", "rtl override "},
	} {
		if got := EscapeMarkdown(tc.in); got != tc.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTruncateMarkdown(t *testing.T) {
	t.Parallel()
	s := "# head\n\n<details>\n<summary>x</summary>\n\n" + strings.Repeat("- line\n", 100) + "</details>\n"
	for _, max := range []int{0, 60, 100, 200, 400, len(s) - 1, len(s)} {
		got := truncateMarkdown(s, max, "cut", new(int))
		switch {
		case max == 0 || max >= len(s):
			if got != s {
				t.Errorf("max %d: changed a report that fits", max)
			}
			continue
		case len(got) > max:
			t.Errorf("max %d: %d bytes", max, len(got))
		case !strings.HasSuffix(got, "✂️ **cut**\n"):
			t.Errorf("max %d: the cut is not marked: %q", max, got)
		case strings.Count(got, "<details>") != strings.Count(got, "</details>"):
			t.Errorf("max %d: <details> left open: %q", max, got)
		}
	}
}
