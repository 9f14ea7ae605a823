package github

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

const boundsToken = "ghs_bounds-test-token"

// sink is another server on 127.0.0.1: a redirect's target, which records
// what it receives and answers as the API would, were it believed.
func sink(t *testing.T) (*fakegithub.Recorder, string) {
	t.Helper()
	rec := &fakegithub.Recorder{}
	srv := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.Record(r, nil, fakegithub.Unknown)
		io.WriteString(w, `[]`)
	}))
	return rec, srv.URL
}

func newTestClient(t *testing.T, apiURL string, cfg Config) *Client {
	t.Helper()
	cfg.APIURL, cfg.Repository, cfg.Token = apiURL, "o/r", boundsToken
	if cfg.Sleep == nil {
		cfg.Sleep = func(context.Context, time.Duration) error { return nil }
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const boundsMarker = "<!-- m -->"

// endpoints calls each endpoint of the client. ours says whether pull
// request 1 must hold two comments of ours (ids 1001 and 1002) for the call
// to reach the route.
var endpoints = []struct {
	route string
	ours  bool
	call  func(ctx context.Context, c *Client) error
}{
	{fakegithub.PullFiles, false, func(ctx context.Context, c *Client) error {
		_, _, err := c.ChangedFiles(ctx, 1)
		return err
	}},
	{fakegithub.ListComments, false, func(ctx context.Context, c *Client) error {
		_, err := c.UpsertComment(ctx, 1, boundsMarker, "body", true)
		return err
	}},
	{fakegithub.CreateComment, false, func(ctx context.Context, c *Client) error {
		_, err := c.UpsertComment(ctx, 1, boundsMarker, "body", true)
		return err
	}},
	{fakegithub.EditComment, true, func(ctx context.Context, c *Client) error {
		_, err := c.UpsertComment(ctx, 1, boundsMarker, "body", true)
		return err
	}},
	{fakegithub.DeleteComment, true, func(ctx context.Context, c *Client) error {
		// deleting duplicates is best effort: the refused redirect leaves one
		res, err := c.UpsertComment(ctx, 1, boundsMarker, "body", true)
		if err == nil && res.Deleted != 0 {
			return fmt.Errorf("the redirected delete counted as done: %+v", res)
		}
		return err
	}},
	{fakegithub.RepoInfo, false, func(ctx context.Context, c *Client) error {
		_, err := c.RepositoryID(ctx)
		return err
	}},
	{fakegithub.RepoSecrets, false, func(ctx context.Context, c *Client) error {
		_, err := c.RepoSecretNames(ctx)
		return err
	}},
	{fakegithub.OrgSecrets, false, func(ctx context.Context, c *Client) error {
		_, err := c.OrgSecretNames(ctx)
		return err
	}},
	{fakegithub.EnvSecrets, false, func(ctx context.Context, c *Client) error {
		_, err := c.EnvSecretNames(ctx, 4242, "prod")
		return err
	}},
	{fakegithub.ListPulls, false, func(ctx context.Context, c *Client) error {
		_, err := c.OpenPullRequests(ctx, "o/r", "b", "sha")
		return err
	}},
	{fakegithub.GitTree, false, func(ctx context.Context, c *Client) error {
		_, err := c.Tree(ctx, "1111111111111111111111111111111111111111", true)
		return err
	}},
	{fakegithub.GitBlob, false, func(ctx context.Context, c *Client) error {
		_, err := c.Blob(ctx, "1111111111111111111111111111111111111111", 1<<20)
		return err
	}},
	{fakegithub.GraphQL, false, func(ctx context.Context, c *Client) error {
		return c.GraphQL(ctx, "ask who the token is", "query { viewer { login } }", nil, nil)
	}},
}

// TestNoTokenAcrossHosts: for every endpoint, a 307 to another server on
// 127.0.0.1 (the same host name with another port is another host) is
// refused: the other server receives no request at all, so no token, and the
// redirected answer is not taken. GitHub Enterprise's base is used; every
// request to the API itself carries the token.
func TestNoTokenAcrossHosts(t *testing.T) {
	t.Parallel()
	for _, ep := range endpoints {
		t.Run(ep.route, func(t *testing.T) {
			t.Parallel()
			elsewhere, elsewhereURL := sink(t)
			gh := fakegithub.New(t, boundsToken, "o", "r")
			gh.Files = []string{"a.yaml"}
			gh.RepoSecret, gh.OrgSecret = []string{"A"}, []string{"B"}
			gh.EnvSecret["prod"] = []string{"C"}
			if ep.ours {
				gh.AddComment(1, fakegithub.JobLogin, "Bot", boundsMarker+"\nfirst")
				gh.AddComment(1, fakegithub.JobLogin, "Bot", boundsMarker+"\nsecond")
			}
			gh.Inject[ep.route] = []fakegithub.Answer{{Status: http.StatusTemporaryRedirect,
				Header: map[string]string{"Location": elsewhereURL + "/api/v3/elsewhere"}}}
			c := newTestClient(t, gh.APIURL(), Config{})
			err := ep.call(context.Background(), c)
			if ep.route == fakegithub.DeleteComment {
				if err != nil {
					t.Fatal(err)
				}
			} else {
				var re *RedirectError
				if !errors.As(err, &re) {
					t.Fatalf("error %v, want a refused redirect", err)
				}
				if msg := err.Error(); !strings.Contains(msg, "refused") || strings.Contains(msg, boundsToken) {
					t.Errorf("message %q: want the refusal, without the token", msg)
				}
			}
			if got := elsewhere.Requests(); len(got) != 0 {
				t.Errorf("the other host got %d requests, the first with Authorization %q", len(got), got[0].Header.Get("Authorization"))
			}
			reqs := gh.Requests()
			if fakegithub.Count(reqs, ep.route) != 1 {
				t.Errorf("the API got %d requests of %s, want 1: %v", fakegithub.Count(reqs, ep.route), ep.route, reqs)
			}
			for _, r := range reqs {
				if r.Header.Get("Authorization") != "Bearer "+boundsToken {
					t.Errorf("request %s to the API came without the token", r)
				}
			}
		})
	}
}

// TestRedirectWithinTheAPIIsFollowed: a redirect on the API's own host is
// followed, with the token.
func TestRedirectWithinTheAPIIsFollowed(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, boundsToken, "o", "r")
	gh.Files = []string{"a.yaml"}
	gh.Inject[fakegithub.PullFiles] = []fakegithub.Answer{{Status: http.StatusTemporaryRedirect,
		Header: map[string]string{"Location": gh.URL + "/api/v3/repos/o/r/pulls/1/files?per_page=100&moved=1"}}}
	c := newTestClient(t, gh.APIURL(), Config{})
	files, complete, err := c.ChangedFiles(context.Background(), 1)
	if err != nil || !complete || len(files) != 1 || files[0] != "a.yaml" {
		t.Fatalf("ChangedFiles = %q, %v, %v; want [a.yaml], true, nil", files, complete, err)
	}
	reqs := gh.Requests()
	if len(reqs) != 2 || reqs[1].Query.Get("moved") != "1" {
		t.Fatalf("requests %v, want the listing and its redirect", reqs)
	}
	for _, r := range reqs {
		if r.Header.Get("Authorization") != "Bearer "+boundsToken {
			t.Errorf("request %s came without the token", r)
		}
	}
}

// endless answers every request with a page and a Link to the next one,
// forever; full says whether pages hold 100 entries or none.
func endless(t *testing.T, entry string, full bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := n.Add(1)
		w.Header().Set("Link", fmt.Sprintf(`<%s%s?page=%d>; rel="next"`, "http://"+r.Host, r.URL.Path, page+1))
		var items []string
		if full {
			for i := 0; i < 100; i++ {
				items = append(items, strings.ReplaceAll(entry, "N", fmt.Sprint(int(page)*100+i)))
			}
		}
		list := "[" + strings.Join(items, ",") + "]"
		if strings.Contains(r.URL.Path, "secrets") {
			list = `{"total_count":100000,"secrets":` + list + `}`
		}
		io.WriteString(w, list)
	}))
	return srv, &n
}

