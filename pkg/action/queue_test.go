package action

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

func TestQueuedPullNumber(t *testing.T) {
	t.Parallel()
	const sha = "0123456789abcdef0123456789abcdef01234567"
	for _, tc := range []struct {
		ref  string
		want int
	}{
		{"refs/heads/gh-readonly-queue/main/pr-7-" + sha, 7},
		{"gh-readonly-queue/main/pr-7-" + sha, 7},
		{"refs/heads/gh-readonly-queue/release/1.x/pr-1234-" + sha, 1234}, // a base branch with slashes
		{"refs/heads/main", 0},
		{"refs/heads/gh-readonly-queue/main/pr-0-" + sha, 0},
		{"refs/heads/gh-readonly-queue/main/pr-7", 0},
		{"refs/heads/gh-readonly-queue/main/pr-7-not-a-sha", 0},
		{"refs/heads/gh-readonly-queue/pr-7-" + sha, 0}, // no base branch
		{"refs/heads/gh-readonly-queue/main/pr-12345678901-" + sha, 0},
		{"refs/heads/x/gh-readonly-queue/main/pr-7-" + sha, 0},
	} {
		n, ok := queuedPullNumber(tc.ref)
		if n != tc.want || ok != (tc.want != 0) {
			t.Errorf("queuedPullNumber(%q) = %d, %t; want %d", tc.ref, n, ok, tc.want)
		}
	}
}

// mergeGroupEvent is the merge_group event of pull request #7's queue
// branch, onto base.
func mergeGroupEvent(headRef, base string) map[string]any {
	return map[string]any{"action": "checks_requested", "merge_group": map[string]any{
		"head_sha": headSHA, "head_ref": headRef, "base_sha": base, "base_ref": "refs/heads/main"},
		"repository": map[string]any{"full_name": "o/r"}}
}

const queueBranch = "refs/heads/gh-readonly-queue/main/pr-7-" + headSHA

// onMergeGroup makes h's run a merge_group run whose queue branch is
// headRef, and the fake know pull request #7 by bob.
func onMergeGroup(h *harness, headRef string) {
	h.env["GITHUB_EVENT_NAME"] = "merge_group"
	h.setEvent(mergeGroupEvent(headRef, h.baseSHA))
	h.gh.Pulls = []map[string]any{{"number": 7, "changed_files": len(h.gh.Files), "user": map[string]any{"login": "bob"},
		"head": map[string]any{"sha": headSHA, "ref": "upgrade-app", "repo": map[string]any{"full_name": "o/r"}}}}
}

// TestMergeGroup: a merge_group run judges the pull request its queue
// branch names as the pull request's own run does: its changed files and
// its reviews (an exception's approver, UG904; the author's own approval
// never counts), at the merge queue's commit, and writes no comment.
func TestMergeGroup(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		approver string
		reviews  func(gh *fakegithub.Server)
		code     int
		want     string
	}{
		{"approved", "@cto", func(gh *fakegithub.Server) { gh.AddReview(7, "cto", "APPROVED", headSHA) }, ExitOK, ""},
		{"not approved", "@cto", func(gh *fakegithub.Server) { gh.AddReview(7, "alice", "APPROVED", headSHA) }, ExitFindings,
			ug904At + "exception for UG502 is approved by @cto, who has not approved the pull request (approvals from the reviews of pull request #7: @alice)"},
		{"the author's own approval", "@bob", func(gh *fakegithub.Server) { gh.AddReview(7, "bob", "APPROVED", headSHA) }, ExitFindings,
			ug904At + "exception for UG502 names @bob as its approver, the pull request's author"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", withException(tc.approver))
			onMergeGroup(h, queueBranch)
			tc.reviews(h.gh)
			res := h.run()
			if res.code != tc.code {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s", res.code, tc.code, res.stdout)
			}
			if tc.want != "" && !strings.Contains(res.stdout, tc.want) {
				t.Errorf("stdout lacks %q:\n%s", tc.want, res.stdout)
			}
			if tc.want == "" && strings.Contains(res.stdout, "UG904") {
				t.Errorf("UG904 reported for an approved exception:\n%s", res.stdout)
			}
			for route, want := range map[string]int{fakegithub.GetPull: 1, fakegithub.PullFiles: 1, fakegithub.ListReviews: 1,
				fakegithub.ListComments: 0, fakegithub.CreateComment: 0} {
				if n := fakegithub.Count(res.reqs, route); n != want {
					t.Errorf("%d %s requests, want %d", n, route, want)
				}
			}
			if !strings.Contains(res.summary, "Merge group of pull request #7") || strings.Contains(res.stdout, "::warning::") {
				t.Errorf("summary does not name pull request #7, or the run warned:\n%s\n%s", res.summary, res.stdout)
			}
		})
	}
	t.Run("changed-only follows the pull request's files", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.write("upgrades/app.yaml", manifestYAML(failing))
		h.gh.Files = []string{"README.md"} // the pull request does not touch the failing manifest or what it names
		onMergeGroup(h, queueBranch)
		res := h.run()
		if res.code != ExitOK || strings.Contains(res.stdout, ug201) {
			t.Errorf("exit code %d, want 0 without UG201 (a manifest the pull request does not concern):\n%s", res.code, res.stdout)
		}
	})
}

