package github

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// MaxIssuePages bounds the issues (and pull requests, which the listing
// includes) read to find the tracking issue: 10,000.
const MaxIssuePages = 100

// IssueAction says what KeepIssue did.
type IssueAction string

// Issue actions.
const (
	IssueCreated  IssueAction = "created"
	IssueUpdated  IssueAction = "updated"  // edited in place, left open
	IssueReopened IssueAction = "reopened" // edited and reopened: something is due again
	IssueClosed   IssueAction = "closed"   // edited and closed: everything is clear
	IssueNone     IssueAction = "none"     // nothing to change, or nothing due and no issue
)

// IssueResult is the outcome of KeepIssue.
type IssueResult struct {
	Action IssueAction
	Number int
	URL    string
	// Closed counts duplicates of ours (a parallel run's) that were closed
	// and unmarked.
	Closed int
}

// Issue operations, for IssueError.
const (
	OpListIssues  = "list-issues"
	OpCreateIssue = "create-issue"
	OpEditIssue   = "edit-issue"
)

// IssueError is a failed step of KeepIssue: Op says which (OpListIssues,
// OpCreateIssue, OpEditIssue or OpWhoAmI), so that a caller can say what a
// 403 means. It unwraps to the API's error.
type IssueError struct {
	Op     string
	Number int // the issue edited (OpEditIssue)
	Err    error
}

func (e *IssueError) Error() string { return e.Err.Error() }

// Unwrap returns the API's error.
func (e *IssueError) Unwrap() error { return e.Err }

// IssueOp returns the Op of an *IssueError in err's chain, or "".
func IssueOp(err error) string {
	var ie *IssueError
	if errors.As(err, &ie) {
		return ie.Op
	}
	return ""
}

// KeepIssue keeps one issue of ours titled title up to date: ours is an
// issue (not a pull request) whose body's first line is marker and whose
// author is the token's own identity (as for UpsertComment); an issue by
// anyone else is never touched. With due, the oldest of ours gets title and
// body and is reopened when closed, or one is created; without, the oldest
// of ours, when open, gets body and is closed as completed (none is
// created). A body and state already as asked are not edited again.
//
// After creating, it lists again (from the page the first listing ended at)
// for an issue a parallel run created meanwhile: the oldest of ours is kept
// and given the body, and the others are closed as not planned, their body
// replaced by a pointer to the one kept (so no later run takes them for
// ours). Issues cannot be deleted through the REST API: serialise the audit
// runs (a workflow concurrency group) so that none is ever created twice.
//
// Requests: one per page of issues (state=all, oldest first), the GraphQL
// viewer query when an issue starts with the marker, then at most one
// create or edit; after a create, the listing of the last page and one edit
// per duplicate. Listing issues takes issues: read, writing them issues:
// write.
func (c *Client) KeepIssue(ctx context.Context, marker, title, body string, due bool) (IssueResult, error) {
	marked, last, err := c.markedIssues(ctx, marker, 1)
	if err != nil {
		return IssueResult{}, err
	}
	relist := last
	if len(marked) > 0 {
		me, err := c.whoAmI(ctx)
		switch {
		case err != nil && !due:
			return IssueResult{}, &IssueError{Op: OpWhoAmI, Err: err}
		case err != nil:
			relist = 1 // the create's answer will say who we are
		}
		if mine := issuesBy(marked, me); len(mine) > 0 {
			keep := mine[0]
			res, err := c.settle(ctx, keep, title, body, due)
			if err != nil {
				return res, err
			}
			res.Closed = c.closeDuplicates(ctx, mine[1:], keep.GetNumber())
			return res, nil
		}
	}
	if !due {
		return IssueResult{Action: IssueNone}, nil
	}
	created, _, err := c.gh.Issues.Create(ctx, c.owner, c.repo, &gh.IssueRequest{Title: &title, Body: &body})
	if err != nil {
		return IssueResult{}, &IssueError{Op: OpCreateIssue, Err: wrap("create issue "+fmt.Sprintf("%q", title), err)}
	}
	res := IssueResult{Action: IssueCreated, Number: created.GetNumber(), URL: created.GetHTMLURL()}
	me := created.GetUser().GetLogin()
	if me == "" {
		return res, nil
	}
	c.knowLogin(me)

	// A parallel run may have created one too: keep the oldest.
	marked, _, err = c.markedIssues(ctx, marker, relist)
	mine := issuesBy(marked, me)
	if err != nil || len(mine) == 0 || (len(mine) == 1 && mine[0].GetNumber() == res.Number) {
		return res, nil // ours exists; a failed re-listing leaves it as it is
	}
	keep, dups := mine[0], mine[1:]
	if keep.GetNumber() != res.Number && !hasIssue(dups, res.Number) {
		dups = append(dups, created) // a parallel run closed it already: closing again changes nothing
	}
	res.Closed = c.closeDuplicates(ctx, dups, keep.GetNumber())
	if keep.GetNumber() != res.Number {
		kept, err := c.settle(ctx, keep, title, body, true)
		if err != nil {
			return res, err
		}
		kept.Closed = res.Closed
		if kept.Action == IssueNone {
			kept.Action = IssueUpdated
		}
		res = kept
	}
	return res, nil
}