// TestListingsStopAtTheirPageLimit: a server whose pages never end costs a
// documented number of requests, then a *PageLimitError (or, for changed
// files, an incomplete list at MaxChangedFiles).
func TestListingsStopAtTheirPageLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		entry string
		full  bool
		pages int
		call  func(ctx context.Context, c *Client) error
	}{
		{"changed files, full pages", `{"filename":"fN"}`, true, MaxChangedFilePages, func(ctx context.Context, c *Client) error {
			files, complete, err := c.ChangedFiles(ctx, 1)
			if err == nil && (complete || len(files) != MaxChangedFiles) {
				return fmt.Errorf("%d files, complete %v: want %d, incomplete", len(files), complete, MaxChangedFiles)
			}
			return err
		}},
		{"changed files, empty pages", ``, false, MaxChangedFilePages, func(ctx context.Context, c *Client) error {
			_, _, err := c.ChangedFiles(ctx, 1)
			return err
		}},
		{"comments, full pages", `{"id":N,"body":"hi","user":{"login":"u","type":"User"}}`, true, MaxCommentPages, func(ctx context.Context, c *Client) error {
			_, err := c.UpsertComment(ctx, 1, "<!-- m -->", "body", true)
			return err
		}},
		{"comments, empty pages", ``, false, MaxCommentPages, func(ctx context.Context, c *Client) error {
			_, err := c.UpsertComment(ctx, 1, "<!-- m -->", "body", true)
			return err
		}},
		{"reviews", `{"id":N,"state":"COMMENTED","user":{"login":"u"}}`, true, MaxReviewPages, func(ctx context.Context, c *Client) error {
			_, err := c.Reviews(ctx, 1)
			return err
		}},
		{"issues", `{"number":N,"body":"hi","user":{"login":"u","type":"User"}}`, true, MaxIssuePages, func(ctx context.Context, c *Client) error {
			_, err := c.KeepIssue(ctx, "<!-- m -->", "t", "body", true)
			return err
		}},
		{"open pull requests", ``, false, MaxPullRequestPages, func(ctx context.Context, c *Client) error {
			_, err := c.OpenPullRequests(ctx, "o/r", "b", "sha")
			return err
		}},
		{"secrets", `{"name":"SN"}`, true, MaxSecretPages, func(ctx context.Context, c *Client) error {
			_, err := c.RepoSecretNames(ctx)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, n := endless(t, tc.entry, tc.full)
			c := newTestClient(t, srv.URL+"/api/v3", Config{})
			err := tc.call(context.Background(), c)
			var pl *PageLimitError
			switch {
			case tc.name == "changed files, full pages":
				if err != nil {
					t.Fatal(err)
				}
			case !errors.As(err, &pl) || pl.Pages != tc.pages:
				t.Fatalf("error %v, want a page limit of %d", err, tc.pages)
			case !strings.Contains(err.Error(), fmt.Sprintf("after %d pages", tc.pages)):
				t.Errorf("message %q does not name the limit", err)
			}
			if got := int(n.Load()); got != tc.pages {
				t.Errorf("%d requests, want %d", got, tc.pages)
			}
		})
	}
}

