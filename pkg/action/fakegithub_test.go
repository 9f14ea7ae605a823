package action

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeGitHub answers like the GitHub REST API for one repository (o/r)
// under /api/v3 (as GitHub Enterprise Server does), and records every
// request.
type fakeGitHub struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	reqs     []request
	comments []*fakeComment
	nextID   int64
	// files are the pull requests' changed files.
	files []string
	// pulls answer GET /repos/o/r/pulls.
	pulls []map[string]any
	// login is who GET /user says the token is; "" answers 403, as for the
	// job's installation token. Comments are created by login, else by
	// github-actions[bot].
	login string
	// readOnly answers 403 to comment writes, as for a fork's token.
	readOnly bool
	// inject answers the next requests of a route ("POST comments") with
	// these answers before answering normally.
	inject map[string][]answer
	// onListComments, when set, runs (unlocked) before each comment listing.
	onListComments func()
	// afterListComments, when set, runs (unlocked) after each comment
	// listing has been answered.
	afterListComments func()
	// onCreate, when set, runs (unlocked) before a comment is created.
	onCreate func()
	// beforeCreate, when set, runs (locked) before a comment is created.
	beforeCreate func(f *fakeGitHub)
}

type request struct {
	Method, Path, Query, Body, Auth string
	// URLPath is the path as sent, with the /api/v3 prefix.
	URLPath string
}

func (r request) String() string { return r.Method + " " + r.Path + "?" + r.Query }

type answer struct {
	status int
	header map[string]string
	body   string
}

type fakeComment struct {
	ID      int64
	Body    string
	Login   string
	Type    string
	Created time.Time
}

const (
	fakeOwnerRepo = "o/r"
	botLogin      = "github-actions[bot]"
)

func newFakeGitHub(t *testing.T) *fakeGitHub {
	f := &fakeGitHub{t: t, nextID: 1000, inject: map[string][]answer{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// apiURL is what GITHUB_API_URL says.
func (f *fakeGitHub) apiURL() string { return f.srv.URL + "/api/v3" }

var (
	reIssueComments = regexp.MustCompile(`^/repos/o/r/issues/(\d+)/comments$`)
	reComment       = regexp.MustCompile(`^/repos/o/r/issues/comments/(\d+)$`)
	rePullFiles     = regexp.MustCompile(`^/repos/o/r/pulls/(\d+)/files$`)
)

func (f *fakeGitHub) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	path := strings.TrimPrefix(r.URL.Path, "/api/v3")
	route := routeName(r.Method, path)
	if route == "GET comments" && f.onListComments != nil {
		f.onListComments()
	}
	if route == "GET comments" && f.afterListComments != nil {
		defer f.afterListComments() // runs after the unlock below: defers run last first
	}
	if route == "POST comments" && f.onCreate != nil {
		f.onCreate()
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reqs = append(f.reqs, request{Method: r.Method, Path: path, Query: r.URL.RawQuery, Body: string(body),
		Auth: r.Header.Get("Authorization"), URLPath: r.URL.Path})
	w.Header().Set("Content-Type", "application/json")
	if q := f.inject[route]; len(q) > 0 {
		f.inject[route] = q[1:]
		for k, v := range q[0].header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(q[0].status)
		io.WriteString(w, q[0].body)
		return
	}
	switch route {
	case "GET comments":
		list := make([]map[string]any, len(f.comments))
		for i, c := range f.comments {
			list[i] = c.json()
		}
		f.page(w, r, list)
	case "POST comments":
		if f.readOnly {
			f.forbidden(w)
			return
		}
		if f.beforeCreate != nil {
			f.beforeCreate(f)
		}
		var in struct{ Body string }
		json.Unmarshal(body, &in)
		f.nextID++
		c := &fakeComment{ID: f.nextID, Body: in.Body, Login: botLogin, Type: "Bot", Created: time.Now()}
		if f.login != "" {
			c.Login, c.Type = f.login, "User"
		}
		f.comments = append(f.comments, c)
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(c.json())
	case "PATCH comment", "DELETE comment":
		if f.readOnly {
			f.forbidden(w)
			return
		}
		id, _ := strconv.ParseInt(reComment.FindStringSubmatch(path)[1], 10, 64)
		for i, c := range f.comments {
			if c.ID != id {
				continue
			}
			if r.Method == http.MethodDelete {
				f.comments = append(f.comments[:i], f.comments[i+1:]...)
				w.WriteHeader(http.StatusNoContent)
				return
			}
			var in struct{ Body string }
			json.Unmarshal(body, &in)
			c.Body = in.Body
			json.NewEncoder(w).Encode(c.json())
			return
		}
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"Not Found"}`)
	case "GET files":
		list := make([]map[string]any, len(f.files))
		for i, name := range f.files {
			list[i] = map[string]any{"filename": name, "status": "modified"}
		}
		f.page(w, r, list)
	case "GET pulls":
		var list []map[string]any
		for _, p := range f.pulls {
			head := p["head"].(map[string]any)
			owner, _, _ := strings.Cut(head["repo"].(map[string]any)["full_name"].(string), "/")
			if r.URL.Query().Get("head") == owner+":"+head["ref"].(string) {
				list = append(list, p)
			}
		}
		f.page(w, r, list)
	case "GET user":
		if f.login == "" {
			f.forbidden(w)
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"login": f.login, "type": "User"})
	default:
		f.t.Errorf("fake GitHub: unexpected request %s %s", r.Method, r.URL)
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"message":"Not Found"}`)
	}
}

func routeName(method, path string) string {
	switch {
	case reIssueComments.MatchString(path):
		return method + " comments"
	case reComment.MatchString(path):
		return method + " comment"
	case rePullFiles.MatchString(path):
		return method + " files"
	case path == "/repos/o/r/pulls":
		return method + " pulls"
	case path == "/user":
		return method + " user"
	}
	return method + " " + path
}

func (f *fakeGitHub) forbidden(w http.ResponseWriter) {
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, `{"message":"Resource not accessible by integration","documentation_url":"https://docs.github.com/rest/issues/comments#create-an-issue-comment","status":"403"}`)
}

