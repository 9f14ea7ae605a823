package github

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

// The tracking issue's upkeep against the fake: which issues are ours, what
// is created, edited, closed and reopened, and in how many requests.

const (
	issueMarker = "<!-- upgradegate:audit -->"
	issueTitle  = "Upgrades waiting for their outcome or review"
)

func keep(t *testing.T, gh *fakegithub.Server, c *Client, text string, due bool) (IssueResult, []fakegithub.Request) {
	t.Helper()
	before := len(gh.Requests())
	res, err := c.KeepIssue(context.Background(), issueMarker, issueTitle, issueMarker+"\n"+text, due)
	if err != nil {
		t.Fatalf("KeepIssue: %v", err)
	}
	reqs := gh.Requests()[before:]
	for _, r := range reqs {
		if r.Route == fakegithub.Unknown {
			t.Errorf("unexpected request %s", r)
		}
	}
	return res, reqs
}

// markedIssues returns the issues that carry the marker.
func markedIssues(gh *fakegithub.Server) []fakegithub.Issue {
	var out []fakegithub.Issue
	for _, is := range gh.Issues() {
		if strings.HasPrefix(is.Body, issueMarker) {
			out = append(out, is)
		}
	}
	return out
}

func TestKeepIssueLifecycle(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	c := newClient(t, gh)

	// nothing due, no issue: nothing written
	res, reqs := keep(t, gh, c, "all clear", false)
	if res.Action != IssueNone || len(gh.Issues()) != 0 || len(reqs) != 1 {
		t.Fatalf("nothing due: %+v after %v, want no issue after one listing", res, strs(reqs))
	}
	// due: created
	res, reqs = keep(t, gh, c, "a is due", true)
	is := markedIssues(gh)
	if res.Action != IssueCreated || len(is) != 1 || is[0].Title != issueTitle || is[0].State != "open" || res.Number != is[0].Number {
		t.Fatalf("due: %+v, issues %+v; want one open issue created", res, is)
	}
	if got := strs(reqs); len(got) != 3 || !strings.Contains(got[0], "state=all") || !strings.Contains(got[0], "direction=asc") {
		t.Errorf("create took %v, want list (every state, oldest first), create, list", got)
	}
	// due again, same body: nothing edited
	res, reqs = keep(t, gh, c, "a is due", true)
	if res.Action != IssueNone || fakegithub.Count(reqs, fakegithub.EditIssue) != 0 {
		t.Errorf("unchanged: %+v after %v, want no edit", res, strs(reqs))
	}
	// due, another body: edited in place
	res, reqs = keep(t, gh, c, "a and b are due", true)
	is = markedIssues(gh)
	if res.Action != IssueUpdated || len(is) != 1 || !strings.Contains(is[0].Body, "a and b") || fakegithub.Count(reqs, fakegithub.CreateIssue) != 0 {
		t.Errorf("changed: %+v, issues %+v", res, is)
	}
	// all clear: closed as completed
	res, _ = keep(t, gh, c, "all clear", false)
	is = markedIssues(gh)
	if res.Action != IssueClosed || len(is) != 1 || is[0].State != "closed" || is[0].StateReason != "completed" || !strings.Contains(is[0].Body, "all clear") {
		t.Errorf("clear: %+v, issues %+v; want the issue closed as completed", res, is)
	}
	// still clear: a closed issue is left alone
	res, reqs = keep(t, gh, c, "all clear", false)
	if res.Action != IssueNone || fakegithub.Count(reqs, fakegithub.EditIssue) != 0 {
		t.Errorf("still clear: %+v after %v", res, strs(reqs))
	}
	// due again: reopened, not a new one
	res, _ = keep(t, gh, c, "c is due", true)
	is = markedIssues(gh)
	if res.Action != IssueReopened || len(is) != 1 || is[0].State != "open" || !strings.Contains(is[0].Body, "c is due") || len(gh.Issues()) != 1 {
		t.Errorf("due again: %+v, issues %+v; want the one issue reopened", res, gh.Issues())
	}
}