// stall answers headers at once and then drips the body a byte at a time
// (drip), or never answers (hang), until the request ends.
func stall(t *testing.T, drip bool) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	stop := make(chan struct{})
	srv := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		if drip {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(200)
			io.WriteString(w, "[")
			for {
				w.(http.Flusher).Flush()
				select {
				case <-stop:
					return
				case <-r.Context().Done():
					return
				case <-time.After(5 * time.Millisecond):
					io.WriteString(w, " ")
				}
			}
		}
		select {
		case <-stop:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(stop) })
	return srv, &n
}

// TestDrippedBodyIsBounded: an answer whose headers come at once and whose
// body never ends fails with the attempt's deadline, which covers the body.
// It is not repeated: the answer came.
func TestDrippedBodyIsBounded(t *testing.T) {
	t.Parallel()
	srv, n := stall(t, true)
	c := newTestClient(t, srv.URL, Config{AttemptTimeout: time.Second})
	_, _, err := c.ChangedFiles(context.Background(), 1)
	var de *DeadlineError
	if !errors.As(err, &de) || de.Run || de.Limit != time.Second {
		t.Fatalf("error %v, want the answer's deadline of 1s", err)
	}
	if !strings.Contains(err.Error(), "took longer than 1s") {
		t.Errorf("message %q does not name the deadline", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
}

// TestRunDeadlineBoundsAllAPIWork: once the run's API time is used up, by a
// server that never answers, the call fails with the run's deadline, and
// every later call of any client sharing the meter fails at once, without a
// request.
func TestRunDeadlineBoundsAllAPIWork(t *testing.T) {
	t.Parallel()
	srv, n := stall(t, false)
	meter := NewMeter(time.Second)
	c := newTestClient(t, srv.URL, Config{Meter: meter, AttemptTimeout: time.Hour})
	other := newTestClient(t, srv.URL, Config{Meter: meter})
	_, _, err := c.ChangedFiles(context.Background(), 1)
	var de *DeadlineError
	if !errors.As(err, &de) || !de.Run {
		t.Fatalf("error %v, want the run's deadline", err)
	}
	if !strings.Contains(err.Error(), "the run's API time of 1s is used up") {
		t.Errorf("message %q does not name the run's deadline", err)
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d requests, want 1", got)
	}
	for _, call := range []func() error{
		func() error { _, err := other.UpsertComment(context.Background(), 1, "m", "b", true); return err },
		func() error { _, err := c.RepoSecretNames(context.Background()); return err },
	} {
		if err := call(); !errors.As(err, &de) || !de.Run {
			t.Errorf("after the deadline: error %v, want the run's deadline", err)
		}
	}
	if got := n.Load(); got != 1 {
		t.Errorf("%d requests after the deadline, want still 1", got)
	}
}

// TestBodiesAreBounded: an answer longer than MaxBody fails with an error
// that names the limit, whether Content-Length announces it or not, and is
// not repeated.
func TestBodiesAreBounded(t *testing.T) {
	t.Parallel()
	for _, announced := range []bool{true, false} {
		t.Run(fmt.Sprintf("content-length %v", announced), func(t *testing.T) {
			t.Parallel()
			var n atomic.Int32
			srv := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n.Add(1)
				body := `[{"filename":"` + strings.Repeat("x", 4096) + `"}]`
				if announced {
					w.Header().Set("Content-Length", fmt.Sprint(len(body)))
				} else {
					w.(http.Flusher).Flush() // chunked: no length
				}
				io.WriteString(w, body)
			}))
			c := newTestClient(t, srv.URL, Config{MaxBody: 1024})
			_, _, err := c.ChangedFiles(context.Background(), 1)
			var le *LimitError
			if !errors.As(err, &le) || le.Limit != 1024 {
				t.Fatalf("error %v, want the body limit", err)
			}
			if !strings.Contains(err.Error(), "larger than the limit of 1 KiB") {
				t.Errorf("message %q does not name the limit", err)
			}
			if got := n.Load(); got != 1 {
				t.Errorf("%d requests, want 1", got)
			}
		})
	}
}

