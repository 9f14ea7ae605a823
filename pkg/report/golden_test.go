package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// The -update flag is looked up by name so that every test file of the
// package can share it, whichever registers it first.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/ instead of comparing")
	}
}

func goldenUpdating() bool { return flag.Lookup("update").Value.String() == "true" }

// nastyMessage holds everything a printer must escape or keep literal.
const nastyMessage = "100% of stakeholders: none, see <b>docs</b>\n::error::injected\r\nping @platform-team, then: call"

// printersFixture is a report with findings of every severity, a suppressed
// one, two that share file, rule and node, one in a file whose name needs
// escaping, and one whose message holds '%', newlines, '::', commas, colons,
// HTML and an @mention.
func printersFixture() *Report {
	expires := time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)
	manifests := []Manifest{
		{File: "upgrades/gitlab.yaml", Component: "gitlab", From: "16.3.2", To: "17.3.7", Path: []string{"16.7.10"},
			SuggestedPath: []string{"16.3.9", "16.7.10", "16.11.10"}, Name: "gitlab-17-3", Line: 1,
			SuggestedWhy: []string{"required stop", "required stop", "required stop"}, PathWhy: []string{"required stop"}},
		{File: "upgrades/odd, name:v2.yaml", Component: "runner", From: "16.0.0", To: "16.1.0", Name: "runner", Line: 1},
		{File: "upgrades/broken.yaml", Line: 1},
	}
	findings := []finding.Finding{
		{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/gitlab.yaml", Line: 9, Column: 9, Node: "spec.path",
			Manifest: "gitlab-17-3",
			Message:  `required stop "16.3.9" skipped by the hop "16.3.2" -> "16.7.10"`, Hint: `add "16.3.9" to spec.path`},
		{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/gitlab.yaml", Line: 9, Column: 9, Node: "spec.path",
			Manifest: "gitlab-17-3",
			Message:  `required stop "16.11.10" skipped by the hop "16.7.10" -> "17.3.7"`, Hint: `add "16.11.10" to spec.path`},
		{Rule: rules.UG204, Severity: finding.Notice, File: "upgrades/gitlab.yaml", Line: 9, Column: 3, Node: "spec.path",
			Manifest: "gitlab-17-3", Message: `suggested path: "16.3.9", "16.7.10", "16.11.10"`, Hint: "copy the suggested stops into spec.path"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "upgrades/gitlab.yaml", Line: 30, Column: 13, Node: "spec.rollback.tested",
			Manifest: "gitlab-17-3", Message: "rollback not tested", Hint: "rehearse the rollback and set spec.rollback.tested: true",
			Suppressed: true, SuppressedBy: `exception for UG502 approved by "@cto" until 2026-12-15: rollback rehearsal scheduled after the window`},
		{Rule: rules.UG509, Severity: finding.Warning, File: "upgrades/odd, name:v2.yaml", Line: 12, Column: 5, Node: "spec.stakeholders",
			Manifest: "runner", Message: nastyMessage, Hint: "list them in spec.stakeholders.notify: [end-users]"},
		{Rule: rules.UG513, Severity: finding.Notice, File: "upgrades/odd, name:v2.yaml", Line: 4, Column: 3, Node: "spec",
			Manifest: "runner", Message: "post-implementation review not planned"},
		{Rule: rules.UG001, Severity: finding.Error, File: "upgrades/broken.yaml", Line: 3, Column: 1,
			Message: `mapping key "component" already defined at line 2`, Hint: "remove one of the two keys"},
	}
	exceptions := []Exception{{File: "upgrades/gitlab.yaml", Line: 40, Column: 7, Rule: "UG502",
		Reason: "rollback rehearsal scheduled after the window", ApprovedBy: "@cto", Expires: expires, Used: 1}}
	return New(manifests, findings, exceptions, finding.Error)
}

// multiFixture has a file with three manifests (findings before the first,
// in each, one manifest whose only finding is suppressed), a manifest file
// without findings, a policy file with a finding and no manifest, and one
// finding of each count that the summary words in the singular.
func multiFixture() *Report {
	manifests := []Manifest{
		{File: "upgrades/two.yaml", Component: "db", From: "14.0.0", To: "15.0.0", Name: "db-15", Line: 3},
		{File: "upgrades/two.yaml", Component: "cache", From: "6.0", To: "7.0", Path: []string{"6.2", "6.4"}, Name: "", Line: 30},
		{File: "upgrades/two.yaml", Name: "", Line: 50},
		{File: "upgrades/quiet.yaml", Component: "web", From: "1.0.0", To: "1.1.0", Name: "web-1-1", Line: 1},
	}
	findings := []finding.Finding{
		{Rule: rules.UG002, Severity: finding.Error, File: "upgrades/two.yaml", Line: 1, Column: 1, Message: "before the first manifest"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "upgrades/two.yaml", Line: 12, Column: 5, Message: "in db-15", Hint: "a hint"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "upgrades/two.yaml", Line: 30, Column: 1, Message: "at the second manifest's first line",
			Suppressed: true, SuppressedBy: "exception for UG502"},
		{Rule: rules.UG513, Severity: finding.Notice, File: "upgrades/two.yaml", Line: 49, Column: 3, Message: "last line of the second manifest",
			Suppressed: true},
		{Rule: rules.UG509, Severity: finding.Warning, File: "upgrades/two.yaml", Line: 50, Column: 1, Message: "at the third manifest's first line"},
		{Rule: rules.UG513, Severity: finding.Notice, File: "upgrades/two.yaml", Line: 99, Column: 2, Message: "far below"},
		{Rule: rules.UG002, Severity: finding.Error, File: "policies/db.yaml", Line: 7, Column: 3, Message: "policy finding", Hint: "fix the policy"},
	}
	return New(manifests, findings, nil, finding.Error)
}

