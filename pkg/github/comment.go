package github

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// MaxCommentBody is the longest comment body the API accepts, in characters.
const MaxCommentBody = 65536

// CommentAction says what UpsertComment did.
type CommentAction string

// Comment actions.
const (
	CommentCreated CommentAction = "created"
	CommentUpdated CommentAction = "updated"
	CommentNone    CommentAction = "none" // no comment existed and none was asked for
)

// CommentResult is the outcome of UpsertComment.
type CommentResult struct {
	Action CommentAction
	ID     int64
	URL    string
	// Deleted counts duplicates of ours that were removed.
	Deleted int
}

// UpsertComment keeps one comment of ours on pull request number: the
// comments that contain marker and were written by us (a bot, or the login of
// the token's user when GET /user answers). It edits the oldest in place and
// deletes the others; with none, it creates one when create is true. After
// creating, it lists again and deletes later duplicates that a parallel run
// created, keeping the oldest (and giving it this body). Comments are listed
// oldest first, so that second listing starts at the last page of the first:
// a comment created since is there or after it.
//
// Requests: one per page of comments, plus one edit, or one create and a
// listing of the last page (two, when the new comments open a page); GET
// /user only when a comment with the marker has a human author; one delete
// per duplicate.
func (c *Client) UpsertComment(ctx context.Context, number int, marker, body string, create bool) (CommentResult, error) {
	mine, last, err := c.ourComments(ctx, number, marker, 1)
	if err != nil {
		return CommentResult{}, err
	}
	if len(mine) > 0 {
		keep := mine[0]
		if err := c.edit(ctx, keep.GetID(), body); err != nil {
			return CommentResult{}, err
		}
		return CommentResult{Action: CommentUpdated, ID: keep.GetID(), URL: keep.GetHTMLURL(),
			Deleted: c.deleteAll(ctx, mine[1:])}, nil
	}
	if !create {
		return CommentResult{Action: CommentNone}, nil
	}
	created, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &gh.IssueComment{Body: &body})
	if err != nil {
		return CommentResult{}, wrap(fmt.Sprintf("create comment on #%d", number), err)
	}
	res := CommentResult{Action: CommentCreated, ID: created.GetID(), URL: created.GetHTMLURL()}

	// A parallel run may have created one too: keep the oldest. Ours and
	// theirs are on the last page read or after it.
	mine, _, err = c.ourComments(ctx, number, marker, last)
	if err != nil || len(mine) < 2 {
		return res, nil // ours exists; a failed re-listing leaves it as it is
	}
	keep := mine[0]
	res.Deleted = c.deleteAll(ctx, mine[1:])
	if keep.GetID() != res.ID {
		if err := c.edit(ctx, keep.GetID(), body); err != nil {
			return res, err
		}
		res = CommentResult{Action: CommentUpdated, ID: keep.GetID(), URL: keep.GetHTMLURL(), Deleted: res.Deleted}
	}
	return res, nil
}

func (c *Client) edit(ctx context.Context, id int64, body string) error {
	if _, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, id, &gh.IssueComment{Body: &body}); err != nil {
		return wrap(fmt.Sprintf("edit comment %d", id), err)
	}
	return nil
}

// deleteAll deletes comments, best effort: one already gone (a parallel run
// deleted it) is fine. It returns how many it deleted.
func (c *Client) deleteAll(ctx context.Context, cs []*gh.IssueComment) int {
	n := 0
	for _, cm := range cs {
		_, err := c.gh.Issues.DeleteComment(ctx, c.owner, c.repo, cm.GetID())
		if err == nil || StatusCode(err) == http.StatusNotFound {
			n++
		}
	}
	return n
}

// ourComments lists the pull request's comments from page from (1: every
// page) to the last and returns ours, oldest first, and the number of the
// last page. It reads at most MaxCommentPages pages.
func (c *Client) ourComments(ctx context.Context, number int, marker string, from int) ([]*gh.IssueComment, int, error) {
	var mine []*gh.IssueComment
	last := max(from, 1)
	what := fmt.Sprintf("comments of #%d", number)
	err := pages(MaxCommentPages, what, func(lo gh.ListOptions) (int, error) {
		if lo.Page == 0 && from > 1 {
			lo.Page = from
		}
		opt := &gh.IssueListCommentsOptions{ListOptions: lo}
		page, resp, err := c.gh.Issues.ListComments(ctx, c.owner, c.repo, number, opt)
		if err != nil {
			return 0, err
		}
		last = max(lo.Page, 1)
		for _, cm := range page {
			if strings.Contains(cm.GetBody(), marker) && c.isOurs(ctx, cm.GetUser()) {
				mine = append(mine, cm)
			}
		}
		return resp.NextPage, nil
	})
	if err != nil {
		return nil, 0, wrap("list "+what, err)
	}
	sort.Slice(mine, func(i, j int) bool { return mine[i].GetID() < mine[j].GetID() })
	return mine, last, nil
}

// isOurs reports whether a comment's author is who we post as: a bot
// (github-actions[bot] for the job's token, an app's bot for an app token) or
// the user of a personal token.
func (c *Client) isOurs(ctx context.Context, u *gh.User) bool {
	if u.GetType() == "Bot" || u.GetLogin() == "github-actions[bot]" {
		return true
	}
	me := c.tokenLogin(ctx)
	return me != "" && strings.EqualFold(u.GetLogin(), me)
}

// tokenLogin asks GET /user once who the token belongs to. The job's
// installation token gets 403 there: that is expected and leaves "".
func (c *Client) tokenLogin(ctx context.Context) string {
	c.loginOnce.Do(func() {
		if u, _, err := c.gh.Users.Get(ctx, ""); err == nil {
			c.login = u.GetLogin()
		}
	})
	return c.login
}
