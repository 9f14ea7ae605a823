package action

import (
	"context"
	"errors"
	"fmt"

	"github.com/upgradegate/upgradegate/pkg/approval"
	"github.com/upgradegate/upgradegate/pkg/github"
)

// ApprovalsURL documents how the action reads approvals.
const ApprovalsURL = "https://github.com/upgradegate/upgradegate/blob/main/docs/action.md#approvals"

// approvals is who approved the pull request, read from its reviews the
// first time a rule asks (UG518, UG904): a run whose manifests need no
// approval makes no request. Where the reviews cannot be read the set is
// unknown and says why (noPR, when the run could not tell its pull
// request), so that the rules warn instead of passing. On push, schedule and
// workflow_dispatch there is no pull request to judge: the rules are left
// out, and the run says so once if they would have applied.
func (x *run) approvals(ctx context.Context, pr *pullRequest, noPR string) *approval.Set {
	switch {
	case pr == nil && noPR != "":
		return approval.Unknown(noPR)
	case pr == nil && notAboutPullRequests(x.env.EventName):
		return approval.NotJudged(fmt.Sprintf("UG518 and UG904 (approvals) are judged from a pull request's reviews, on "+
			"pull_request, pull_request_review and merge_group runs; this %s run has no pull request and does not judge them "+
			"(after a merge, the pull request's own runs did). See %s", x.env.EventName, ApprovalsURL))
	case pr == nil:
		return approval.Unknown(fmt.Sprintf("this %s run is not about a pull request, so no review can approve it",
			orDefault(x.env.EventName, "workflow")))
	case x.client == nil:
		return approval.Unknown(fmt.Sprintf("no token: the reviews of pull request #%d cannot be read; set the action's token input", pr.Number))
	}
	author := ""
	if pr.User != nil {
		author = pr.User.Login
	}
	member, memberWhy := x.teamMembership()
	return approval.Deferred(func() *approval.Set {
		ctx, cancel := context.WithTimeout(ctx, apiTimeout)
		defer cancel()
		reviews, err := x.client.Reviews(ctx, pr.Number)
		switch {
		case github.IsForbidden(err):
			return approval.Unknown(fmt.Sprintf("the token may not read the reviews of pull request #%d (%v): give the job "+
				"permissions: pull-requests: read", pr.Number, err))
		case err != nil:
			return approval.Unknown(fmt.Sprintf("the reviews of pull request #%d could not be read (%v)", pr.Number, err))
		}
		rs := make([]approval.Review, len(reviews))
		for i, r := range reviews {
			rs[i] = approval.Review{Login: r.Login, State: r.State}
		}
		return approval.FromReviews(fmt.Sprintf("the reviews of pull request #%d", pr.Number), author, rs, member, memberWhy)
	})
}

// teamMembership reads team membership with the members-token, the one
// token that may: the job's never can.
func (x *run) teamMembership() (approval.MemberFunc, string) {
	if x.in.MembersToken == "" {
		return nil, "the job's token cannot read team membership; give the action's members-token input a GitHub App " +
			"or fine-grained token with the organization permission Members: read (see " + ApprovalsURL + ")"
	}
	c, err := github.New(github.Config{APIURL: x.env.APIURL, Repository: x.env.Repository, Token: x.in.MembersToken,
		Sleep: x.Sleep, Now: x.Runner.Now, UserAgent: "upgradegate/" + x.version(), Meter: x.meter})
	if err != nil {
		return nil, fmt.Sprintf("the members-token cannot be used (%v)", err)
	}
	return func(ctx context.Context, org, slug, login string) (bool, error) {
		ctx, cancel := context.WithTimeout(ctx, apiTimeout)
		defer cancel()
		ok, err := c.TeamMember(ctx, org, slug, login)
		switch {
		case err == nil:
			return ok, nil
		case errors.Is(err, github.ErrNoSuchTeam):
			return false, fmt.Errorf("team @%s/%s does not exist, or the members-token may not see it", org, slug)
		case github.IsForbidden(err):
			return false, fmt.Errorf("the members-token may not read the membership of team @%s/%s (%v): it needs the "+
				"organization permission Members: read", org, slug, err)
		}
		return false, fmt.Errorf("the membership of team @%s/%s could not be read (%v)", org, slug, err)
	}, ""
}
