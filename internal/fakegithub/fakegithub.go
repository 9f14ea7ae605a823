// Package fakegithub is the project's one fake of the GitHub API, for tests:
// the REST endpoints the gate calls (pull request files, comments and
// reviews, pull requests, issues, team membership, the user, the repository,
// Actions secrets, Git trees and blobs) and GraphQL's viewer,
// laid out as GitHub Enterprise Server lays them out (REST under /api/v3,
// GraphQL at /api/graphql), which is what go-github uses for any base URL but
// api.github.com. It listens on 127.0.0.1 only, records every request (an
// unknown one too) and answers within bounded loops: a listing is served one
// page at a time, and nothing in it waits longer than the client or the test
// (Hang).
package fakegithub

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Route names, the keys of Server.Status and Server.Inject and what
// Request.Route holds.
const (
	ListComments  = "list-comments"  // GET /repos/O/R/issues/N/comments
	CreateComment = "create-comment" // POST /repos/O/R/issues/N/comments
	EditComment   = "edit-comment"   // PATCH /repos/O/R/issues/comments/ID
	DeleteComment = "delete-comment" // DELETE /repos/O/R/issues/comments/ID
	PullFiles     = "pull-files"     // GET /repos/O/R/pulls/N/files
	ListPulls     = "list-pulls"     // GET /repos/O/R/pulls
	GetPull       = "get-pull"       // GET /repos/O/R/pulls/N
	User          = "user"           // GET /user
	GraphQL       = "graphql"        // POST /api/graphql
	RepoInfo      = "repo"           // GET /repos/O/R
	RepoSecrets   = "repo-secrets"   // GET /repos/O/R/actions/secrets
	OrgSecrets    = "org-secrets"    // GET /repos/O/R/actions/organization-secrets
	EnvSecrets    = "env-secrets"    // GET /repositories/ID/environments/ENV/secrets ("env-secrets:ENV" too)
	ListReviews   = "list-reviews"   // GET /repos/O/R/pulls/N/reviews
	TeamMember    = "team-member"    // GET /orgs/ORG/teams/TEAM/memberships/USER
	Team          = "team"           // GET /orgs/ORG/teams/TEAM
	ListIssues    = "list-issues"    // GET /repos/O/R/issues
	CreateIssue   = "create-issue"   // POST /repos/O/R/issues
	EditIssue     = "edit-issue"     // PATCH /repos/O/R/issues/N
	GitTree       = "git-tree"       // GET /repos/O/R/git/trees/SHA (?recursive=1)
	GitBlob       = "git-blob"       // GET /repos/O/R/git/blobs/SHA
	Unknown       = "unknown"        // anything else: 404
)

// JobLogin is the author of what the job's token writes.
const JobLogin = "github-actions[bot]"

// MaxPerPage is the most items a page holds, whatever per_page asks.
const MaxPerPage = 100

// Request is one request the server received.
type Request struct {
	Method string
	// Path is the decoded path as sent (/api/v3/...); EscapedPath is it
	// "%2F" and all; APIPath is Path under the REST base (/repos/...).
	Path, EscapedPath, APIPath string
	Query                      url.Values
	RawQuery                   string
	Header                     http.Header
	Body                       string
	// Route names the endpoint (ListComments, ...), Unknown for anything else.
	Route string
}

// String is "METHOD APIPATH?QUERY", for diffs of request sequences.
func (r Request) String() string { return r.Method + " " + r.APIPath + "?" + r.RawQuery }

// Count counts the requests of a route among reqs.
func Count(reqs []Request, route string) int {
	n := 0
	for _, r := range reqs {
		if r.Route == route {
			n++
		}
	}
	return n
}

// Recorder records requests; its methods are safe for concurrent use. The
// other fakes of the tests (Vault, a redirect's sink) embed it too.
type Recorder struct {
	mu       sync.Mutex
	requests []Request
}

// Record records req (with body, read already) under route and returns the
// record.
func (r *Recorder) Record(req *http.Request, body []byte, route string) Request {
	rec := Request{Method: req.Method, Path: req.URL.Path, EscapedPath: req.URL.EscapedPath(),
		APIPath: strings.TrimPrefix(req.URL.Path, "/api/v3"), Query: req.URL.Query(), RawQuery: req.URL.RawQuery,
		Header: req.Header.Clone(), Body: string(body), Route: route}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests = append(r.requests, rec)
	return rec
}

// Requests returns a copy of the requests received so far, in order.
func (r *Recorder) Requests() []Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Request(nil), r.requests...)
}

