package action

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

// withException is the clean manifest with an untested rollback (UG502, a
// warning) that an exception approved by approver covers: UG904 then asks
// whether approver approved the pull request.
func withException(approver string) string {
	m := strings.Replace(manifestYAML(clean), "    tested: true\n", "    tested: false\n", 1)
	return m + `  exceptions:
    - rule: UG502
      reason: rollback rehearsal scheduled after the window
      approvedBy: "` + approver + `"
      expires: 2099-12-31
`
}

// prByBob is pull request #7 opened by bob.
func prByBob() map[string]any {
	ev := prEvent(7, "o/r")
	ev["pull_request"].(map[string]any)["user"] = map[string]any{"login": "bob", "type": "User"}
	return ev
}

// ug904At is the start of UG904's annotation on the approvedBy line.
const ug904At = "::error file=upgrades/app.yaml,line=34,col=19,title=UG904::"

// TestBinaryApprovals: the binary, as the runner starts it, reads the pull
// request's reviews for an exception's approver (UG904): the latest
// decision per person counts, a dismissed review never, the author's own
// never.
func TestBinaryApprovals(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		approver string
		reviews  func(gh *fakegithub.Server)
		code     int
		want     string // in stdout
	}{
		{"approved", "@cto", func(gh *fakegithub.Server) {
			gh.AddReview(7, "cto", "CHANGES_REQUESTED", "c1")
			gh.AddReview(7, "cto", "APPROVED", "c2")
			gh.AddReview(7, "cto", "COMMENTED", "c3") // a later comment does not undo it
		}, ExitOK, ""},
		{"changes requested after approval", "@cto", func(gh *fakegithub.Server) {
			gh.AddReview(7, "cto", "APPROVED", "c1")
			gh.AddReview(7, "cto", "CHANGES_REQUESTED", "c2")
		}, ExitFindings, ug904At + "exception for UG502 is approved by @cto, who has not approved the pull request (approvals from the reviews of pull request #7: none)"},
		{"author's own approval", "@bob", func(gh *fakegithub.Server) {
			gh.AddReview(7, "bob", "APPROVED", "c1")
			gh.AddReview(7, "alice", "APPROVED", "c1")
		}, ExitFindings, ug904At + "exception for UG502 names @bob as its approver, the pull request's author: an author cannot approve their own exception"},
		{"dismissed", "@cto", func(gh *fakegithub.Server) {
			r := gh.AddReview(7, "cto", "APPROVED", "c1")
			gh.DismissReview(7, r.ID)
			gh.AddReview(7, "alice", "APPROVED", "c1")
		}, ExitFindings, ug904At + "exception for UG502 is approved by @cto, who has not approved the pull request (approvals from the reviews of pull request #7: @alice)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.setEvent(prByBob())
			h.write("upgrades/app.yaml", realClock(withException(tc.approver)))
			tc.reviews(h.gh)
			res := h.runBinary()
			if res.code != tc.code {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", res.code, tc.code, res.stdout, res.stderr)
			}
			if tc.want != "" && !strings.Contains(res.stdout, tc.want) {
				t.Errorf("stdout lacks %q:\n%s", tc.want, res.stdout)
			}
			if tc.want == "" && strings.Contains(res.stdout, "UG904") {
				t.Errorf("UG904 reported for an approved exception:\n%s", res.stdout)
			}
			if n := fakegithub.Count(res.reqs, fakegithub.ListReviews); n != 1 {
				t.Errorf("%d review listings, want 1", n)
			}
		})
	}
}

// TestApprovalsUnreadable: where the reviews cannot be read UG904 is a
// warning that says why, never a pass and never a failure under fail-on:
// error; a team's approval without a members-token says what is missing;
// no approval rule, no request.
func TestApprovalsUnreadable(t *testing.T) {
	t.Parallel()
	t.Run("reviews forbidden", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.setEvent(prByBob())
		h.gh.Status[fakegithub.ListReviews] = 403
		h.write("upgrades/app.yaml", withException("@cto"))
		res := h.run()
		want := "::warning file=upgrades/app.yaml,line=34,col=19,title=UG904::cannot tell whether @cto approved the pull request for the exception for UG502: the token may not read the reviews of pull request #7"
		if res.code != ExitOK || !strings.Contains(res.stdout, want) || !strings.Contains(res.stdout, "pull-requests: read") {
			t.Errorf("exit %d; stdout lacks %q and the permission:\n%s", res.code, want, res.stdout)
		}
	})
	t.Run("team without members-token", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.setEvent(prByBob())
		h.gh.AddReview(7, "dave", "APPROVED", "c1")
		h.gh.Teams["example-org/dba"] = []string{"dave"}
		h.write("upgrades/app.yaml", withException("@example-org/dba"))
		res := h.run()
		if res.code != ExitOK || !strings.Contains(res.stdout, "title=UG904::cannot tell whether @example-org/dba approved") ||
			!strings.Contains(res.stdout, "members-token") {
			t.Errorf("exit %d, want 0 and a warning naming members-token:\n%s", res.code, res.stdout)
		}
		if n := fakegithub.Count(res.reqs, fakegithub.TeamMember); n != 0 {
			t.Errorf("%d membership requests with the job token, want 0", n)
		}
	})
	t.Run("team with members-token", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.setEvent(prByBob())
		h.env["INPUT_MEMBERS-TOKEN"] = canary // the fake accepts one token; it is redacted like the others
		h.gh.AddReview(7, "dave", "APPROVED", "c1")
		h.gh.Teams["example-org/dba"] = []string{"dave"}
		h.write("upgrades/app.yaml", withException("@example-org/dba"))
		res := h.run()
		if res.code != ExitOK || strings.Contains(res.stdout, "UG904") {
			t.Errorf("exit %d, want 0 without UG904:\n%s", res.code, res.stdout)
		}
		if n := fakegithub.Count(res.reqs, fakegithub.TeamMember); n != 1 {
			t.Errorf("%d membership requests, want 1", n)
		}
	})
	t.Run("team that does not exist", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		h.setEvent(prByBob())
		h.env["INPUT_MEMBERS-TOKEN"] = canary
		h.gh.AddReview(7, "dave", "APPROVED", "c1")
		h.write("upgrades/app.yaml", withException("@example-org/nope"))
		res := h.run()
		if res.code != ExitOK || !strings.Contains(res.stdout, "team @example-org/nope does not exist, or the members-token may not see it") {
			t.Errorf("exit %d, want 0 and a warning that the team does not exist:\n%s", res.code, res.stdout)
		}
	})
	t.Run("no approval rule, no request", func(t *testing.T) {
		t.Parallel()
		h := newHarness(t)
		res := h.run()
		if n := fakegithub.Count(res.reqs, fakegithub.ListReviews); n != 0 || res.code != ExitOK {
			t.Errorf("exit %d, %d review listings; want 0 and none", res.code, n)
		}
	})
}

