package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"

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

// Comment operations, for CommentError.
const (
	OpListComments  = "list"   // reading the pull request's comments
	OpWhoAmI        = "whoami" // asking who the token is
	OpCreateComment = "create"
	OpEditComment   = "edit"
)

// CommentError is a failed step of UpsertComment: Op says which (one of the
// Op* constants), so that a caller can say what a 403 means. It unwraps to
// the API's error.
type CommentError struct {
	Op     string
	Number int   // the pull request
	ID     int64 // the comment edited (OpEditComment)
	Err    error
}

func (e *CommentError) Error() string { return e.Err.Error() }

// Unwrap returns the API's error.
func (e *CommentError) Unwrap() error { return e.Err }

// CommentOp returns the Op of a *CommentError in err's chain, or "".
func CommentOp(err error) string {
	var ce *CommentError
	if errors.As(err, &ce) {
		return ce.Op
	}
	return ""
}

// UpsertComment keeps one comment of ours on pull request number. Ours is a
// comment whose first line is marker and whose author is the token's own
// identity: the author of what the token writes, which GraphQL's viewer
// names (github-actions[bot] for the job's token, APP[bot] for an app's
// installation token, the user of a personal token). A comment by anyone
// else is never edited or deleted, whatever it quotes. UpsertComment edits
// the oldest of ours in place and deletes the others; with none, it
// creates one when create is true. After creating, it lists again and
// deletes later duplicates that a parallel run created, keeping the oldest
// (and giving it this body). Comments are listed oldest first, so that
// second listing starts at the last page of the first: a comment created
// since is there or after it.
//
// Requests: one per page of comments, plus one edit (after one GraphQL
// viewer query, asked only when a comment starts with the marker), or one
// create (whose answer names the token's identity) and a listing of the last
// page (two, when the new comments open a page); one delete per duplicate.
// When the viewer query fails, a comment that starts with the marker cannot
// be told ours: without create nothing is written (the error says why);
// with it, the comment is created, every page is listed again, and an older
// comment of ours is kept (edited) and the new one deleted.
func (c *Client) UpsertComment(ctx context.Context, number int, marker, body string, create bool) (CommentResult, error) {
	marked, last, err := c.markedComments(ctx, number, marker, 1)
	if err != nil {
		return CommentResult{}, err
	}
	relist := last // where a parallel run's duplicate can be
	if len(marked) > 0 {
		me, err := c.whoAmI(ctx)
		switch {
		case err != nil && !create:
			return CommentResult{}, &CommentError{Op: OpWhoAmI, Number: number, Err: err}
		case err != nil:
			// The create's answer will say who we are; then every page is
			// read again, and an older comment of ours is kept instead.
			relist = 1
		}
		if mine := authoredBy(marked, me); len(mine) > 0 {
			keep := mine[0]
			if err := c.edit(ctx, number, keep.GetID(), body); err != nil {
				return CommentResult{}, err
			}
			return CommentResult{Action: CommentUpdated, ID: keep.GetID(), URL: keep.GetHTMLURL(),
				Deleted: c.deleteAll(ctx, mine[1:])}, nil
		}
	}
	if !create {
		return CommentResult{Action: CommentNone}, nil
	}
	created, _, err := c.gh.Issues.CreateComment(ctx, c.owner, c.repo, number, &gh.IssueComment{Body: &body})
	if err != nil {
		return CommentResult{}, &CommentError{Op: OpCreateComment, Number: number,
			Err: wrap(fmt.Sprintf("create comment on #%d", number), err)}
	}
	res := CommentResult{Action: CommentCreated, ID: created.GetID(), URL: created.GetHTMLURL()}
	me := created.GetUser().GetLogin()
	if me == "" {
		return res, nil // who wrote it is unknown: no duplicate can be told ours
	}
	c.knowLogin(me)

	// A parallel run may have created one too: keep the oldest. Ours and
	// theirs are on the last page read or after it.
	marked, _, err = c.markedComments(ctx, number, marker, relist)
	mine := authoredBy(marked, me)
	if err != nil || len(mine) < 2 {
		return res, nil // ours exists; a failed re-listing leaves it as it is
	}
	keep := mine[0]
	res.Deleted = c.deleteAll(ctx, mine[1:])
	if keep.GetID() != res.ID {
		if err := c.edit(ctx, number, keep.GetID(), body); err != nil {
			return res, err
		}
		res = CommentResult{Action: CommentUpdated, ID: keep.GetID(), URL: keep.GetHTMLURL(), Deleted: res.Deleted}
	}
	return res, nil
}

