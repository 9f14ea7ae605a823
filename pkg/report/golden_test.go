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
			SuggestedPath: []string{"16.3.9", "16.7.10", "16.11.10"}, Name: "gitlab-17-3", Line: 1},
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

var printersOptions = Options{ToolVersion: "1.2.3", ServerURL: "https://github.com", Repository: "acme/infra", SHA: "0123abc"}

// goldenFormats are the printers whose output is snapshotted here, with the
// golden file's name.
var goldenFormats = []struct{ format, file string }{
	{"sarif", "sarif.json"},
	{"gitlab", "gitlab.json"},
	{"github", "github.txt"},
}

func TestPrintersGolden(t *testing.T) {
	cases := map[string]func() *Report{
		"mixed": printersFixture,
		"empty": func() *Report { return New(nil, nil, nil, finding.Error) },
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
