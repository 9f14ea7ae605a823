package action

import (
	"errors"
	"fmt"

	"github.com/upgradegate/upgradegate/pkg/base"
)

// FetchDepthFix is what UG608 asks of a workflow whose checkout lacks the
// base commit.
const FetchDepthFix = "give actions/checkout fetch-depth: 2 (with: {fetch-depth: 2}): the merge commit's first parent is then in the checkout"

// chooseBase finds the commit the run compares with (manifest v1 section 6,
// "The base"), in the workspace's git repository, read with go-git:
//   - pull_request: the first parent of HEAD, when HEAD is the event's merge
//     commit (GITHUB_SHA) and has two parents (actions/checkout's default
//     ref; fetch-depth: 2 brings the parent);
//   - merge_group: the event's merge_group.base_sha.
//
// Other events need no base (UG602, UG603, UG606 and UG607 do not apply).
// A run that needs a base and cannot read it gets the reason and the fix
// (UG608), never a silent pass.
func (x *run) chooseBase() (*base.Base, *base.Unreadable) {
	var sha, source, missing string
	switch {
	case (x.env.EventName == "pull_request" || x.env.EventName == "pull_request_review") && x.event.PullRequest != nil:
		g, err := x.openGit()
		if err != nil {
			return nil, err
		}
		parents, isHead, gerr := g.MergeParents(x.env.SHA)
		switch {
		case gerr != nil:
			return nil, &base.Unreadable{Reason: fmt.Sprintf("HEAD cannot be read: %v", gerr), Fix: FetchDepthFix}
		case !isHead:
			return nil, &base.Unreadable{Reason: fmt.Sprintf("HEAD is not the pull request's merge commit %.7s (GITHUB_SHA), whose first parent is the base", x.env.SHA),
				Fix: "check out the merge commit (actions/checkout's default ref) with fetch-depth: 2"}
		case len(parents) != 2:
			return nil, &base.Unreadable{Reason: fmt.Sprintf("the merge commit %.7s has %d parents, not 2", x.env.SHA, len(parents)),
				Fix: "check out the merge commit (actions/checkout's default ref) with fetch-depth: 2"}
		}
		sha = parents[0]
		source = fmt.Sprintf("the first parent of the merge commit %.7s", x.env.SHA)
		missing = fmt.Sprintf("the checkout is shallow: the merge commit %.7s's first parent %.7s is not in it", x.env.SHA, sha)
		return x.localBase(g, sha, source, missing)
	case x.env.EventName == "merge_group" && x.event.MergeGroup != nil && x.event.MergeGroup.BaseSHA != "":
		g, err := x.openGit()
		if err != nil {
			return nil, err
		}
		sha = x.event.MergeGroup.BaseSHA
		source = "merge_group.base_sha"
		missing = fmt.Sprintf("the checkout is shallow: merge_group.base_sha %.7s is not in it", sha)
		return x.localBase(g, sha, source, missing)
	}
	return nil, nil
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

func (x *run) localBase(g *base.Git, sha, source, missing string) (*base.Base, *base.Unreadable) {
	b, present, err := g.Commit(sha, source)
	switch {
	case err != nil:
		return nil, &base.Unreadable{Reason: fmt.Sprintf("%s cannot be read: %v", source, err), Fix: FetchDepthFix}
	case !present:
		return nil, &base.Unreadable{Reason: missing, Fix: FetchDepthFix}
	}
	return b, nil
}