// page answers one page of items with the API's Link header.
func (f *fakeGitHub) page(w http.ResponseWriter, r *http.Request, items []map[string]any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	page, _ := strconv.Atoi(q.Get("page"))
	if page <= 0 {
		page = 1
	}
	last := max((len(items)+per-1)/per, 1)
	link := func(p int) string {
		q.Set("page", strconv.Itoa(p))
		return fmt.Sprintf("<%s%s?%s>", f.srv.URL, r.URL.Path, q.Encode())
	}
	var links []string
	if page < last {
		links = append(links, link(page+1)+`; rel="next"`, link(last)+`; rel="last"`)
	}
	if page > 1 {
		links = append(links, link(1)+`; rel="first"`, link(page-1)+`; rel="prev"`)
	}
	if len(links) > 0 {
		w.Header().Set("Link", strings.Join(links, ", "))
	}
	lo, hi := min((page-1)*per, len(items)), min(page*per, len(items))
	out := items[lo:hi]
	if out == nil {
		out = []map[string]any{}
	}
	json.NewEncoder(w).Encode(out)
}

func (c *fakeComment) json() map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body, "html_url": fmt.Sprintf("https://github.test/o/r/pull/7#issuecomment-%d", c.ID),
		"user":       map[string]any{"login": c.Login, "type": c.Type},
		"created_at": c.Created.UTC().Format(time.RFC3339),
	}
}

// addComment stores a comment as if someone had written it.
func (f *fakeGitHub) addComment(login, typ, body string) *fakeComment {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.nextID++
	c := &fakeComment{ID: f.nextID, Body: body, Login: login, Type: typ, Created: time.Now()}
	f.comments = append(f.comments, c)
	return c
}

// ours returns the comments that carry the marker, oldest first.
func (f *fakeGitHub) withMarker(marker string) []fakeComment {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fakeComment
	for _, c := range f.comments {
		if strings.Contains(c.Body, marker) {
			out = append(out, *c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (f *fakeGitHub) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// count counts the requests of a route among reqs.
func count(reqs []request, route string) int {
	n := 0
	for _, r := range reqs {
		if routeName(r.Method, r.Path) == route {
			n++
		}
	}
	return n
}
