package github

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

func TestReviewsAcrossPages(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	for i := 0; i < 230; i++ {
		gh.AddReview(pr, fmt.Sprintf("user%d", i), ReviewCommented, "c1")
	}
	gh.AddReview(pr, "alice", ReviewApproved, "c2")
	gh.AddReview(8, "bob", ReviewApproved, "c2") // another pull request's
	c := newClient(t, gh)
	before := len(gh.Requests())
	got, err := c.Reviews(context.Background(), pr)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 231 {
		t.Fatalf("%d reviews, want 231", len(got))
	}
	last := got[230]
	if last.Login != "alice" || last.State != ReviewApproved || last.CommitID != "c2" || last.Submitted.IsZero() {
		t.Errorf("last review %+v, want alice's approval of c2 with its time", last)
	}
	if n := fakegithub.Count(gh.Requests()[before:], fakegithub.ListReviews); n != 3 {
		t.Errorf("%d pages read, want 3", n)
	}
}

func TestReviewsFailure(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Status[fakegithub.ListReviews] = 403
	_, err := newClient(t, gh).Reviews(context.Background(), pr)
	if !IsForbidden(err) || !strings.Contains(err.Error(), "list reviews of pull request #7: 403") {
		t.Errorf("error %v, want a 403 that names the listing", err)
	}
}

func TestTeamMember(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Teams["example-org/dba"] = []string{"Alice", "dave"}
	gh.Teams["example-org/empty"] = nil
	c := newClient(t, gh)
	ctx := context.Background()
	for _, tc := range []struct {
		org, team, login string
		member           bool
		noTeam           bool
	}{
		{"example-org", "dba", "alice", true, false},
		{"example-org", "dba", "dave", true, false},
		{"example-org", "dba", "mallory", false, false},
		{"example-org", "empty", "alice", false, false},
		{"example-org", "nope", "alice", false, true},
	} {
		got, err := c.TeamMember(ctx, tc.org, tc.team, tc.login)
		switch {
		case tc.noTeam:
			if !errors.Is(err, ErrNoSuchTeam) || !strings.Contains(err.Error(), "@example-org/nope") {
				t.Errorf("%s in %s: error %v, want ErrNoSuchTeam naming the team", tc.login, tc.team, err)
			}
		case err != nil:
			t.Errorf("%s in %s: %v", tc.login, tc.team, err)
		case got != tc.member:
			t.Errorf("%s in %s: member %v, want %v", tc.login, tc.team, got, tc.member)
		}
	}
	// a name that would leave the path is escaped, never a request elsewhere
	if _, err := c.TeamMember(ctx, "example-org", "dba/../../x", "alice"); err == nil {
		t.Error("a team slug with slashes was read as a team")
	}
	for _, r := range gh.Requests() {
		if (r.Route != fakegithub.TeamMember && r.Route != fakegithub.Team) || !strings.HasPrefix(r.EscapedPath, "/api/v3/orgs/example-org/teams/") {
			t.Errorf("request %s left the team's path", r)
		}
	}

	gh.Status[fakegithub.TeamMember] = 403
	_, err := c.TeamMember(ctx, "example-org", "dba", "alice")
	if !IsForbidden(err) {
		t.Errorf("error %v, want a 403 (the job token cannot read team membership)", err)
	}
}
