package fakegithub

import (
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func get(t *testing.T, s *Server, method, path, token string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, s.URL+path, strings.NewReader(`{"body":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestServerRecordsEveryRequest(t *testing.T) {
	t.Parallel()
	s := New(t, "tok", "o", "r")
	if host, _, _ := net.SplitHostPort(strings.TrimPrefix(s.URL, "http://")); host != "127.0.0.1" {
		t.Errorf("listens on %q, want 127.0.0.1", host)
	}
	for _, c := range []struct {
		method, path, token, route string
		status                     int
	}{
		{"GET", "/api/v3/repos/o/r/issues/7/comments?per_page=100", "tok", ListComments, 200},
		{"POST", "/api/v3/repos/o/r/issues/7/comments", "tok", CreateComment, 201},
		{"GET", "/api/v3/repos/o/r/issues/7/comments", "", ListComments, 401},
		{"GET", "/api/v3/repos/x/y/issues/7/comments", "tok", ListComments, 404},
		{"GET", "/api/v3/user", "tok", User, 403},
		{"POST", "/api/graphql", "tok", GraphQL, 200},
		{"GET", "/api/v3/nothing", "tok", Unknown, 404},
	} {
		if resp := get(t, s, c.method, c.path, c.token); resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
		reqs := s.Requests()
		if last := reqs[len(reqs)-1]; last.Route != c.route || last.Method != c.method {
			t.Errorf("%s %s recorded as %s %s", c.method, c.path, last.Method, last.Route)
		}
	}
	if n := len(s.Requests()); n != 7 {
		t.Errorf("%d requests recorded, want 7", n)
	}
	if got := s.Comments(); len(got) != 1 || got[0].Login != JobLogin || got[0].Type != "Bot" || got[0].Body != "hi" {
		t.Errorf("comments %+v, want one by the job's token", got)
	}
}

func TestServerPages(t *testing.T) {
	t.Parallel()
	s := New(t, "", "o", "r")
	for i := 0; i < 250; i++ {
		s.Files = append(s.Files, "f")
	}
	next := "/api/v3/repos/o/r/pulls/7/files?per_page=1000"
	var sizes []int
	for pages := 0; next != "" && pages < 10; pages++ {
		resp := get(t, s, "GET", next, "")
		var items []any
		if err := json.NewDecoder(resp.Body).Decode(&items); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, len(items))
		next = ""
		for _, l := range strings.Split(resp.Header.Get("Link"), ", ") {
			if u, ok := strings.CutSuffix(l, `>; rel="next"`); ok {
				p, _ := url.Parse(strings.TrimPrefix(u, "<"))
				next = p.RequestURI()
			}
		}
	}
	if len(sizes) != 3 || sizes[0] != MaxPerPage || sizes[2] != 50 {
		t.Errorf("page sizes %v, want [100 100 50]", sizes)
	}
}

func TestViewer(t *testing.T) {
	t.Parallel()
	s := New(t, "", "o", "r")
	s.Viewer = "octocat"
	resp := get(t, s, "GET", "/api/v3/user", "")
	var u struct{ Login string }
	if err := json.NewDecoder(resp.Body).Decode(&u); err != nil || resp.StatusCode != 200 || u.Login != "octocat" {
		t.Errorf("GET /user for a user's token: %d %+v %v", resp.StatusCode, u, err)
	}
	req, _ := http.NewRequest("POST", s.URL+"/api/graphql", strings.NewReader(`{"query":"query { viewer { login } }"}`))
	gresp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer gresp.Body.Close()
	var g struct {
		Data struct{ Viewer struct{ Login string } }
	}
	if err := json.NewDecoder(gresp.Body).Decode(&g); err != nil || g.Data.Viewer.Login != "octocat" {
		t.Errorf("viewer %+v, %v; want octocat", g, err)
	}
}

func TestReviewsTeamsAndIssues(t *testing.T) {
	t.Parallel()
	s := New(t, "tok", "o", "r")
	s.AddReview(7, "alice", "APPROVED", "c1")
	s.Teams["org/dba"] = []string{"alice"}
	for _, c := range []struct {
		method, path, route string
		status              int
	}{
		{"GET", "/api/v3/repos/o/r/pulls/7/reviews", ListReviews, 200},
		{"GET", "/api/v3/orgs/org/teams/dba/memberships/alice", TeamMember, 200},
		{"GET", "/api/v3/orgs/org/teams/dba/memberships/bob", TeamMember, 404},
		{"GET", "/api/v3/orgs/org/teams/dba", Team, 200},
		{"GET", "/api/v3/orgs/org/teams/nope", Team, 404},
		{"POST", "/api/v3/repos/o/r/issues", CreateIssue, 422}, // no title
		{"GET", "/api/v3/repos/o/r/issues?state=all", ListIssues, 200},
		{"PATCH", "/api/v3/repos/o/r/issues/999", EditIssue, 404},
	} {
		if resp := get(t, s, c.method, c.path, "tok"); resp.StatusCode != c.status {
			t.Errorf("%s %s: status %d, want %d", c.method, c.path, resp.StatusCode, c.status)
		}
		reqs := s.Requests()
		if last := reqs[len(reqs)-1]; last.Route != c.route {
			t.Errorf("%s %s recorded as %s", c.method, c.path, last.Route)
		}
	}
	is := s.AddIssue("bob", "t", "b", "closed")
	resp := get(t, s, "GET", "/api/v3/repos/o/r/issues", "tok")
	var open []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&open); err != nil || len(open) != 0 {
		t.Errorf("open issues %v (%v), want none: the default state is open", open, err)
	}
	resp = get(t, s, "GET", "/api/v3/repos/o/r/issues?state=closed&creator=BOB", "tok")
	var closed []map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&closed); err != nil || len(closed) != 1 || closed[0]["number"] != float64(is.Number) {
		t.Errorf("closed issues by bob %v (%v), want #%d", closed, err, is.Number)
	}
}