// settle gives issue is the title and body and the state asked for: open
// when due, else closed (an issue already closed stays as it is).
func (c *Client) settle(ctx context.Context, is *gh.Issue, title, body string, due bool) (IssueResult, error) {
	res := IssueResult{Action: IssueNone, Number: is.GetNumber(), URL: is.GetHTMLURL()}
	open := is.GetState() == "open"
	req := &gh.IssueRequest{}
	switch {
	case due && !open:
		req.Title, req.Body, req.State = &title, &body, gh.String("open")
		res.Action = IssueReopened
	case due && (is.GetBody() != body || is.GetTitle() != title):
		req.Title, req.Body = &title, &body
		res.Action = IssueUpdated
	case !due && open:
		req.Body, req.State, req.StateReason = &body, gh.String("closed"), gh.String("completed")
		res.Action = IssueClosed
	default:
		return res, nil
	}
	if _, _, err := c.gh.Issues.Edit(ctx, c.owner, c.repo, is.GetNumber(), req); err != nil {
		return IssueResult{}, &IssueError{Op: OpEditIssue, Number: is.GetNumber(),
			Err: wrap(fmt.Sprintf("edit issue #%d", is.GetNumber()), err)}
	}
	return res, nil
}

// closeDuplicates closes issues of ours other than the one kept, best
// effort, replacing their body (and so the marker) by a pointer to it. It
// returns how many it closed.
func (c *Client) closeDuplicates(ctx context.Context, dups []*gh.Issue, keep int) int {
	n := 0
	body := fmt.Sprintf("Duplicate of #%d, which upgradegate keeps up to date.", keep)
	for _, is := range dups {
		req := &gh.IssueRequest{Body: &body, State: gh.String("closed"), StateReason: gh.String("not_planned")}
		if _, _, err := c.gh.Issues.Edit(ctx, c.owner, c.repo, is.GetNumber(), req); err == nil {
			n++
		}
	}
	return n
}

// markedIssues lists the repository's issues, every state, oldest first,
// from page from (1: every page) to the last, and returns those (pull
// requests left out) whose body's first line is marker, oldest first, and
// the number of the last page. It reads at most MaxIssuePages pages.
func (c *Client) markedIssues(ctx context.Context, marker string, from int) ([]*gh.Issue, int, error) {
	var marked []*gh.Issue
	last := max(from, 1)
	err := pages(MaxIssuePages, "issues", func(lo gh.ListOptions) (int, error) {
		if lo.Page == 0 && from > 1 {
			lo.Page = from
		}
		opt := &gh.IssueListByRepoOptions{State: "all", Sort: "created", Direction: "asc", ListOptions: lo}
		page, resp, err := c.gh.Issues.ListByRepo(ctx, c.owner, c.repo, opt)
		if err != nil {
			return 0, err
		}
		last = max(lo.Page, 1)
		for _, is := range page {
			if !is.IsPullRequest() && startsWithMarker(is.GetBody(), marker) {
				marked = append(marked, is)
			}
		}
		return resp.NextPage, nil
	})
	if err != nil {
		return nil, 0, &IssueError{Op: OpListIssues, Err: wrap("list the issues", err)}
	}
	sort.Slice(marked, func(i, j int) bool { return marked[i].GetNumber() < marked[j].GetNumber() })
	return marked, last, nil
}

// issuesBy returns the issues whose author's login is login.
func issuesBy(is []*gh.Issue, login string) []*gh.Issue {
	var out []*gh.Issue
	for _, i := range is {
		if login != "" && strings.EqualFold(i.GetUser().GetLogin(), login) {
			out = append(out, i)
		}
	}
	return out
}

func hasIssue(is []*gh.Issue, number int) bool {
	for _, i := range is {
		if i.GetNumber() == number {
			return true
		}
	}
	return false
}