var printersOptions = Options{ToolVersion: "1.2.3", ServerURL: "https://github.com", Repository: "acme/infra", SHA: "0123abc"}

// goldenFormats are the printers whose output is snapshotted here, with the
// golden file's name.
var goldenFormats = []struct{ format, file string }{
	{"sarif", "sarif.json"},
	{"gitlab", "gitlab.json"},
	{"github", "github.txt"},
	{"text", "text.txt"},
	{"junit", "junit.xml"},
	{"html", "report.html"},
}

func TestPrintersGolden(t *testing.T) {
	cases := map[string]func() *Report{
		"mixed": printersFixture,
		"empty": func() *Report { return New(nil, nil, nil, finding.Error) },
		"multi": multiFixture,
	}
	for name, build := range cases {
		for _, f := range build().Findings {
			if id, ok := rules.Lookup(f.Rule.String()); !ok || id != f.Rule {
				t.Errorf("%s: finding of a rule the catalog lacks: %+v", name, f)
			}
		}
		for _, g := range goldenFormats {
			t.Run(name+"/"+g.format, func(t *testing.T) {
				t.Parallel()
				p, err := For(g.format)
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				if err := p(&out, build(), printersOptions); err != nil {
					t.Fatalf("%s printer: %v", g.format, err)
				}
				checkPrinterGolden(t, filepath.Join("testdata", "golden", name, g.file), out.Bytes())
			})
		}
	}
}

func checkPrinterGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if goldenUpdating() {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file: %v; run `go test ./pkg/report -update` to create it", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s is out of date; if the change is intended, run `go test ./pkg/report -update` (-want +got):\n%s", path, diff)
	}
}

// deepCopyReport copies r deeply enough that no printer can reach the copy
// through r.
func deepCopyReport(r *Report) *Report {
	c := *r
	c.Findings = slices.Clone(r.Findings)
	c.Manifests = slices.Clone(r.Manifests)
	for i := range c.Manifests {
		c.Manifests[i].Path = slices.Clone(c.Manifests[i].Path)
		c.Manifests[i].SuggestedPath = slices.Clone(c.Manifests[i].SuggestedPath)
	}
	c.Exceptions = slices.Clone(r.Exceptions)
	return &c
}

func TestPrintersDoNotModifyTheReport(t *testing.T) {
	for _, name := range Names() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			p, err := For(name)
			if err != nil {
				t.Fatal(err)
			}
			r := printersFixture()
			before := deepCopyReport(r)
			if err := p(&bytes.Buffer{}, r, printersOptions); err != nil {
				t.Fatalf("%s printer: %v", name, err)
			}
			if diff := cmp.Diff(before, r); diff != "" {
				t.Errorf("%s printer modified its report (-before +after):\n%s", name, diff)
			}
		})
	}
}

func TestNewFormatsRegistered(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"sarif", "gitlab", "github"} {
		if _, err := For(name); err != nil {
			t.Errorf("For(%q): %v", name, err)
		}
	}
}

// TestTextColors: with Color, the file headers are bold, each severity has
// its colour, a suppressed finding none, and the result is red or green.
func TestTextColors(t *testing.T) {
	t.Parallel()
	fs := []finding.Finding{
		{Rule: rules.UG201, Severity: finding.Error, File: "a.yaml", Line: 2, Column: 1, Message: "e"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "a.yaml", Line: 3, Column: 1, Message: "w"},
		{Rule: rules.UG513, Severity: finding.Notice, File: "a.yaml", Line: 4, Column: 1, Message: "n"},
		{Rule: rules.UG502, Severity: finding.Warning, File: "a.yaml", Line: 5, Column: 1, Message: "s", Suppressed: true},
	}
	ms := []Manifest{{File: "a.yaml", Name: "a", From: "1", To: "2", Line: 1}}
	var out bytes.Buffer
	if err := Text(&out, New(ms, fs, nil, finding.Error), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	want := "\x1b[1ma.yaml: a 1 -> 2\x1b[0m\n" +
		"a.yaml:2:1: \x1b[31merror\x1b[0m: e [UG201]\n" +
		"a.yaml:3:1: \x1b[33mwarning\x1b[0m: w [UG502]\n" +
		"a.yaml:4:1: \x1b[36mnotice\x1b[0m: n [UG513]\n" +
		"a.yaml:5:1: warning (suppressed): s [UG502]\n" +
		"\n" +
		"\x1b[31mFAIL\x1b[0m: 1 manifest, 1 error, 1 warning, 1 notice, 1 suppressed\n"
	if diff := cmp.Diff(want, out.String()); diff != "" {
		t.Errorf("colored text (-want +got):\n%s", diff)
	}
	out.Reset()
	if err := Text(&out, New(ms, nil, nil, finding.Error), Options{Color: true}); err != nil {
		t.Fatal(err)
	}
	if want := "\x1b[1ma.yaml: a 1 -> 2 (ok)\x1b[0m\n\n\x1b[32mPASS\x1b[0m: 1 manifest, 0 errors, 0 warnings, 0 notices, 0 suppressed\n"; out.String() != want {
		t.Errorf("colored passing text = %q, want %q", out.String(), want)
	}
}
