package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// MaxReviewPages bounds the reviews of a pull request read: 3,000.
const MaxReviewPages = 30

// Review states, as the API spells them.
const (
	ReviewApproved         = "APPROVED"
	ReviewChangesRequested = "CHANGES_REQUESTED"
	ReviewCommented        = "COMMENTED"
	ReviewDismissed        = "DISMISSED"
	ReviewPending          = "PENDING"
)

// Review is one review of a pull request.
type Review struct {
	Login     string
	State     string // one of the Review* states
	CommitID  string
	Submitted time.Time
}

// Reviews lists the reviews of pull request number in the order the API
// gives them (chronological), 100 per page, at most MaxReviewPages pages; a
// listing longer than that fails with a *PageLimitError. Reading them takes
// pull-requests: read.
func (c *Client) Reviews(ctx context.Context, number int) ([]Review, error) {
	var out []Review
	what := fmt.Sprintf("reviews of pull request #%d", number)
	err := pages(MaxReviewPages, what, func(opt gh.ListOptions) (int, error) {
		page, resp, err := c.gh.PullRequests.ListReviews(ctx, c.owner, c.repo, number, &opt)
		if err != nil {
			return 0, err
		}
		for _, r := range page {
			out = append(out, Review{Login: r.GetUser().GetLogin(), State: r.GetState(), CommitID: r.GetCommitID(),
				Submitted: r.GetSubmittedAt().Time})
		}
		return resp.NextPage, nil
	})
	if err != nil {
		return nil, wrap("list "+what, err)
	}
	return out, nil
}

// ErrNoSuchTeam is a team the API does not know (or does not show the
// token).
var ErrNoSuchTeam = errors.New("no such team")

// TeamMember reports whether login is an active member of the team
// org/slug (GET /orgs/{org}/teams/{slug}/memberships/{login}). Reading team
// membership takes the organization permission "Members: read", which a
// GitHub App installation token or a fine-grained personal token can be
// given and the job's token (GITHUB_TOKEN) never has: for it the API
// answers 403 (IsForbidden). A 404 means login is no member, unless the team
// itself is unknown: then the error wraps ErrNoSuchTeam.
func (c *Client) TeamMember(ctx context.Context, org, slug, login string) (bool, error) {
	what := fmt.Sprintf("read the membership of %s in team @%s/%s", login, org, slug)
	if org == "" || slug == "" || login == "" {
		return false, wrap(what, errors.New("an organization, a team and a login are needed"))
	}
	eo, es := url.PathEscape(org), url.PathEscape(slug)
	m, _, err := c.gh.Teams.GetTeamMembershipBySlug(ctx, eo, es, url.PathEscape(login))
	switch {
	case err == nil:
		return strings.EqualFold(m.GetState(), "active"), nil
	case StatusCode(err) != http.StatusNotFound:
		return false, wrap(what, err)
	}
	// no member, or no team: the team's own page tells them apart
	_, _, terr := c.gh.Teams.GetTeamBySlug(ctx, eo, es)
	switch {
	case terr == nil:
		return false, nil
	case StatusCode(terr) == http.StatusNotFound:
		return false, wrap(what, fmt.Errorf("team @%s/%s: %w (or the token may not see it)", org, slug, ErrNoSuchTeam))
	}
	return false, wrap(what, terr)
}
