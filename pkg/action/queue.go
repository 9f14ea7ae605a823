package action

import (
	"context"
	"fmt"
	"regexp"
	"strconv"

	"github.com/upgradegate/upgradegate/pkg/github"
)

// queueRef is the branch a merge queue checks a pull request on:
// gh-readonly-queue/BASE/pr-N-SHA (BASE may hold slashes), as head_ref
// (refs/heads/… in the merge_group event).
var queueRef = regexp.MustCompile(`^(?:refs/heads/)?gh-readonly-queue/.+/pr-([1-9][0-9]{0,9})-[0-9a-f]{7,64}$`)

// queuedPullNumber is the pull request a merge queue's branch names.
func queuedPullNumber(ref string) (int, bool) {
	m := queueRef.FindStringSubmatch(ref)
	if m == nil {
		return 0, false
	}
	n, err := strconv.Atoi(m[1])
	return n, err == nil
}

// notAboutPullRequests are the events that are about no pull request, whose
// runs do not judge approvals.
func notAboutPullRequests(event string) bool {
	return event == "push" || event == "schedule" || event == "workflow_dispatch"
}

// queuedPullRequest is the pull request a merge_group run merges: named by
// the group's head_ref, read from the API for its author (whose own reviews
// never count) and its number of changed files. Without it, why says what is
// missing (the run then checks every manifest, and the approval rules warn).
func (x *run) queuedPullRequest(ctx context.Context) (pr *pullRequest, why string) {
	mg := x.event.MergeGroup
	if mg == nil {
		return nil, "the merge_group event names no merge group"
	}
	n, ok := queuedPullNumber(mg.HeadRef)
	if !ok {
		return nil, fmt.Sprintf("the merge group's head_ref %q is not a merge queue branch gh-readonly-queue/BASE/pr-N-SHA", mg.HeadRef)
	}
	if x.client == nil {
		return nil, fmt.Sprintf("no token to read pull request #%d, which the merge group merges; set the action's token input", n)
	}
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	p, err := x.client.Pull(ctx, n)
	switch {
	case github.IsForbidden(err):
		return nil, fmt.Sprintf("the token may not read pull request #%d, which the merge group merges (%v): give the job "+
			"permissions: pull-requests: read", n, err)
	case err != nil:
		return nil, fmt.Sprintf("pull request #%d, which the merge group merges, could not be read (%v)", n, err)
	case p.Number != n || p.Author == "":
		return nil, fmt.Sprintf("the API's answer for pull request #%d, which the merge group merges, is pull request #%d by %q",
			n, p.Number, p.Author)
	}
	pr = &pullRequest{Number: n, ChangedFiles: p.ChangedFiles}
	pr.User = &struct {
		Login string `json:"login"`
	}{p.Author}
	return pr, ""
}