// Calls counts the requests whose decoded path is p.
func (r *Recorder) Calls(p string) int {
	n := 0
	for _, q := range r.Requests() {
		if q.Path == p {
			n++
		}
	}
	return n
}

// Answer is a canned answer (Server.Inject).
type Answer struct {
	Status int
	Header map[string]string
	Body   string
}

// Comment is a pull request comment the server holds.
type Comment struct {
	ID      int64
	Issue   int
	Body    string
	Login   string
	Type    string // "Bot" or "User"
	Created time.Time
}

// Server fakes the API for one repository. Set its fields before the first
// request, except through its methods.
type Server struct {
	*httptest.Server
	Recorder

	// Token is the token accepted as "Authorization: Bearer TOKEN"; other
	// requests get 401. Empty accepts any.
	Token       string
	Owner, Repo string
	RepoID      int64
	// Viewer is who the token is: GraphQL's viewer login and the author of
	// the comments the token writes; "" is JobLogin, the job's token. A
	// login ending in "[bot]" is a Bot (an installation token): GET /user
	// answers it 403. Any other is a User, whom GET /user names.
	Viewer string
	// ReadOnly answers 403 to comment writes, as for a fork's token.
	ReadOnly bool

	// Files are the changed files of every pull request.
	Files []string
	// Pulls answer GET /repos/O/R/pulls, filtered by ?head=OWNER:BRANCH,
	// and GET /repos/O/R/pulls/N by "number" (404 for another); each has
	// "number" and "head": {"sha", "ref", "repo": {"full_name"}}, and may
	// have "user": {"login"} and "changed_files".
	Pulls []map[string]any

	// PageSize bounds the secrets per page (the client's per_page may lower
	// it); 0 means 100.
	PageSize   int
	RepoSecret []string
	OrgSecret  []string            // organization secrets shared with the repository
	EnvSecret  map[string][]string // environment name -> secret names

	// Reviews are the reviews of each pull request, oldest first (see
	// AddReview).
	Reviews map[int][]Review
	// Teams are the organization's teams, "org/team-slug" -> the logins of
	// their active members. A team not listed does not exist (404).
	Teams map[string][]string

	// Status answers every request of a route with a status instead (for
	// EnvSecrets also "env-secrets:NAME").
	Status map[string]int
	// Inject answers the next requests of a route with these answers, in
	// order, before answering normally.
	Inject map[string][]Answer
	// Hang holds every answer back (a server that never answers) until the
	// client gives up or the test ends: a client's timeout always fires,
	// however loaded the machine, so no test depends on how long it takes.
	Hang bool
	// RedirectTo, when set, answers every request with a 307 to the same
	// path and query under this base URL (another server, say).
	RedirectTo string
	// TreeLimit, when positive, stops a recursive tree listing at that
	// many entries with truncated: true, as GitHub does past 100,000
	// entries or 7 MB (see AddCommit for the commits served).
	TreeLimit int
	// Before and After, when set, run before a request is answered and once
	// it has been, without the server's lock (they may call its methods).
	Before, After func(Request)

	mu       sync.Mutex
	comments []*Comment
	nextID   int64
	issues   []*Issue
	// nextIssue numbers the issues (shared with pull requests on GitHub).
	nextIssue int
	// ended is closed when the test ends, releasing the handlers that Hang.
	ended chan struct{}
	// objects are the blobs and trees by git name, commits the root tree
	// of each commit (AddCommit)
	objects map[string]*gitObject
	commits map[string]string
}

// New starts a fake for repository owner/name that accepts token (closed
// when t ends).
func New(t testing.TB, token, owner, name string) *Server {
	s := &Server{Token: token, Owner: owner, Repo: name, RepoID: 4242, EnvSecret: map[string][]string{},
		Status: map[string]int{}, Inject: map[string][]Answer{}, nextID: 1000,
		Reviews: map[int][]Review{}, Teams: map[string][]string{}, nextIssue: 100, ended: make(chan struct{})}
	s.Server = Start(t, http.HandlerFunc(s.serve))
	t.Cleanup(func() { close(s.ended) }) // runs before Start's Close, which waits for the handlers
	return s
}

