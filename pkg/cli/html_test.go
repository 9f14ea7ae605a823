package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHTMLReportOfTheExamples writes the examples' HTML report to a file:
// it has every manifest, the declared route of the Nextcloud upgrade with
// its required stop, and each finding's source line read from the repository
// with a caret at its column.
func TestHTMLReportOfTheExamples(t *testing.T) {
	out := filepath.Join(t.TempDir(), "report.html")
	code, _, errOut := run(t, "check", "../../examples", "--root", "../..", "--now", "2026-11-22T12:00:00Z", "--format", "html="+out)
	if code != ExitFindings {
		t.Fatalf("exit %d, want %d: %s", code, ExitFindings, errOut)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(data)
	for _, want := range []string{
		"upgradegate: checks failed",
		`<span class="v">30.0.11</span><span class="why">required stop</span>`,
		`examples/upgrades/kubernetes-1-31.yaml:16:7`,
		"<pre class=\"excerpt\">  to: &#34;1.31.14&#34;\n<span class=\"caret\">      ^</span></pre>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if n := strings.Count(page, `<section class="manifest`); n < 5 {
		t.Errorf("%d manifest sections, want one per manifest (5)", n)
	}
}
