package report

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestNeutraliseReferences(t *testing.T) {
	t.Parallel()
	const zwj = "\u200d"
	for _, tc := range []struct{ in, want string }{
		{"fixes #12 and owner/repo#7", "fixes #" + zwj + "12 and owner/repo#" + zwj + "7"},
		{"GH-3, gh-4, UGH-5", "GH-" + zwj + "3, gh-" + zwj + "4, UGH-5"},
		{"see https://evil.test/x and HTTP://e.test", "see https" + zwj + "://evil.test/x and HTTP" + zwj + "://e.test"},
		{"ftp://f.test www.evil.test WWW.x.test", "ftp" + zwj + "://f.test www" + zwj + ".evil.test WWW" + zwj + ".x.test"},
		{"#channel, C#, 1.2.3, ug201", "#channel, C#, 1.2.3, ug201"},
	} {
		if got := NeutraliseReferences(tc.in); got != tc.want {
			t.Errorf("NeutraliseReferences(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMarkdownUntrusted: a report from an artifact gets no verdict headline
// of its own, and no text of it links anywhere or refers to an issue; the
// links the renderer makes itself stay.
func TestMarkdownUntrusted(t *testing.T) {
	t.Parallel()
	r := New([]Manifest{{File: "upgrades/app.yaml", Component: "app #1", From: "1.0", To: "2.0", Path: []string{"www.evil.test"}, Line: 1}},
		[]finding.Finding{
			{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: 3, Column: 1, Message: "closes #12, see https://evil.test",
				Hint: "owner/repo#7 GH-9", Suppressed: true, SuppressedBy: "approved in #44"},
		}, nil, finding.Error)
	md := RenderMarkdown(r, MarkdownOptions{Options: Options{ServerURL: "https://github.com", Repository: "o/r", SHA: "abc", Untrusted: true}, Now: mdNow})
	if !strings.HasPrefix(md, "#### Reported by the pull request's run: all checks pass\n") {
		t.Errorf("headline:\n%s", md)
	}
	for _, bad := range []string{"#1", "#12", "#7", "#44", "GH-9", "https://evil", "www.evil"} {
		if strings.Contains(md, bad) {
			t.Errorf("untrusted report holds %q:\n%s", bad, md)
		}
	}
	if !strings.Contains(md, "(https://github.com/o/r/blob/abc/upgrades/app.yaml#L3)") {
		t.Errorf("the renderer's own link is gone:\n%s", md)
	}
	// trusted, the same report keeps its texts and its verdict
	md = RenderMarkdown(r, MarkdownOptions{Now: mdNow})
	if !strings.HasPrefix(md, "### ✅ upgradegate: all checks pass\n") || !strings.Contains(md, "closes #12") {
		t.Errorf("trusted report changed:\n%s", md)
	}
}
