package cli

import "testing"

// TestApprovedBy: --approved-by is how the command line learns who
// approved (UG904 applies only with it), and names are checked.
func TestApprovedBy(t *testing.T) {
	t.Parallel()
	now := "--now=2026-11-22T12:00:00Z"
	exc := golden(t, "UG904-trigger-approver-has-not-approved")
	runCases(t, []cliCase{
		{name: "without --approved-by UG904 is not applied", args: []string{"check", now, exc}, code: ExitOK, out: "UG502"},
		{name: "the approver has not approved", args: []string{"check", now, "--approved-by", "@alice", exc}, code: ExitFindings,
			out: "exception for UG502 is approved by @cto, who has not approved the pull request (approvals from --approved-by: @alice)"},
		{name: "the approver approved, repeated flag", args: []string{"check", now, "--approved-by", "@alice", "--approved-by=@cto", exc}, code: ExitOK},
		{name: "comma-separated", args: []string{"check", now, "--approved-by", "@alice,@cto", exc}, code: ExitOK},
		{name: "a bad name", args: []string{"check", now, "--approved-by", "@alice;rm", exc}, code: ExitError,
			err: `--approved-by "@alice;rm": expected @login or @org/team`},
	})
}
