package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// TestHTMLExcerptsOnlyFromManifestFiles: a finding in a file that holds no
// manifest (a config file, a .env, a policy) is shown without its source
// line, which could hold a secret's value.
func TestHTMLExcerptsOnlyFromManifestFiles(t *testing.T) {
	o := Options{Excerpt: func(file string, line int) (string, bool) {
		return "LINE-OF " + file, true
	}}
	var b bytes.Buffer
	if err := HTML(&b, multiFixture(), o); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	if !strings.Contains(page, "LINE-OF upgrades/two.yaml") {
		t.Error("no excerpt from the manifest file upgrades/two.yaml")
	}
	if strings.Contains(page, "LINE-OF policies/db.yaml") {
		t.Error("an excerpt from policies/db.yaml, which holds no manifest")
	}
}

func TestExcerptCaret(t *testing.T) {
	for _, tc := range []struct {
		line        string
		col         int
		text, caret string
	}{
		{"  to: 1.2.3", 7, "  to: 1.2.3", "      ^"},
		{"\tto: x\x1b[31m", 2, " to: x[31m", " ^"},
		{"héllo", 3, "héllo", "  ^"},
		{"ab", 0, "ab", "^"},
		{"ab", 99, "ab", "  ^"},
	} {
		text, caret := excerptCaret(tc.line, tc.col)
		if text != tc.text || caret != tc.caret {
			t.Errorf("excerptCaret(%q, %d) = %q, %q; want %q, %q", tc.line, tc.col, text, caret, tc.text, tc.caret)
		}
	}
}

// TestTextExcerpts: the text format shows a manifest file's line under its
// finding with a caret at the column, safe for a log (no control
// characters, no legacy workflow command), and never a line of a file that
// holds no manifest.
func TestTextExcerpts(t *testing.T) {
	o := Options{Excerpt: func(file string, line int) (string, bool) {
		if file == "policies/db.yaml" {
			return "SECRET-LINE", true
		}
		return "  key: ##[error]x\x1b[2J", true
	}}
	var b bytes.Buffer
	if err := Text(&b, multiFixture(), o); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	want := "upgrades/two.yaml:12:5: warning: in db-15 [UG502]\n    12 |   key: ##\\[error]x[2J\n       |     ^\n    hint: a hint\n"
	if !strings.Contains(out, want) {
		t.Errorf("text lacks\n%s\nin\n%s", want, out)
	}
	if strings.Contains(out, "SECRET-LINE") || strings.Contains(out, "\x1b") {
		t.Errorf("text shows a policy file's line or an escape:\n%s", out)
	}
}

func TestStopReasons(t *testing.T) {
	route := []string{"1.0.0", "1.2.5", "1.3.0", "2.0.0"}
	got := stopReasons(route, []string{"required stop", ""})
	if want := "1.2.5 required stop; 1.3.0 (no rule needs it)"; got != want {
		t.Errorf("stopReasons = %q, want %q", got, want)
	}
	if stopReasons([]string{"1.0.0", "2.0.0"}, nil) != "" || stopReasons(route, []string{"x"}) != "" {
		t.Error("a direct hop, or reasons that do not match the stops: want none")
	}
}

// TestPlanTextSaysWhyEachStopIsThere: a step's declared stops are listed
// with the rule that keeps each, from the manifest's PathWhy.
func TestPlanTextSaysWhyEachStopIsThere(t *testing.T) {
	r := New([]Manifest{{File: "u/a.yaml", Line: 3, Component: "app", From: "1.0.0", To: "2.0.0", Path: []string{"1.5.0"},
		PathWhy: []string{"maxStep: without it the hop raises the minor by 10, maxStep.minor is 5"}}}, nil, nil, finding.Error)
	r.Plan = []PlanStep{{Name: "a", File: "u/a.yaml", Line: 3, Component: "app", From: "1.0.0", To: "2.0.0", Route: []string{"1.0.0", "1.5.0", "2.0.0"}}}
	var b bytes.Buffer
	if err := PlanText(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	if want := "     stops: 1.5.0 maxStep: without it the hop raises the minor by 10, maxStep.minor is 5\n"; !strings.Contains(b.String(), want) {
		t.Errorf("plan text lacks %q:\n%s", want, b.String())
	}
}