func (c *Client) edit(ctx context.Context, number int, id int64, body string) error {
	if _, _, err := c.gh.Issues.EditComment(ctx, c.owner, c.repo, id, &gh.IssueComment{Body: &body}); err != nil {
		return &CommentError{Op: OpEditComment, Number: number, ID: id, Err: wrap(fmt.Sprintf("edit comment %d", id), err)}
	}
	return nil
}

// deleteAll deletes comments of ours, best effort: one already gone (a
// parallel run deleted it) is fine. It returns how many it deleted.
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

// markedComments lists the pull request's comments from page from (1: every
// page) to the last and returns those whose first line is marker, oldest
// first, and the number of the last page. It reads at most MaxCommentPages
// pages.
func (c *Client) markedComments(ctx context.Context, number int, marker string, from int) ([]*gh.IssueComment, int, error) {
	var marked []*gh.IssueComment
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
			if startsWithMarker(cm.GetBody(), marker) {
				marked = append(marked, cm)
			}
		}
		return resp.NextPage, nil
	})
	if err != nil {
		return nil, 0, &CommentError{Op: OpListComments, Number: number, Err: wrap("list "+what, err)}
	}
	sort.Slice(marked, func(i, j int) bool { return marked[i].GetID() < marked[j].GetID() })
	return marked, last, nil
}

// startsWithMarker reports whether body's first line is marker (a body the
// gate wrote starts with its marker; a comment that only quotes it further
// down, or after other text, is someone else's).
func startsWithMarker(body, marker string) bool {
	first, _, _ := strings.Cut(body, "\n")
	return marker != "" && strings.TrimSuffix(first, "\r") == marker
}

// authoredBy returns the comments whose author's login is login.
func authoredBy(cs []*gh.IssueComment, login string) []*gh.IssueComment {
	var out []*gh.IssueComment
	for _, cm := range cs {
		if login != "" && strings.EqualFold(cm.GetUser().GetLogin(), login) {
			out = append(out, cm)
		}
	}
	return out
}

// identity is the token's login, asked once per client.
type identity struct {
	mu    sync.Mutex
	login string
}

// knowLogin records the token's login as the API named it (the author of a
// comment the token created).
func (c *Client) knowLogin(login string) {
	c.id.mu.Lock()
	defer c.id.mu.Unlock()
	c.id.login = login
}

// whoAmI returns the login the token writes as: GraphQL's viewer, which
// answers for the job's token (github-actions[bot]), an app's installation
// token (APP[bot]) and a personal token alike, where GET /user answers 403
// to installation tokens. A failure is not remembered: the next call asks
// again.
func (c *Client) whoAmI(ctx context.Context) (string, error) {
	c.id.mu.Lock()
	defer c.id.mu.Unlock()
	if c.id.login != "" {
		return c.id.login, nil
	}
	var data struct {
		Viewer struct {
			Login string `json:"login"`
		} `json:"viewer"`
	}
	if err := c.GraphQL(ctx, "ask who the token is", "query { viewer { login } }", nil, &data); err != nil {
		return "", err
	}
	if data.Viewer.Login == "" {
		return "", wrap("ask who the token is", errors.New("GraphQL's viewer has no login"))
	}
	c.id.login = data.Viewer.Login
	return c.id.login, nil
}
