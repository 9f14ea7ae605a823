package approval

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFromReviewsLatestDecisionPerPerson(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		reviews []Review
		want    []string
	}{
		{"approved", []Review{{"alice", "APPROVED"}}, []string{"@alice"}},
		{"changes requested after approval", []Review{{"alice", "APPROVED"}, {"alice", "CHANGES_REQUESTED"}}, nil},
		{"approval after changes requested", []Review{{"alice", "CHANGES_REQUESTED"}, {"alice", "APPROVED"}}, []string{"@alice"}},
		{"a later comment does not undo", []Review{{"alice", "APPROVED"}, {"alice", "COMMENTED"}}, []string{"@alice"}},
		{"a later comment does not approve", []Review{{"alice", "CHANGES_REQUESTED"}, {"alice", "COMMENTED"}}, nil},
		{"dismissed never counts", []Review{{"alice", "DISMISSED"}}, nil},
		{"dismissed latest approval", []Review{{"alice", "APPROVED"}, {"alice", "DISMISSED"}}, nil},
		{"approval after a dismissal", []Review{{"alice", "DISMISSED"}, {"alice", "APPROVED"}}, []string{"@alice"}},
		{"pending does not count", []Review{{"alice", "PENDING"}}, nil},
		{"the author's own never counts", []Review{{"Carol", "APPROVED"}, {"bob", "APPROVED"}}, []string{"@bob"}},
		{"logins compared without case", []Review{{"Alice", "APPROVED"}, {"alice", "CHANGES_REQUESTED"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := FromReviews("the reviews", "@carol", tc.reviews, nil, "no token")
			if diff := cmp.Diff(tc.want, s.Approvers()); diff != "" {
				t.Errorf("approvers (-want +got):\n%s", diff)
			}
		})
	}
}

func TestApprovedAuthorAndTeams(t *testing.T) {
	t.Parallel()
	var asked atomic.Int32
	member := func(_ context.Context, org, slug, login string) (bool, error) {
		asked.Add(1)
		switch {
		case slug == "missing":
			return false, errors.New("team @" + org + "/missing does not exist")
		case slug == "dba":
			return login == "dave", nil
		}
		return false, nil
	}
	s := FromReviews("the reviews", "carol", []Review{{"dave", "APPROVED"}, {"carol", "APPROVED"}, {"erin", "APPROVED"}}, member, "")
	ctx := context.Background()
	if ok, err := s.Approved(ctx, "@carol"); ok || !errors.Is(err, ErrAuthor) {
		t.Errorf("author: %v %v, want ErrAuthor", ok, err)
	}
	if ok, err := s.Approved(ctx, "@DAVE"); !ok || err != nil {
		t.Errorf("dave: %v %v", ok, err)
	}
	if ok, err := s.Approved(ctx, "@example-org/dba"); !ok || err != nil {
		t.Errorf("team dba: %v %v, want approved through dave", ok, err)
	}
	if ok, err := s.Approved(ctx, "@example-org/missing"); ok || err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("missing team: %v %v, want the reason", ok, err)
	}
	tally := s.Count(ctx, []string{"@example-org/dba", "@erin"})
	if diff := cmp.Diff([]string{"@dave", "@erin"}, tally.By); diff != "" || len(tally.Unread) != 0 {
		t.Errorf("tally %+v (-want +got):\n%s", tally, diff)
	}
	n := asked.Load()
	s.Count(ctx, []string{"@example-org/dba", "@erin"})
	if asked.Load() != n {
		t.Errorf("membership asked again: %d then %d requests", n, asked.Load())
	}
	n = asked.Load()
	tally = s.Count(ctx, []string{"@example-org/missing"})
	if asked.Load() != n {
		t.Errorf("a team that failed once was asked again (%d more requests)", asked.Load()-n)
	}
	if len(tally.By) != 0 || len(tally.Unread) != 1 {
		t.Errorf("tally %+v, want no approval and one reason", tally)
	}
	if got := s.Count(ctx, nil).By; len(got) != 2 {
		t.Errorf("anyone: %v, want dave and erin (not the author)", got)
	}
}