func TestKeepIssueFindsOursAcrossPagesAndLeavesOthersAlone(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	// someone quotes the marker; a pull request carries it; ours is on page 3
	gh.AddIssue("mallory", issueTitle, issueMarker+"\nfake", "open")
	pull := gh.AddIssue(fakegithub.JobLogin, "a PR", issueMarker+"\nnot an issue", "open")
	for i := 0; i < 230; i++ {
		gh.AddIssue("someone", "bug", "text", "open")
	}
	ours := gh.AddIssue(fakegithub.JobLogin, issueTitle, issueMarker+"\nold", "open")
	gh.SetPullRequest(pull.Number)
	c := newClient(t, gh)
	res, reqs := keep(t, gh, c, "new", true)
	if res.Action != IssueUpdated || res.Number != ours.Number {
		t.Fatalf("%+v, want issue #%d updated", res, ours.Number)
	}
	if n := fakegithub.Count(reqs, fakegithub.ListIssues); n != 3 {
		t.Errorf("%d pages listed, want 3", n)
	}
	for _, is := range gh.Issues() {
		switch is.Number {
		case ours.Number:
			if !strings.HasSuffix(is.Body, "\nnew") {
				t.Errorf("ours: %q", is.Body)
			}
		default:
			if strings.HasSuffix(is.Body, "\nnew") || is.State != "open" {
				t.Errorf("issue #%d by %s was touched: %+v", is.Number, is.Login, is)
			}
		}
	}
}

func TestKeepIssueConcurrentRunsLeaveOneOpen(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.HoldIssueCreatesUntilListed(2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := newClient(t, gh)
			_, errs[i] = c.KeepIssue(context.Background(), issueMarker, issueTitle, issueMarker+"\ndue", true)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fakegithub.Count(gh.Requests(), fakegithub.CreateIssue); n != 2 {
		t.Fatalf("%d issues created, want 2 (the race this test sets up)", n)
	}
	is := markedIssues(gh)
	if len(is) != 1 || is[0].State != "open" {
		t.Fatalf("marked issues %+v, want one open", is)
	}
	for _, other := range gh.Issues() {
		if other.Number != is[0].Number && (other.State != "closed" || other.StateReason != "not_planned" || !strings.Contains(other.Body, "Duplicate of #")) {
			t.Errorf("the duplicate %+v is not closed as not planned pointing at #%d", other, is[0].Number)
		}
	}
	if is[0].Number > gh.Issues()[1].Number {
		t.Errorf("kept #%d, want the oldest", is[0].Number)
	}
}

func TestKeepIssueAppToken(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Viewer = "upgrade-bot[bot]"
	gh.AddIssue(fakegithub.JobLogin, issueTitle, issueMarker+"\nthe job token's", "open")
	c := newClient(t, gh)
	res, _ := keep(t, gh, c, "due", true)
	if res.Action != IssueCreated {
		t.Fatalf("%+v, want a new issue: the job token's is not this token's", res)
	}
	res, _ = keep(t, gh, c, "clear", false)
	if res.Action != IssueClosed {
		t.Errorf("%+v, want ours closed", res)
	}
	for _, is := range gh.Issues() {
		if is.Login == fakegithub.JobLogin && (is.State != "open" || !strings.HasSuffix(is.Body, "the job token's")) {
			t.Errorf("another identity's issue was touched: %+v", is)
		}
	}
}

func TestKeepIssueUnknownIdentity(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	old := gh.AddIssue(fakegithub.JobLogin, issueTitle, issueMarker+"\nold", "open")
	gh.Status[fakegithub.GraphQL] = 403
	c := newClient(t, gh)
	// closing needs to know which is ours: an error, nothing written
	if _, err := c.KeepIssue(context.Background(), issueMarker, issueTitle, issueMarker+"\nclear", false); err == nil {
		t.Fatal("closing without knowing who the token is did not fail")
	}
	if is := gh.Issues(); len(is) != 1 || is[0].State != "open" {
		t.Fatalf("issues %+v, want the old one untouched", is)
	}
	// due: created, its author learnt, the older one kept and the new one closed
	res, _ := keep(t, gh, c, "due", true)
	if res.Number != old.Number || res.Action != IssueUpdated {
		t.Errorf("%+v, want #%d kept", res, old.Number)
	}
	if is := markedIssues(gh); len(is) != 1 || is[0].Number != old.Number || !strings.HasSuffix(is[0].Body, "\ndue") {
		t.Errorf("marked issues %+v, want only #%d with the new body", is, old.Number)
	}
}

func TestKeepIssueForbidden(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Status[fakegithub.CreateIssue] = 403
	_, err := newClient(t, gh).KeepIssue(context.Background(), issueMarker, issueTitle, issueMarker+"\ndue", true)
	if !IsForbidden(err) || IssueOp(err) != OpCreateIssue {
		t.Errorf("error %v, want a 403 of the create step", err)
	}
}
