package report

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// chromium finds Debian's headless browser, or skips the test where it is
// absent (.ci/run installs it when it can).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no Chromium on PATH (apt-get install chromium)")
	return ""
}

// browse runs headless Chromium on file with args, bounded by a deadline.
func browse(t *testing.T, bin, file string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	home := t.TempDir()
	all := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-extensions",
		"--user-data-dir=" + filepath.Join(home, "profile")}, args...)
	cmd := exec.CommandContext(ctx, bin, append(all, "file://"+file)...)
	cmd.Env = append(os.Environ(), "HOME="+home)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	return out
}

// TestHTMLRendersInChromium opens the HTML report in headless Chromium: the
// rendered page has the verdict, each manifest's routes drawn as stops (the
// required ones marked, the hop that breaks a rule marked), the findings with
// their excerpt and caret, and nothing from a finding became markup or
// script; a screenshot of it is a real image.
func TestHTMLRendersInChromium(t *testing.T) {
	bin := chromium(t)
	dir := t.TempDir()
	r := printersFixture()
	r.Manifests[0].Path = []string{"16.7.10"}
	for i, f := range r.Findings {
		if strings.Contains(f.Message, `"16.3.9" skipped`) {
			r.Findings[i].Node = "spec.path[0]" // the hop 16.3.2 -> 16.7.10 skips it
		}
	}
	o := printersOptions
	o.Excerpt = func(file string, line int) (string, bool) {
		if file == "upgrades/gitlab.yaml" && line == 9 {
			return "  path: [16.7.10]", true
		}
		return "", false
	}
	var page bytes.Buffer
	if err := HTML(&page, r, o); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	dom := string(browse(t, bin, file, "--dump-dom"))
	for _, want := range []string{
		`<h1 id="verdict">upgradegate: checks failed</h1>`,
		`<ol class="route declared">`,
		`<ol class="route suggested">`,
		`<span class="stop required"><span class="dot"></span><span class="v">16.3.9</span><span class="why">required stop</span>`,
		`<span class="hop bad" title="UG201 (required stop skipped (warning when the stop is conditional))">`,
		"  path: [16.7.10]\n<span class=\"caret\">        ^</span>",
		"see &lt;b&gt;docs&lt;/b&gt;",
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered page lacks %q", want)
		}
	}
	// declared route of the first manifest: from, 16.7.10, target
	declared := regexp.MustCompile(`(?s)<ol class="route declared">(.*?)</ol>`).FindStringSubmatch(dom)
	if declared == nil || strings.Count(declared[1], `<span class="dot">`) != 3 {
		t.Errorf("declared route: want 3 stops, got %v", declared)
	}
	for _, bad := range []string{"<b>docs", "<script", "http://", "https://fonts", "<link"} {
		if strings.Contains(dom, bad) {
			t.Errorf("rendered page holds %q", bad)
		}
	}

	png := filepath.Join(dir, "report.png")
	browse(t, bin, file, "--hide-scrollbars", "--window-size=1200,900", "--screenshot="+png)
	img, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if len(img) < 10_000 || !bytes.HasPrefix(img, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("screenshot: %d bytes, want a PNG of the page", len(img))
	}
}