func TestTeamsWithoutMembership(t *testing.T) {
	t.Parallel()
	s := FromReviews("the reviews", "carol", []Review{{"dave", "APPROVED"}}, nil, "the job's token cannot read team membership")
	tally := s.Count(context.Background(), []string{"@example-org/dba"})
	if len(tally.By) != 0 || len(tally.Unread) != 1 || !strings.Contains(tally.Unread[0], "the job's token cannot read team membership") {
		t.Errorf("tally %+v, want the reason", tally)
	}
}

func TestGiven(t *testing.T) {
	t.Parallel()
	s, err := Given([]string{"@alice, @example-org/dba", "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"@alice", "@bob", "@example-org/dba"}, s.Approvers()); diff != "" {
		t.Errorf("approvers (-want +got):\n%s", diff)
	}
	ctx := context.Background()
	if ok, _ := s.Approved(ctx, "@example-org/dba"); !ok {
		t.Error("the team named is not approved")
	}
	if ok, err := s.Approved(ctx, "@example-org/ops"); ok || err != nil {
		t.Errorf("another team: %v %v, want not approved: a team approves only when named", ok, err)
	}
	if got := s.Count(ctx, []string{"@example-org/dba", "@alice"}).By; len(got) != 2 {
		t.Errorf("count %v, want alice and the team", got)
	}
	for _, bad := range []string{"@", "@a b", "@org/team/x", "@-x", "alice;rm"} {
		if _, err := Given([]string{bad}); err == nil || !strings.Contains(err.Error(), bad) {
			t.Errorf("Given(%q): %v, want an error naming it", bad, err)
		}
	}
}

func TestUnknown(t *testing.T) {
	t.Parallel()
	s := Unknown("no token")
	if s.Known() || s.Why() != "no token" {
		t.Errorf("known %v, why %q", s.Known(), s.Why())
	}
	if ok, err := s.Approved(context.Background(), "@alice"); ok || err != nil {
		t.Errorf("unknown approves: %v %v", ok, err)
	}
	var nilSet *Set
	if nilSet.Known() || nilSet.Why() == "" {
		t.Error("a nil set is known or has no reason")
	}
}

func TestDeferredLoadsOnce(t *testing.T) {
	t.Parallel()
	var loads atomic.Int32
	s := Deferred(func() *Set {
		loads.Add(1)
		return FromReviews("the reviews", "", []Review{{"alice", "APPROVED"}}, nil, "")
	})
	if loads.Load() != 0 {
		t.Fatal("loaded before use")
	}
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			ok, _ := s.Approved(context.Background(), "@alice")
			done <- ok
		}()
	}
	for i := 0; i < 4; i++ {
		if !<-done {
			t.Error("alice not approved")
		}
	}
	if loads.Load() != 1 || !s.Known() || s.Source() != "the reviews" {
		t.Errorf("%d loads, known %v, source %q", loads.Load(), s.Known(), s.Source())
	}
	if nilLoad := Deferred(func() *Set { return nil }); nilLoad.Known() {
		t.Error("a load that made nothing is known")
	}
}

// TestNotJudged: a NotJudged set leaves the rules out and records that one
// asked; every other set, nil included, is judged and never Skipped.
func TestNotJudged(t *testing.T) {
	t.Parallel()
	s := NotJudged("this push run has no pull request")
	if s.Skipped() {
		t.Error("Skipped before any rule asked")
	}
	if s.Judged() || !s.Skipped() || s.Known() || s.Why() != "this push run has no pull request" {
		t.Errorf("NotJudged: Judged %t, Skipped %t, Known %t, Why %q", s.Judged(), s.Skipped(), s.Known(), s.Why())
	}
	given, err := Given([]string{"@alice"})
	if err != nil {
		t.Fatal(err)
	}
	for name, set := range map[string]*Set{"nil": nil, "unknown": Unknown("no token"), "given": given,
		"deferred": Deferred(func() *Set { return Unknown("x") })} {
		if !set.Judged() || set.Skipped() {
			t.Errorf("%s: Judged %t, Skipped %t; want judged", name, set.Judged(), set.Skipped())
		}
	}
}
