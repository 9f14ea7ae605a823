package action

import (
	"context"
	"errors"
	"fmt"

	"github.com/upgradegate/upgradegate/pkg/base"
	"github.com/upgradegate/upgradegate/pkg/github"
)

// FetchDepthFix is what UG608 asks of a workflow whose checkout lacks the
// base commit.
const FetchDepthFix = "give actions/checkout fetch-depth: 2 (with: {fetch-depth: 2}): the merge commit's first parent is then in the checkout"

// ContentsReadFix is what UG608 asks of a workflow whose checkout lacks the
// base commit and whose token may not read it through the API.
const ContentsReadFix = "add permissions: contents: read to the job (the gate then reads the base through the Git Trees and Blobs API with the job's token), " +
	"or give actions/checkout fetch-depth: 2 (with: {fetch-depth: 2}): the merge commit's first parent is then in the checkout"

// NoTokenFix is what UG608 asks of a workflow whose checkout lacks the base
// commit and that gives the action no token.
const NoTokenFix = "give actions/checkout fetch-depth: 2 (with: {fetch-depth: 2}), or leave the action's token input at its default " +
	"(github.token) with permissions: contents: read, so that the gate reads the base through the API"

// Where a base was read from, for the job summary.
const (
	fromCheckout = "read from the checkout"
	fromAPI      = "read through the REST API (Git Trees and Blobs, contents: read), the checkout lacking it"
)

// chooseBase finds the commit the run compares with (manifest v1 section 6,
// "The base"), in this order:
//  1. pull_request (and pull_request_review): the first parent of HEAD, when
//     HEAD is the event's merge commit (GITHUB_SHA) and has two parents
//     (actions/checkout's default ref), read from the checkout with go-git
//     (fetch-depth: 2 brings the parent);
//  2. merge_group: the event's merge_group.base_sha, from the checkout;
//  3. the same commit (the first parent, whose name the merge commit holds
//     even in a shallow checkout, or merge_group.base_sha) through the REST
//     API with the job's token (contents: read): the Git Trees API, then the
//     blobs of the files the gate reads;
//  4. none of them: UG608, saying why and exactly what to change.
//
// Other events need no base (UG602, UG603, UG606 and UG607 do not apply).
// from says where the base was read (fromCheckout or fromAPI).
func (x *run) chooseBase(ctx context.Context) (b *base.Base, from string, no *base.Unreadable) {
	var sha, source, missing string
	switch {
	case (x.env.EventName == "pull_request" || x.env.EventName == "pull_request_review") && x.event.PullRequest != nil:
		g, err := x.openGit()
		if err != nil {
			return nil, "", err
		}
		parents, isHead, gerr := g.MergeParents(x.env.SHA)
		switch {
		case gerr != nil:
			return nil, "", &base.Unreadable{Reason: fmt.Sprintf("HEAD cannot be read: %v", gerr), Fix: FetchDepthFix}
		case !isHead:
			return nil, "", &base.Unreadable{Reason: fmt.Sprintf("HEAD is not the pull request's merge commit %.7s (GITHUB_SHA), whose first parent is the base", x.env.SHA),
				Fix: "check out the merge commit (actions/checkout's default ref) with fetch-depth: 2"}
		case len(parents) != 2:
			return nil, "", &base.Unreadable{Reason: fmt.Sprintf("the merge commit %.7s has %d parents, not 2", x.env.SHA, len(parents)),
				Fix: "check out the merge commit (actions/checkout's default ref) with fetch-depth: 2"}
		}
		sha = parents[0]
		source = fmt.Sprintf("the first parent of the merge commit %.7s", x.env.SHA)
		missing = fmt.Sprintf("the checkout is shallow: the merge commit %.7s's first parent %.7s is not in it", x.env.SHA, sha)
		return x.localOrAPI(ctx, g, sha, source, missing)
	case x.env.EventName == "merge_group" && x.event.MergeGroup != nil && x.event.MergeGroup.BaseSHA != "":
		g, err := x.openGit()
		if err != nil {
			return nil, "", err
		}
		sha = x.event.MergeGroup.BaseSHA
		source = "merge_group.base_sha"
		missing = fmt.Sprintf("the checkout is shallow: merge_group.base_sha %.7s is not in it", sha)
		return x.localOrAPI(ctx, g, sha, source, missing)
	}
	return nil, "", nil
}

func (x *run) openGit() (*base.Git, *base.Unreadable) {
	g, err := base.OpenGit(orDefault(x.env.Workspace, "."))
	if errors.Is(err, base.ErrNoRepository) {
		return nil, &base.Unreadable{Reason: "the workspace is not a git checkout",
			Fix: "check the repository out with actions/checkout and fetch-depth: 2 (with git on the runner's PATH, so that it clones rather than downloads)"}
	}
	if err != nil {
		return nil, &base.Unreadable{Reason: err.Error(), Fix: FetchDepthFix}
	}
	return g, nil
}

// localOrAPI reads commit sha from the checkout, else through the API.
func (x *run) localOrAPI(ctx context.Context, g *base.Git, sha, source, missing string) (*base.Base, string, *base.Unreadable) {
	b, present, err := g.Commit(sha, source)
	switch {
	case err != nil:
		return nil, "", &base.Unreadable{Reason: fmt.Sprintf("%s cannot be read: %v", source, err), Fix: FetchDepthFix}
	case present:
		return b, fromCheckout, nil
	case x.client == nil:
		return nil, "", &base.Unreadable{Reason: missing + ", and without a token the REST API cannot read it", Fix: NoTokenFix}
	}
	b, err = base.OpenAPI(ctx, x.client, sha, source)
	switch {
	case err == nil:
		return b, fromAPI, nil
	case github.IsForbidden(err) || github.IsNotFound(err):
		// a 404 too: GitHub hides what the token may not read
		return nil, "", &base.Unreadable{Reason: fmt.Sprintf("%s, and the REST API refused to read it with the job's token (%v)", missing, err), Fix: ContentsReadFix}
	}
	return nil, "", &base.Unreadable{Reason: fmt.Sprintf("%s, and the REST API could not read it (%v)", missing, err), Fix: FetchDepthFix}
}

// apiFailed is the base of a run whose API base failed while it was read
// (after the listing): what the base was is not known, so the run has none.
func apiFailed(b *base.Base, err error) *base.Unreadable {
	return &base.Unreadable{Reason: fmt.Sprintf("the REST API failed while the gate read the base %.7s (%s): %v", b.Commit, b.Source, err), Fix: FetchDepthFix}
}
