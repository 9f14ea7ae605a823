package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// hostile holds what a manifest's author controls: its file name, its
// metadata.name and the values quoted in messages, each with a line break
// that would start a workflow command, a CR, an ESC (terminal escapes) and
// direction controls.
func hostileReport() *Report {
	const (
		file = "upgrades/a\n::add-mask::hunter2\r\n::error file=x::fake\x1b[2K\u202e.yaml"
		name = "app\n::error::forged verdict\r::warning::x\x1b[31m\u2066red\u2069\u2028"
		msg  = "invalid value \"x\n::add-mask::secret\" \x1b]0;title\x07 \u202egnp.exe ##[add-mask]leak ##[error]fake"
	)
	ms := []Manifest{
		{File: file, Component: name, From: "1.0\n::notice::x", To: "2.0\x1b[0m", Path: []string{"1.5\n::error::p"}, Name: name, Line: 1},
		{File: "::error::starts.yaml", Component: "c", From: "1", To: "2", Line: 1},
		{File: " \t::warning::spaced.yaml", Component: "c", From: "1", To: "2", Line: 1},
	}
	fs := []finding.Finding{
		{Rule: rules.UG004, Severity: finding.Error, File: file, Line: 2, Column: 3, Manifest: name, Message: msg,
			Hint: "hint\n::add-mask::h\x1b[1m\u202d"},
		{Rule: rules.UG502, Severity: finding.Warning, File: file, Line: 3, Column: 1, Manifest: name, Message: msg, Suppressed: true,
			SuppressedBy: "exception\n::error::s\x1b"},
		{Rule: rules.UG510, Severity: finding.Notice, File: "::error::starts.yaml", Line: 2, Column: 1, Message: "m\r::notice::n"},
		{Rule: rules.UG510, Severity: finding.Notice, File: " \t::warning::spaced.yaml", Line: 2, Column: 1, Message: "m"},
	}
	return New(ms, fs, nil, finding.Error)
}

// forbidden lists what no line of a text output may hold.
func checkLines(t *testing.T, format, out string, commandLine func(string) bool) {
	t.Helper()
	if strings.ContainsAny(out, "\r\x1b\x07\u2028\u2029") {
		t.Errorf("%s: a CR, ESC, BEL or line separator got through:\n%q", format, out)
	}
	for _, r := range out {
		if unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("%s: direction control %U got through", format, r)
		}
	}
	if strings.Contains(out, "##[") {
		t.Errorf("%s: a legacy workflow command (##[) got through:\n%s", format, out)
	}
	for i, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(strings.TrimLeftFunc(line, unicode.IsSpace), "::") && !commandLine(line) {
			t.Errorf("%s: line %d is a workflow command of its own: %q", format, i+1, line)
		}
	}
}

func TestTextOutputsEscapeEveryField(t *testing.T) {
	t.Parallel()
	r := hostileReport()
	never := func(string) bool { return false }
	for _, tc := range []struct {
		format  string
		command func(string) bool
	}{
		{"text", never},
		{"markdown", never},
		// each annotation is one command; a forged one would show as its own line
		{"github", func(l string) bool {
			return strings.HasPrefix(l, "::error file=upgrades/a%0A%3A%3Aadd-mask%3A%3Ahunter2%0D%0A%3A%3Aerror file=x%3A%3Afake[2K.yaml,") ||
				strings.HasPrefix(l, "::notice file=%3A%3Aerror%3A%3Astarts.yaml,") ||
				strings.HasPrefix(l, "::notice file=  %3A%3Awarning%3A%3Aspaced.yaml,")
		}},
	} {
		p, err := For(tc.format)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := p(&b, r, Options{}); err != nil {
			t.Fatal(err)
		}
		checkLines(t, tc.format, b.String(), tc.command)
		if tc.format == "github" && strings.Count(b.String(), "\n") != 3 {
			t.Errorf("github: want 3 annotation lines (the suppressed finding is not one), got:\n%s", b.String())
		}
	}
	// the text report keeps every finding on its line and says which file
	var b bytes.Buffer
	if err := Text(&b, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"./::error::starts.yaml:2:1: notice: m ::notice::n [UG510]",
		"./  ::warning::spaced.yaml: c 1 -> 2",
		"upgrades/a ::add-mask::hunter2 ::error file=x::fake[2K.yaml:2:3: error: invalid value \"x ::add-mask::secret\" ]0;title gnp.exe ##\\[add-mask]leak ##\\[error]fake [UG004]",
		"    hint: hint ::add-mask::h[1m",
		"    suppressed by: exception ::error::s",
		": app ::error::forged verdict ::warning::x[31mred 1.0 ::notice::x -> 2.0[0m via 1.5 ::error::p",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, b.String())
		}
	}
}

func TestGitLabStripsControls(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	if err := GitLab(&b, hostileReport(), Options{}); err != nil {
		t.Fatal(err)
	}
	var issues []gitlabIssue
	if err := json.Unmarshal(b.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	if len(issues) != 3 {
		t.Fatalf("%d issues, want 3", len(issues))
	}
	for _, is := range issues {
		if text := is.Description + is.CheckName; strings.IndexFunc(text, invisible) >= 0 {
			t.Errorf("gitlab: a control character got through: %q", text)
		}
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, one, keep string }{
		{"plain", "plain", "plain"},
		{"a\r\nb\rc\nd", "a b c d", "a\r\nb\rc\nd"},
		{"tab\there", "tab here", "tab here"},
		{"esc\x1b[31mred\x1b[0m \x00\x7f\u0085\u009b", "esc[31mred[0m ", "esc[31mred[0m "},
		{"rtl\u202eoverride\u2066\u2069\u200e\u200f\u061c", "rtloverride", "rtloverride"},
		{"line\u2028para\u2029", "linepara", "linepara"},
		{"bad \xff utf-8 \uFFFD", "bad \uFFFD utf-8 \uFFFD", "bad \uFFFD utf-8 \uFFFD"},
		{"ünïcödé ✅ @x", "ünïcödé ✅ @x", "ünïcödé ✅ @x"},
		{"\x1b[31mfirst", "[31mfirst", "[31mfirst"}, // the very first rune is one to drop
		{"\nfirst", " first", "\nfirst"},
		{"\r\n", " ", "\r\n"},
		{"", "", ""},
	} {
		if got := clean(tc.in, false); got != tc.one {
			t.Errorf("clean(%q, false) = %q, want %q", tc.in, got, tc.one)
		}
		if got := clean(tc.in, true); got != tc.keep {
			t.Errorf("clean(%q, true) = %q, want %q", tc.in, got, tc.keep)
		}
	}
	for _, tc := range []struct{ in, want string }{
		{"::error::x", `"::error::x"`},
		{" \u00a0::x", `" \u00a0::x"`},
		{"a::b", "a::b"},
		{"##[error]x\n", `##\[error]x `},
	} {
		if got := TextField(tc.in); got != tc.want {
			t.Errorf("TextField(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
