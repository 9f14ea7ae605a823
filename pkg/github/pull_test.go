package github

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

// TestPull reads one pull request by number: its author, head and number of
// changed files; an unknown number is an error that names it.
func TestPull(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Pulls = []map[string]any{{"number": 7, "changed_files": 3, "user": map[string]any{"login": "bob"},
		"head": map[string]any{"sha": "abc123", "ref": "upgrade-app", "repo": map[string]any{"full_name": "o/r"}}}}
	c := newClient(t, gh)
	got, err := c.Pull(context.Background(), 7)
	if err != nil {
		t.Fatal(err)
	}
	want := PullRequest{Number: 7, HeadSHA: "abc123", HeadRepo: "o/r", HeadRef: "upgrade-app", Author: "bob", ChangedFiles: 3}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Pull(7) (-want +got):\n%s", diff)
	}
	if n := fakegithub.Count(gh.Requests(), fakegithub.GetPull); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
	if _, err := c.Pull(context.Background(), 8); err == nil || !strings.Contains(err.Error(), "read pull request #8") {
		t.Errorf("Pull(8) error = %v, want one naming pull request #8", err)
	}
}
