package github

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

// The sticky comment's upkeep against the project's fake GitHub: which
// comments are ours, what is edited, created and deleted, and in how many
// requests.

const (
	testToken  = "ghs_TESTtoken0123456789abcdefABCDEF"
	testMarker = "<!-- upgradegate:comment workflow=Upgrade%20gate job=gate -->"
	pr         = 7
)

func newFake(t *testing.T) *fakegithub.Server {
	t.Helper()
	return fakegithub.New(t, testToken, "o", "r")
}

func newClient(t *testing.T, gh *fakegithub.Server) *Client {
	t.Helper()
	c, err := New(Config{APIURL: gh.APIURL(), Repository: "o/r", Token: testToken,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// upsert runs one upkeep with a body that starts with the marker and
// returns its result and the requests it made.
func upsert(t *testing.T, gh *fakegithub.Server, c *Client, text string, create bool) (CommentResult, []fakegithub.Request) {
	t.Helper()
	before := len(gh.Requests())
	res, err := c.UpsertComment(context.Background(), pr, testMarker, testMarker+"\n"+text, create)
	if err != nil {
		t.Fatalf("UpsertComment: %v", err)
	}
	reqs := gh.Requests()[before:]
	for _, r := range reqs {
		if r.Route == fakegithub.Unknown {
			t.Errorf("unexpected request %s", r)
		}
	}
	return res, reqs
}

func strs(reqs []fakegithub.Request) []string {
	out := make([]string, len(reqs))
	for i, r := range reqs {
		out[i] = r.String()
	}
	return out
}

// marked returns the comments that carry the marker.
func marked(gh *fakegithub.Server) []fakegithub.Comment {
	var out []fakegithub.Comment
	for _, c := range gh.Comments() {
		if strings.Contains(c.Body, testMarker) {
			out = append(out, c)
		}
	}
	return out
}

func TestUpsertCreatesOneComment(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	c := newClient(t, gh)
	res, reqs := upsert(t, gh, c, "report 1", true)
	want := []string{
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"POST /repos/o/r/issues/7/comments?",
		"GET /repos/o/r/issues/7/comments?per_page=100",
	}
	if diff := cmp.Diff(want, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	got := marked(gh)
	if len(got) != 1 || res.Action != CommentCreated || res.ID != got[0].ID || got[0].Body != testMarker+"\nreport 1" {
		t.Fatalf("result %+v, comments %+v; want one created", res, got)
	}
	if !strings.HasSuffix(res.URL, fmt.Sprintf("#issuecomment-%d", res.ID)) {
		t.Errorf("URL %q does not name the comment", res.URL)
	}
	for _, r := range gh.Requests() {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			t.Errorf("%s: Authorization %q", r, r.Header.Get("Authorization"))
		}
	}
}

func TestUpsertWithoutCreateWritesNothing(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.AddComment(pr, "reviewer", "User", "looks good")
	res, reqs := upsert(t, gh, newClient(t, gh), "passing", false)
	if res.Action != CommentNone || len(marked(gh)) != 0 {
		t.Errorf("result %+v, comments %+v; want none", res, gh.Comments())
	}
	if diff := cmp.Diff([]string{"GET /repos/o/r/issues/7/comments?per_page=100"}, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestUpsertEditsOurComment(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	c := newClient(t, gh)
	upsert(t, gh, c, "failing", true)
	first := marked(gh)[0]
	res, reqs := upsert(t, gh, c, "passing", false) // create false: an existing comment is still kept up to date
	want := []string{
		"GET /repos/o/r/issues/7/comments?per_page=100",
		fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", first.ID),
	}
	if diff := cmp.Diff(want, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got := marked(gh); len(got) != 1 || got[0].ID != first.ID || got[0].Body != testMarker+"\npassing" {
		t.Errorf("comments %+v, want %d edited", got, first.ID)
	}
	if res.Action != CommentUpdated || res.ID != first.ID || res.Deleted != 0 {
		t.Errorf("result %+v", res)
	}
}

func TestUpsertFindsOurCommentOnPage3(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	for i := 0; i < 230; i++ {
		gh.AddComment(pr, "reviewer", "User", fmt.Sprintf("comment %d", i))
	}
	ours := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nold report")
	for i := 0; i < 20; i++ {
		gh.AddComment(pr, "reviewer", "User", fmt.Sprintf("later comment %d", i))
	}
	gh.AddComment(pr+1, fakegithub.JobLogin, "Bot", testMarker+"\nanother pull request's")
	res, reqs := upsert(t, gh, newClient(t, gh), "new report", true)
	if n := fakegithub.Count(reqs, fakegithub.ListComments); n != 3 {
		t.Errorf("%d pages read, want 3", n)
	}
	var others []string
	for _, r := range reqs {
		if r.Route != fakegithub.ListComments {
			others = append(others, r.String())
		}
	}
	// who the token is, asked once: comments start with the marker
	want := []string{"POST /api/graphql?", fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", ours.ID)}
	if diff := cmp.Diff(want, others); diff != "" {
		t.Errorf("requests besides the listing (-want +got):\n%s", diff)
	}
	if res.Action != CommentUpdated || res.ID != ours.ID {
		t.Errorf("result %+v, want %d updated", res, ours.ID)
	}
}

func TestUpsertRemovesDuplicates(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	first := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nrun A")
	second := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nrun B")
	res, reqs := upsert(t, gh, newClient(t, gh), "run C", true)
	want := []string{
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"POST /api/graphql?",
		fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", first.ID),
		fmt.Sprintf("DELETE /repos/o/r/issues/comments/%d?", second.ID),
	}
	if diff := cmp.Diff(want, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got := marked(gh); len(got) != 1 || got[0].ID != first.ID || got[0].Body != testMarker+"\nrun C" {
		t.Errorf("comments %+v, want the oldest (%d) edited, the other deleted", got, first.ID)
	}
	if res.Deleted != 1 {
		t.Errorf("result %+v, want 1 deleted", res)
	}
}

// TestUpsertCreateRelistsOnlyTheLastPage: after creating on a busy pull
// request, the look for a parallel run's duplicate reads the last page only.
func TestUpsertCreateRelistsOnlyTheLastPage(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	for i := 0; i < 250; i++ {
		gh.AddComment(pr, "reviewer", "User", "comment")
	}
	_, reqs := upsert(t, gh, newClient(t, gh), "report", true)
	want := []string{
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"GET /repos/o/r/issues/7/comments?page=2&per_page=100",
		"GET /repos/o/r/issues/7/comments?page=3&per_page=100",
		"POST /repos/o/r/issues/7/comments?",
		"GET /repos/o/r/issues/7/comments?page=3&per_page=100",
	}
	if diff := cmp.Diff(want, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// TestUpsertDuplicateOnTheNextPage: a parallel run's comment, created
// between our listing and our create, is found by the listing after
// creating although both opened a new page; the older one is kept.
func TestUpsertDuplicateOnTheNextPage(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	for i := 0; i < 99; i++ {
		gh.AddComment(pr, "reviewer", "User", "comment")
	}
	var other atomic.Int64
	gh.Before = func(r fakegithub.Request) {
		if r.Route == fakegithub.CreateComment && other.Load() == 0 { // the other run's is the 100th, ours the 101st
			other.Store(gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nthe other run").ID)
		}
	}
	res, reqs := upsert(t, gh, newClient(t, gh), "this run", true)
	o := other.Load()
	want := []string{
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"POST /repos/o/r/issues/7/comments?",
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"GET /repos/o/r/issues/7/comments?page=2&per_page=100",
		fmt.Sprintf("DELETE /repos/o/r/issues/comments/%d?", o+1),
		fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", o),
	}
	if diff := cmp.Diff(want, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if got := marked(gh); len(got) != 1 || got[0].ID != o || got[0].Body != testMarker+"\nthis run" {
		t.Errorf("comments %+v, want the other run's (%d) with this body", got, o)
	}
	if res.Action != CommentUpdated || res.ID != o || res.Deleted != 1 {
		t.Errorf("result %+v", res)
	}
}

// TestUpsertConcurrentRunsLeaveOneComment: two runs that both list before
// either creates leave one comment.
func TestUpsertConcurrentRunsLeaveOneComment(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.HoldCreatesUntilListed(2) // one listing per run before either creates
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = newClient(t, gh).UpsertComment(context.Background(), pr, testMarker, fmt.Sprintf("%s\nrun %d", testMarker, i), true)
		}()
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("errors %v", errs)
	}
	if n := fakegithub.Count(gh.Requests(), fakegithub.CreateComment); n != 2 {
		t.Fatalf("%d comments created, want 2 (the race this test sets up)", n)
	}
	if got := marked(gh); len(got) != 1 {
		t.Errorf("%d comments left, want 1: %+v", len(got), got)
	}
}

func TestUpsertForbidden(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.ReadOnly = true
	_, err := newClient(t, gh).UpsertComment(context.Background(), pr, testMarker, testMarker+"\nx", true)
	if !IsForbidden(err) || !strings.Contains(err.Error(), "create comment on #7") {
		t.Errorf("error %v, want a 403 that names the operation", err)
	}
}

// TestUpsertLeavesOthersCommentsAlone is issue 13 item 2 with the job's
// token: a welcome bot's comments that quote the marker (as their first line
// too) and a human's are neither edited nor deleted; only the comment of
// github-actions[bot] that starts with the marker is ours.
func TestUpsertLeavesOthersCommentsAlone(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	welcome := gh.AddComment(pr, "welcome[bot]", "Bot", testMarker+"\nWelcome! The gate will comment here.")
	quoting := gh.AddComment(pr, "welcome[bot]", "Bot", "Tip: the gate's comment starts with "+testMarker)
	human := gh.AddComment(pr, "mallory", "User", testMarker+"\nfake report")
	quoted := gh.AddComment(pr, fakegithub.JobLogin, "Bot", "> "+testMarker+"\nsomeone quoted the gate in another workflow")
	ours := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nold report")
	res, reqs := upsert(t, gh, newClient(t, gh), "new report", true)
	want := []string{
		"GET /repos/o/r/issues/7/comments?per_page=100",
		"POST /api/graphql?",
		fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", ours.ID),
	}
	if diff := cmp.Diff(want, strs(reqs)); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	if res.Action != CommentUpdated || res.ID != ours.ID || res.Deleted != 0 {
		t.Errorf("result %+v, want %d updated and nothing deleted", res, ours.ID)
	}
	byID := map[int64]string{}
	for _, c := range gh.Comments() {
		byID[c.ID] = c.Body
	}
	for _, c := range []fakegithub.Comment{welcome, quoting, human, quoted} {
		if byID[c.ID] != c.Body {
			t.Errorf("comment %d by %s changed or deleted: %q", c.ID, c.Login, byID[c.ID])
		}
	}
	if byID[ours.ID] != testMarker+"\nnew report" {
		t.Errorf("ours: %q", byID[ours.ID])
	}
}

// TestUpsertNeverDeletesOthersDuplicates: after creating, the look for a
// parallel run's duplicate deletes only comments of the same author.
func TestUpsertNeverDeletesOthersDuplicates(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Before = func(r fakegithub.Request) {
		if r.Route == fakegithub.CreateComment { // another bot posts a lookalike just before ours
			gh.AddComment(pr, "welcome[bot]", "Bot", testMarker+"\nlookalike")
		}
	}
	res, reqs := upsert(t, gh, newClient(t, gh), "report", true)
	if n := fakegithub.Count(reqs, fakegithub.DeleteComment) + fakegithub.Count(reqs, fakegithub.EditComment); n != 0 {
		t.Errorf("%d edits or deletes, want none: %v", n, strs(reqs))
	}
	if got := marked(gh); len(got) != 2 || res.Action != CommentCreated {
		t.Errorf("result %+v, comments %+v; want ours created beside the lookalike", res, got)
	}
}

// TestUpsertPersonalToken: with a personal token the identity is the user
// (GraphQL's viewer); the user's own comment that quotes the marker, not as
// its first line, is not overwritten, and GET /user is never asked.
func TestUpsertPersonalToken(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Viewer = "release-user"
	own := gh.AddComment(pr, "release-user", "User", "As the gate said:\n"+testMarker+"\nplease fix")
	bot := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nfrom when the job's token commented")
	c := newClient(t, gh)
	res, reqs := upsert(t, gh, c, "report 1", true)
	if res.Action != CommentCreated {
		t.Fatalf("result %+v, want a new comment", res)
	}
	if n := fakegithub.Count(reqs, fakegithub.EditComment) + fakegithub.Count(reqs, fakegithub.DeleteComment); n != 0 {
		t.Errorf("%d edits or deletes, want none: %v", n, strs(reqs))
	}
	res2, reqs2 := upsert(t, gh, newClient(t, gh), "report 2", false)
	if res2.Action != CommentUpdated || res2.ID != res.ID {
		t.Errorf("second run: %+v, want %d updated", res2, res.ID)
	}
	byID := map[int64]fakegithub.Comment{}
	for _, c := range gh.Comments() {
		byID[c.ID] = c
	}
	if byID[own.ID].Body != own.Body || byID[bot.ID].Body != bot.Body {
		t.Errorf("a comment that is not this token's changed: %+v, %+v", byID[own.ID], byID[bot.ID])
	}
	if got := byID[res.ID]; got.Login != "release-user" || got.Body != testMarker+"\nreport 2" {
		t.Errorf("ours: %+v", got)
	}
	if n := fakegithub.Count(append(reqs, reqs2...), fakegithub.User); n != 0 {
		t.Errorf("GET /user asked %d times, want 0", n)
	}
	if n := fakegithub.Count(reqs2, fakegithub.GraphQL); n != 1 {
		t.Errorf("the second run asked who it is %d times, want 1", n)
	}
}

// TestUpsertAppToken: an app's installation token is APP[bot]: the job
// token's comments are not its own.
func TestUpsertAppToken(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	gh.Viewer = "upgrade-app[bot]"
	job := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\njob token's")
	app := gh.AddComment(pr, "upgrade-app[bot]", "Bot", testMarker+"\napp's")
	res, _ := upsert(t, gh, newClient(t, gh), "new", true)
	if res.Action != CommentUpdated || res.ID != app.ID {
		t.Errorf("result %+v, want the app's comment %d updated", res, app.ID)
	}
	for _, c := range gh.Comments() {
		if c.ID == job.ID && c.Body != job.Body {
			t.Errorf("the job token's comment was edited")
		}
	}
}

// TestUpsertUnknownIdentity: when GraphQL cannot say who the token is, no
// marked comment can be told ours. Without create nothing is written and the
// error says why; with create, the create's answer says who we are, and the
// older comment of ours is kept while the new one goes.
func TestUpsertUnknownIdentity(t *testing.T) {
	t.Parallel()
	viewerFails := fakegithub.Answer{Status: 200, Body: `{"errors":[{"message":"Resource not accessible"}]}`}
	t.Run("without create", func(t *testing.T) {
		t.Parallel()
		gh := newFake(t)
		gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nold")
		gh.Inject[fakegithub.GraphQL] = []fakegithub.Answer{viewerFails}
		_, err := newClient(t, gh).UpsertComment(context.Background(), pr, testMarker, testMarker+"\nnew", false)
		if err == nil || CommentOp(err) != OpWhoAmI || !strings.Contains(err.Error(), "ask who the token is") {
			t.Errorf("error %v, want the viewer query's", err)
		}
		want := []string{"GET /repos/o/r/issues/7/comments?per_page=100", "POST /api/graphql?"}
		if diff := cmp.Diff(want, strs(gh.Requests())); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
	})
	t.Run("with create", func(t *testing.T) {
		t.Parallel()
		gh := newFake(t)
		for i := 0; i < 150; i++ {
			gh.AddComment(pr, "reviewer", "User", "comment")
		}
		welcome := gh.AddComment(pr, "welcome[bot]", "Bot", testMarker+"\nwelcome")
		old := gh.AddComment(pr, fakegithub.JobLogin, "Bot", testMarker+"\nold")
		gh.Inject[fakegithub.GraphQL] = []fakegithub.Answer{viewerFails}
		res, reqs := upsert(t, gh, newClient(t, gh), "new", true)
		if res.Action != CommentUpdated || res.ID != old.ID || res.Deleted != 1 {
			t.Errorf("result %+v, want %d updated and the new one deleted", res, old.ID)
		}
		want := []string{
			"GET /repos/o/r/issues/7/comments?per_page=100",
			"GET /repos/o/r/issues/7/comments?page=2&per_page=100",
			"POST /api/graphql?",
			"POST /repos/o/r/issues/7/comments?",
			"GET /repos/o/r/issues/7/comments?per_page=100",
			"GET /repos/o/r/issues/7/comments?page=2&per_page=100",
			fmt.Sprintf("DELETE /repos/o/r/issues/comments/%d?", old.ID+1),
			fmt.Sprintf("PATCH /repos/o/r/issues/comments/%d?", old.ID),
		}
		if diff := cmp.Diff(want, strs(reqs)); diff != "" {
			t.Errorf("requests (-want +got):\n%s", diff)
		}
		if got := marked(gh); len(got) != 2 || got[0].Body != welcome.Body || got[1].Body != testMarker+"\nnew" {
			t.Errorf("comments %+v, want the welcome bot's untouched and ours edited", got)
		}
	})
}

func TestStartsWithMarker(t *testing.T) {
	t.Parallel()
	for body, want := range map[string]bool{
		testMarker + "\nreport":       true,
		testMarker:                    true,
		testMarker + "\r\nreport":     true,
		" " + testMarker + "\nreport": false,
		"> " + testMarker:             false,
		"text\n" + testMarker:         false,
		testMarker + " and more":      false,
		"":                            false,
	} {
		if got := startsWithMarker(body, testMarker); got != want {
			t.Errorf("startsWithMarker(%q) = %v, want %v", body, got, want)
		}
	}
	if startsWithMarker("", "") {
		t.Errorf("an empty marker matched")
	}
}