// withApprovals is the policy requiring one approval of every upgrade from
// @cto or @example-org/dba.
const withApprovals = policyYAML + `  approvals:
    - {when: always, from: ["@cto", "@example-org/dba"], count: 1}
`

// TestRequiredApprovals: UG518 against the pull request's reviews: an
// approval turns it off, a later change request, a dismissal or the
// author's own approval do not; a team counts through its members.
func TestRequiredApprovals(t *testing.T) {
	t.Parallel()
	const ug518 = "title=UG518::every upgrade (policies/app.yaml:11) needs 1 approval from @cto, @example-org/dba"
	for _, tc := range []struct {
		name    string
		members bool
		reviews func(gh *fakegithub.Server)
		code    int
		want    string
	}{
		{"approved", false, func(gh *fakegithub.Server) { gh.AddReview(7, "cto", "APPROVED", "c1") }, ExitOK, ""},
		{"changes requested after approval", false, func(gh *fakegithub.Server) {
			gh.AddReview(7, "cto", "APPROVED", "c1")
			gh.AddReview(7, "cto", "CHANGES_REQUESTED", "c2")
		}, ExitFindings, "::error file=upgrades/app.yaml,line=4,col=9," + ug518 + ", has 0"},
		{"the author's own approval", false, func(gh *fakegithub.Server) { gh.AddReview(7, "bob", "APPROVED", "c1") },
			ExitFindings, ug518 + ", has 0"},
		{"dismissed", false, func(gh *fakegithub.Server) {
			r := gh.AddReview(7, "cto", "APPROVED", "c1")
			gh.DismissReview(7, r.ID)
		}, ExitFindings, ug518 + ", has 0"},
		{"a team member approved, membership readable", true, func(gh *fakegithub.Server) { gh.AddReview(7, "dave", "APPROVED", "c1") },
			ExitOK, ""},
		{"a team member approved, membership not readable", false, func(gh *fakegithub.Server) { gh.AddReview(7, "dave", "APPROVED", "c1") },
			ExitOK, "::warning file=upgrades/app.yaml,line=4,col=9," + ug518 + ", has 0 (none), and the others cannot be told: cannot tell who is in team @example-org/dba: the job's token cannot read team membership"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.setEvent(prByBob())
			h.write("policies/app.yaml", withApprovals)
			h.gh.Teams["example-org/dba"] = []string{"dave"}
			if tc.members {
				h.env["INPUT_MEMBERS-TOKEN"] = canary
			}
			tc.reviews(h.gh)
			res := h.run()
			if res.code != tc.code {
				t.Fatalf("exit code %d, want %d\nstdout:\n%s", res.code, tc.code, res.stdout)
			}
			if tc.want != "" && !strings.Contains(res.stdout, tc.want) {
				t.Errorf("stdout lacks %q:\n%s", tc.want, res.stdout)
			}
			if tc.want == "" && strings.Contains(res.stdout, "UG518") {
				t.Errorf("UG518 reported:\n%s", res.stdout)
			}
		})
	}
}

// TestApprovalOnPullRequestReview: the example workflow re-runs the gate on
// pull_request_review; that run reads the reviews and an approval turns the
// check green, and the sticky comment is the same.
func TestApprovalOnPullRequestReview(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.setEvent(prByBob())
	h.write("policies/app.yaml", withApprovals)
	res := h.run()
	if res.code != ExitFindings || len(withMarker(h.gh, marker())) != 1 {
		t.Fatalf("before the approval: exit %d, want 1 and a comment\n%s", res.code, res.stdout)
	}
	h.gh.AddReview(7, "cto", "APPROVED", headSHA)
	ev := prByBob()
	ev["action"] = "submitted"
	ev["review"] = map[string]any{"state": "approved", "user": map[string]any{"login": "cto"}}
	delete(ev["pull_request"].(map[string]any), "changed_files") // the review event's pull request has no counts
	h.setEvent(ev)
	h.env["GITHUB_EVENT_NAME"] = "pull_request_review"
	res = h.run()
	if res.code != ExitOK || strings.Contains(res.stdout, "UG518") {
		t.Errorf("after the approval: exit %d, want 0 without UG518\n%s", res.code, res.stdout)
	}
	if got := withMarker(h.gh, marker()); len(got) != 1 || !strings.Contains(got[0].Body, "all checks pass") {
		t.Errorf("comments %+v, want the one comment passing", got)
	}
}