// TestMergeGroupWithoutItsPullRequest: where the pull request a merge group
// merges cannot be told or read, the run says why, checks every manifest,
// and the approval rules are warnings that say why: never a pass, never a
// failure under fail-on: error.
func TestMergeGroupWithoutItsPullRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		headRef string
		setup   func(h *harness)
		want    string
		reqs    int
	}{
		{"not a queue branch", "refs/heads/main", nil, `the merge group's head_ref "refs/heads/main" is not a merge queue branch`, 0},
		{"no token", queueBranch, func(h *harness) { h.env["INPUT_TOKEN"] = "" }, "no token to read pull request #7", 0},
		{"pull request forbidden", queueBranch, func(h *harness) { h.gh.Status[fakegithub.GetPull] = 403 },
			"the token may not read pull request #7, which the merge group merges", 1},
		{"pull request missing", queueBranch, func(h *harness) { h.gh.Pulls = nil },
			"pull request #7, which the merge group merges, could not be read", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", withException("@cto"))
			onMergeGroup(h, tc.headRef)
			if tc.setup != nil {
				tc.setup(h)
			}
			res := h.run()
			if res.code != ExitOK {
				t.Fatalf("exit code %d, want 0\nstdout:\n%s", res.code, res.stdout)
			}
			for _, want := range []string{"::warning::Merge group: its pull request is not known (" + tc.want,
				"title=UG904::cannot tell whether @cto approved the pull request for the exception for UG502: the merge group's pull request is not known (" + tc.want} {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, res.stdout)
				}
			}
			if len(res.reqs) != tc.reqs || fakegithub.Count(res.reqs, fakegithub.ListReviews) != 0 {
				t.Errorf("requests %v, want %d and no review listing", res.reqs, tc.reqs)
			}
		})
	}
}

// TestPushDoesNotJudgeApprovals: a push (and schedule, workflow_dispatch)
// is about no pull request: the approval rules are not judged, and the run
// says so once, naming the event, where they would have applied; where they
// would not, it says nothing. No API request either way.
func TestPushDoesNotJudgeApprovals(t *testing.T) {
	t.Parallel()
	for _, event := range []string{"push", "schedule", "workflow_dispatch"} {
		t.Run(event, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.env["GITHUB_EVENT_NAME"] = event
			h.setEvent(map[string]any{"ref": "refs/heads/main", "after": headSHA})
			h.write("policies/app.yaml", withApprovals)
			h.write("upgrades/app.yaml", withException("@cto"))
			res := h.run()
			if res.code != ExitOK || strings.Contains(res.stdout, "title=UG518") || strings.Contains(res.stdout, "title=UG904") {
				t.Fatalf("exit code %d, want 0 without UG518 or UG904:\n%s", res.code, res.stdout)
			}
			notice := "::notice::UG518 and UG904 (approvals) are judged from a pull request's reviews, on pull_request, " +
				"pull_request_review and merge_group runs; this " + event + " run has no pull request and does not judge them"
			if strings.Count(res.stdout, notice) != 1 || !strings.Contains(res.summary, "run has no pull request and does not judge them") {
				t.Errorf("want the notice %q once, in the log and the summary:\n%s\n%s", notice, res.stdout, res.summary)
			}
			if strings.Contains(res.stdout, "::warning") || len(res.reqs) != 0 {
				t.Errorf("a warning, or API requests %v:\n%s", res.reqs, res.stdout)
			}
		})
	}
	t.Run("no approval rule applies", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.env["GITHUB_EVENT_NAME"] = "push"
		h.setEvent(map[string]any{"ref": "refs/heads/main", "after": headSHA})
		res := h.run()
		if res.code != ExitOK || strings.Contains(res.stdout, "UG518 and UG904") {
			t.Errorf("exit code %d; want 0 and no notice about approvals:\n%s", res.code, res.stdout)
		}
	})
}
