package report

import (
	"bytes"
	"strings"
	"testing"
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