// Start starts h on 127.0.0.1 (closed when t ends).
func Start(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("fakegithub: listen on 127.0.0.1: %v", err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

// APIURL is the REST base, what GITHUB_API_URL says on GitHub Enterprise
// Server.
func (s *Server) APIURL() string { return s.URL + "/api/v3" }

var (
	reIssueComments = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/issues/(\d+)/comments$`)
	reComment       = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/issues/comments/(\d+)$`)
	rePullFiles     = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/pulls/(\d+)/files$`)
	rePulls         = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/pulls$`)
	rePull          = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/pulls/(\d+)$`)
	reRepo          = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)$`)
	reRepoSecrets   = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/actions/secrets$`)
	reOrgSecrets    = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/actions/organization-secrets$`)
	reEnvSecrets    = regexp.MustCompile(`^/api/v3/repositories/([^/]+)/environments/([^/]+)/secrets$`)
	reReviews       = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/pulls/(\d+)/reviews$`)
	reTeamMember    = regexp.MustCompile(`^/api/v3/orgs/([^/]+)/teams/([^/]+)/memberships/([^/]+)$`)
	reTeam          = regexp.MustCompile(`^/api/v3/orgs/([^/]+)/teams/([^/]+)$`)
	reIssues        = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/issues$`)
	reIssue         = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/issues/(\d+)$`)
	reGitTree       = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/git/trees/([^/]+)$`)
	reGitBlob       = regexp.MustCompile(`^/api/v3/repos/([^/]+)/([^/]+)/git/blobs/([^/]+)$`)
)

// route names the endpoint of a request and returns the path's parts.
func route(method, escaped string) (string, []string) {
	for _, r := range []struct {
		method, name string
		re           *regexp.Regexp
	}{
		{"GET", ListComments, reIssueComments}, {"POST", CreateComment, reIssueComments},
		{"PATCH", EditComment, reComment}, {"DELETE", DeleteComment, reComment},
		{"GET", PullFiles, rePullFiles}, {"GET", ListPulls, rePulls}, {"GET", GetPull, rePull}, {"GET", RepoInfo, reRepo},
		{"GET", RepoSecrets, reRepoSecrets}, {"GET", OrgSecrets, reOrgSecrets}, {"GET", EnvSecrets, reEnvSecrets},
		{"GET", ListReviews, reReviews}, {"GET", TeamMember, reTeamMember}, {"GET", Team, reTeam},
		{"GET", ListIssues, reIssues}, {"POST", CreateIssue, reIssues}, {"PATCH", EditIssue, reIssue},
		{"GET", GitTree, reGitTree}, {"GET", GitBlob, reGitBlob},
	} {
		if m := r.re.FindStringSubmatch(escaped); m != nil && method == r.method {
			parts := make([]string, len(m)-1)
			for i, p := range m[1:] {
				parts[i], _ = url.PathUnescape(p)
			}
			return r.name, parts
		}
	}
	switch {
	case method == "GET" && escaped == "/api/v3/user":
		return User, nil
	case method == "POST" && escaped == "/api/graphql":
		return GraphQL, nil
	}
	return Unknown, nil
}

// HoldCreatesUntilListed makes every comment creation wait until n comment
// listings have been answered: n runs that each list before any creates, the
// race that can leave duplicate comments. A creation waits at most 30 s, so
// a run that never lists cannot hang the test. It sets Before and After.
func (s *Server) HoldCreatesUntilListed(n int) { s.holdUntilListed(n, ListComments, CreateComment) }

// HoldIssueCreatesUntilListed is HoldCreatesUntilListed for issues: every
// issue creation waits until n issue listings have been answered.
func (s *Server) HoldIssueCreatesUntilListed(n int) { s.holdUntilListed(n, ListIssues, CreateIssue) }

