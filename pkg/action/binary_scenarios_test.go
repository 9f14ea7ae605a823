package action

import (
	"fmt"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/github"
)

// The scenarios below run the built binary exactly as the runner runs the
// container (INPUT_* with hyphens, event file, output and summary files,
// GITHUB_API_URL at the recording fake), with real manifests: nothing of the
// action is injected.

// manyMissingKeys is a manifest whose n config keys are all missing from an
// existing file; each key name is pad characters long.
func manyMissingKeys(n, pad int) string {
	var b strings.Builder
	b.WriteString(realClock(manifestYAML(clean)))
	b.WriteString("  config:\n")
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "    - {file: deploy/values.yaml, key: app.key%03d%s}\n", i, strings.Repeat("x", pad))
	}
	return b.String()
}

func TestBinaryRetriesServerErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", realClock(manifestYAML(failing)))
	h.gh.inject["POST comments"] = []answer{
		{status: 500, body: `{"message":"Server Error"}`},
		{status: 500, body: `{"message":"Server Error"}`},
	}
	res := h.runBinary() // real backoff: about 3 s
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1\n%s", res.code, res.stdout)
	}
	if n := count(res.reqs, "POST comments"); n != 3 {
		t.Errorf("%d create requests, want 3 (500, 500, 201)", n)
	}
	if got := h.gh.withMarker(marker()); len(got) != 1 {
		t.Errorf("%d comments, want 1", len(got))
	}
}

func TestBinaryFindsOurCommentOnPage3(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", realClock(manifestYAML(failing)))
	for i := 0; i < 230; i++ {
		h.gh.addComment("reviewer", "User", fmt.Sprintf("comment %d", i))
	}
	ours := h.gh.addComment(botLogin, "Bot", marker()+"\nold report")
	res := h.runBinary()
	if n := count(res.reqs, "GET comments"); n != 3 {
		t.Errorf("%d comment pages read, want 3", n)
	}
	// comment upkeep: one request per page of comments, then one edit
	if n := count(res.reqs, "POST comments") + count(res.reqs, "PATCH comment") + count(res.reqs, "DELETE comment"); n != 1 {
		t.Errorf("%d writes, want 1 edit", n)
	}
	if got := h.gh.withMarker(marker()); len(got) != 1 || got[0].ID != ours.ID || !strings.Contains(got[0].Body, "UG201") {
		t.Errorf("comments %+v, want ours (%d) edited", got, ours.ID)
	}
}

func TestBinaryAnnotationLimits(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manyMissingKeys(120, 0))
	h.write("deploy/values.yaml", "app: {other: 1}\n")
	res := h.runBinary()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1\n%s", res.code, res.stderr)
	}
	errs := 0
	for _, line := range strings.Split(res.stdout, "\n") {
		if strings.HasPrefix(line, "::error ") && strings.Contains(line, "title=UG402") {
			errs++
		}
	}
	if errs != 10 {
		t.Errorf("%d UG402 error annotations, want the runner's 10", errs)
	}
	if !strings.Contains(res.summary, "110 errors") || !strings.Contains(res.summary, "not shown") {
		t.Errorf("the job summary does not say how many annotations were not shown:\n%.2000s", res.summary)
	}
}

func TestBinaryLongReportIsTruncated(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manyMissingKeys(300, 200))
	h.write("deploy/values.yaml", "app: {other: 1}\n")
	res := h.runBinary()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1\n%s", res.code, res.stderr)
	}
	got := h.gh.withMarker(marker())
	if len(got) != 1 {
		t.Fatalf("%d comments, want 1", len(got))
	}
	if n := len([]rune(got[0].Body)); n > github.MaxCommentBody {
		t.Errorf("comment has %d characters, over %d", n, github.MaxCommentBody)
	}
	if !strings.Contains(got[0].Body, "too long for a comment") {
		t.Errorf("the comment does not point to the job summary")
	}
	if len(res.summary) < 70000 || len(res.summary) > 1<<20 {
		t.Errorf("job summary has %d bytes, want the full report (over 70,000) under 1 MiB", len(res.summary))
	}
}