// TestBodyAtTheLimitIsRead: an answer of exactly MaxBody bytes is read.
func TestBodyAtTheLimitIsRead(t *testing.T) {
	t.Parallel()
	body := `[{"filename":"a.yaml"}]`
	srv := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.(http.Flusher).Flush()
		io.WriteString(w, body)
	}))
	c := newTestClient(t, srv.URL, Config{MaxBody: int64(len(body))})
	files, _, err := c.ChangedFiles(context.Background(), 1)
	if err != nil || len(files) != 1 {
		t.Fatalf("ChangedFiles = %q, %v", files, err)
	}
}

// TestGraphQL posts to the endpoint beside the REST base and decodes data,
// or the errors.
func TestGraphQL(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	srv := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Authorization")+" "+strings.TrimSpace(string(b)))
		mu.Unlock()
		if strings.Contains(string(b), "bad") {
			io.WriteString(w, `{"errors":[{"message":"Field 'bad' doesn't exist"},{"message":"x"}]}`)
			return
		}
		io.WriteString(w, `{"data":{"viewer":{"login":"gate[bot]"}}}`)
	}))
	for _, tc := range []struct{ api, path string }{{srv.URL + "/api/v3", "/api/graphql"}, {srv.URL + "/github/", "/github/graphql"}} {
		c := newTestClient(t, tc.api, Config{})
		var out struct {
			Viewer struct{ Login string }
		}
		if err := c.GraphQL(context.Background(), "ask who the token is", "query { viewer { login } }", nil, &out); err != nil {
			t.Fatal(err)
		}
		if out.Viewer.Login != "gate[bot]" {
			t.Errorf("login %q", out.Viewer.Login)
		}
		err := c.GraphQL(context.Background(), "ask", "query { bad }", map[string]any{"n": 1}, &out)
		var ge *GraphQLError
		if !errors.As(err, &ge) || err.Error() != "ask: GraphQL: Field 'bad' doesn't exist (and 1 more)" {
			t.Errorf("error %v, want the GraphQL errors", err)
		}
		mu.Lock()
		want := "POST " + tc.path + " Bearer " + boundsToken + ` {"query":"query { viewer { login } }"}`
		if len(got) != 2 || got[0] != want || !strings.Contains(got[1], `"variables":{"n":1}`) {
			t.Errorf("requests %q, want first %q", got, want)
		}
		got = nil
		mu.Unlock()
	}
}