func (s *Server) holdUntilListed(n int, list, create string) {
	var mu sync.Mutex
	answered := 0
	listed := make(chan struct{})
	s.After = func(r Request) {
		if r.Route != list {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		if answered++; answered == n {
			close(listed)
		}
	}
	s.Before = func(r Request) {
		if r.Route != create {
			return
		}
		select {
		case <-listed:
		case <-time.After(30 * time.Second):
		}
	}
}

// maxBody bounds the request bodies the server reads.
const maxBody = 1 << 20

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, maxBody))
	name, parts := route(r.Method, r.URL.EscapedPath())
	rec := s.Record(r, body, name)
	if s.Before != nil {
		s.Before(rec)
	}
	if s.After != nil {
		defer s.After(rec)
	}
	if s.Hang {
		select {
		case <-r.Context().Done():
		case <-s.ended:
		}
		return
	}
	if s.RedirectTo != "" {
		http.Redirect(w, r, s.RedirectTo+r.URL.RequestURI(), http.StatusTemporaryRedirect)
		return
	}
	if s.Token != "" && r.Header.Get("Authorization") != "Bearer "+s.Token {
		writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Bad credentials"})
		return
	}
	if name != Unknown && name != User && name != GraphQL && name != EnvSecrets && name != TeamMember && name != Team &&
		parts[0]+"/"+parts[1] != s.Owner+"/"+s.Repo {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
		return
	}
	if a, ok := s.injected(name); ok {
		for k, v := range a.Header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(a.Status)
		io.WriteString(w, a.Body)
		return
	}
	keys := []string{name}
	if name == EnvSecrets {
		keys = append(keys, EnvSecrets+":"+parts[1])
	}
	for _, k := range keys {
		if code, ok := s.Status[k]; ok {
			msg := http.StatusText(code)
			if code == http.StatusForbidden {
				msg = "Resource not accessible by personal access token"
			}
			writeJSON(w, code, map[string]string{"message": msg})
			return
		}
	}
	switch name {
	case ListComments:
		issue, _ := strconv.Atoi(parts[2])
		s.page(w, r, s.commentsJSON(issue))
	case CreateComment:
		if s.ReadOnly {
			forbidden(w)
			return
		}
		issue, _ := strconv.Atoi(parts[2])
		var in struct{ Body string }
		if err := json.Unmarshal(body, &in); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
			return
		}
		login := s.viewer()
		c := s.AddComment(issue, login, loginType(login), in.Body)
		writeJSON(w, http.StatusCreated, c.json())
	case EditComment, DeleteComment:
		if s.ReadOnly {
			forbidden(w)
			return
		}
		id, _ := strconv.ParseInt(parts[2], 10, 64)
		s.writeComment(w, r.Method, id, body)
	case PullFiles:
		list := make([]any, len(s.Files))
		for i, name := range s.Files {
			list[i] = map[string]any{"filename": name, "status": "modified"}
		}
		s.page(w, r, list)
	case GetPull:
		for _, p := range s.Pulls {
			if n, ok := p["number"].(int); ok && strconv.Itoa(n) == parts[2] {
				writeJSON(w, http.StatusOK, p)
				return
			}
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	case ListPulls:
		var list []any
		for _, p := range s.Pulls {
			head, _ := p["head"].(map[string]any)
			repo, _ := head["repo"].(map[string]any)
			full, _ := repo["full_name"].(string)
			ref, _ := head["ref"].(string)
			owner, _, _ := strings.Cut(full, "/")
			if r.URL.Query().Get("head") == owner+":"+ref {
				list = append(list, p)
			}
		}
		s.page(w, r, list)
	case User:
		if login := s.viewer(); loginType(login) == "User" {
			writeJSON(w, http.StatusOK, map[string]any{"login": login, "type": "User"})
			return
		}
		forbidden(w)
	case GraphQL:
		s.graphQL(w, body)
	case RepoInfo:
		writeJSON(w, http.StatusOK, map[string]any{"id": s.RepoID, "name": s.Repo, "full_name": s.Owner + "/" + s.Repo})
	case RepoSecrets:
		s.secretsPage(w, r, s.RepoSecret)
	case OrgSecrets:
		s.secretsPage(w, r, s.OrgSecret)
	case ListReviews, TeamMember, Team, ListIssues, CreateIssue, EditIssue:
		s.serveMore(w, r, name, parts, body)
	case GitTree:
		s.gitTree(w, r, parts[2])
	case GitBlob:
		s.gitBlob(w, r, parts[2])
	case EnvSecrets:
		names, ok := s.EnvSecret[parts[1]]
		if parts[0] != strconv.FormatInt(s.RepoID, 10) || !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return
		}
		s.secretsPage(w, r, names)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func (s *Server) injected(route string) (Answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.Inject[route]
	if len(q) == 0 {
		return Answer{}, false
	}
	s.Inject[route] = q[1:]
	return q[0], true
}

func (s *Server) viewer() string {
	if s.Viewer == "" {
		return JobLogin
	}
	return s.Viewer
}

func loginType(login string) string {
	if strings.HasSuffix(login, "[bot]") {
		return "Bot"
	}
	return "User"
}

// graphQL answers the viewer query, the only one the gate asks.
func (s *Server) graphQL(w http.ResponseWriter, body []byte) {
	var in struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal(body, &in); err != nil || !strings.Contains(in.Query, "viewer") {
		writeJSON(w, http.StatusOK, map[string]any{"errors": []map[string]string{{"message": "fakegithub: only the viewer query is served"}}})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"data": map[string]any{"viewer": map[string]any{"login": s.viewer()}}})
}

