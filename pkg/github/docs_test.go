package github

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
)

// TestBoundsAreDocumented keeps docs/action.md's "Bounds on the API" in step
// with the constants.
func TestBoundsAreDocumented(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "action.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(data)), " ")
	if DefaultRunLimit != time.Minute || DefaultAttemptTimeout != 30*time.Second {
		t.Fatalf("update docs/action.md for a run limit of %s and answers of %s", DefaultRunLimit, DefaultAttemptTimeout)
	}
	for _, want := range []string{
		"takes at most a minute",
		"arrives within 30 seconds and holds at most " + safehttp.Size(MaxBody),
		"limit of " + safehttp.Size(MaxBody),
		fmt.Sprintf("at %s files (%d pages)", thousands(MaxChangedFiles), MaxChangedFilePages),
		fmt.Sprintf("comments at %d pages (%s)", MaxCommentPages, thousands(MaxCommentPages*100)),
		fmt.Sprintf("at %d pages, secret names at %d pages per scope", MaxPullRequestPages, MaxSecretPages),
		fmt.Sprintf("the reviews of a pull request at %d pages (%s)", MaxReviewPages, thousands(MaxReviewPages*100)),
		fmt.Sprintf("a tree listing holds at most %s entries", thousands(MaxTreeEntries)),
		fmt.Sprintf("the issues searched for the audit's tracking issue at %d pages (%s)", MaxIssuePages, thousands(MaxIssuePages*100)),
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/action.md does not say %q", want)
		}
	}
}

func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d,%03d", n/1000, n%1000)
}