func (s *Server) writeComment(w http.ResponseWriter, method string, id int64, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, c := range s.comments {
		if c.ID != id {
			continue
		}
		if method == http.MethodDelete {
			s.comments = append(s.comments[:i], s.comments[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		var in struct{ Body string }
		if err := json.Unmarshal(body, &in); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
			return
		}
		c.Body = in.Body
		writeJSON(w, http.StatusOK, c.json())
		return
	}
	writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
}

// AddComment stores a comment on issue as if login had written it.
func (s *Server) AddComment(issue int, login, typ, body string) Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	c := &Comment{ID: s.nextID, Issue: issue, Body: body, Login: login, Type: typ, Created: time.Now()}
	s.comments = append(s.comments, c)
	return *c
}

// Comments returns the comments of every issue, oldest first.
func (s *Server) Comments() []Comment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Comment, len(s.comments))
	for i, c := range s.comments {
		out[i] = *c
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

func (s *Server) commentsJSON(issue int) []any {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []any
	for _, c := range s.comments {
		if c.Issue == issue {
			out = append(out, c.json())
		}
	}
	return out
}

func (c *Comment) json() map[string]any {
	return map[string]any{
		"id": c.ID, "body": c.Body, "html_url": fmt.Sprintf("https://github.test/o/r/pull/%d#issuecomment-%d", c.Issue, c.ID),
		"user":       map[string]any{"login": c.Login, "type": c.Type},
		"created_at": c.Created.UTC().Format(time.RFC3339),
	}
}

func forbidden(w http.ResponseWriter) {
	writeJSON(w, http.StatusForbidden, map[string]string{"message": "Resource not accessible by integration",
		"documentation_url": "https://docs.github.com/rest/issues/comments#create-an-issue-comment", "status": "403"})
}

// page answers one page of a JSON array listing with the API's Link header.
func (s *Server) page(w http.ResponseWriter, r *http.Request, items []any) {
	q := r.URL.Query()
	per, _ := strconv.Atoi(q.Get("per_page"))
	if per <= 0 {
		per = 30
	}
	per = min(per, MaxPerPage)
	page, _ := strconv.Atoi(q.Get("page"))
	lo, hi, links := window(r, page, per, len(items))
	if links != "" {
		w.Header().Set("Link", links)
	}
	out := items[lo:hi]
	if out == nil {
		out = []any{}
	}
	writeJSON(w, http.StatusOK, out)
}

// secretsPage answers one page of a secrets listing.
func (s *Server) secretsPage(w http.ResponseWriter, r *http.Request, names []string) {
	size := MaxPerPage
	if s.PageSize > 0 {
		size = s.PageSize
	}
	if pp, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && pp > 0 && pp < size {
		size = pp
	}
	page, _ := strconv.Atoi(r.URL.Query().Get("page"))
	lo, hi, links := window(r, page, size, len(names))
	if links != "" {
		w.Header().Set("Link", links)
	}
	type secret struct {
		Name      string `json:"name"`
		CreatedAt string `json:"created_at"`
		UpdatedAt string `json:"updated_at"`
	}
	out := struct {
		TotalCount int      `json:"total_count"`
		Secrets    []secret `json:"secrets"`
	}{TotalCount: len(names), Secrets: []secret{}}
	for _, n := range names[lo:hi] {
		out.Secrets = append(out.Secrets, secret{n, "2026-01-10T10:00:00Z", "2026-01-10T10:00:00Z"})
	}
	writeJSON(w, http.StatusOK, out)
}

// window returns the bounds of page (1-based; <1 is 1) of n items, per a
// page, and the Link header for it.
func window(r *http.Request, page, per, n int) (lo, hi int, links string) {
	page = max(page, 1)
	last := max((n+per-1)/per, 1)
	link := func(p int, rel string) string {
		u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path}
		q := r.URL.Query()
		q.Set("page", strconv.Itoa(p))
		u.RawQuery = q.Encode()
		return fmt.Sprintf("<%s>; rel=%q", u.String(), rel)
	}
	var ls []string
	if page < last {
		ls = append(ls, link(page+1, "next"), link(last, "last"))
	}
	if page > 1 {
		ls = append(ls, link(1, "first"), link(page-1, "prev"))
	}
	return min((page-1)*per, n), min(page*per, n), strings.Join(ls, ", ")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var b bytes.Buffer
	_ = json.NewEncoder(&b).Encode(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}
