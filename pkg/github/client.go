// Package github is the gate's one GitHub REST API client: the changed files
// of a pull request, the sticky pull request comment, open pull requests and
// the names of Actions secrets, with retries that honour GitHub's rate
// limits. It works against github.com and GitHub Enterprise.
//
// Every request is bounded (see Config): the token is sent to the API's own
// scheme and host only and a redirect elsewhere is refused; each answer,
// headers and body, arrives within AttemptTimeout and holds at most MaxBody
// bytes; listings stop at a documented number of pages; and all the requests
// of a run, with the waits between retries, share one deadline (a Meter).
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	gh "github.com/google/go-github/v60/github"

	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
)

// Bounds of every client.
const (
	// DefaultAttemptTimeout bounds each answer, its headers and its whole
	// body, per attempt.
	DefaultAttemptTimeout = 30 * time.Second
	// MaxBody is the largest answer read, in bytes: a page of 100 comments
	// of the longest body GitHub accepts (65,536 characters) stays under it.
	MaxBody = 32 << 20
	// DefaultRunLimit is the API time of a run (see Meter).
	DefaultRunLimit = safehttp.DefaultRunLimit
)

// Meter bounds the API time of a run: the time during which at least one
// request is under way (its body and the waits between its retries
// included), summed over the run. Share one between the clients of a run.
type Meter = safehttp.Meter

// NewMeter returns a meter of limit (0: DefaultRunLimit).
func NewMeter(limit time.Duration) *Meter { return safehttp.NewMeter(limit) }

// Config configures a Client.
type Config struct {
	// APIURL is the REST API's base (GITHUB_API_URL); empty means
	// https://api.github.com. GitHub Enterprise Server's is
	// https://HOST/api/v3; a bare https://HOST (no path) means that too, as
	// for go-github's WithEnterpriseURLs, unless HOST is an api.* host
	// (api.github.com, GHE.com's api.TENANT.ghe.com).
	APIURL string
	// Repository is "owner/name".
	Repository string
	// Token authenticates every request to the API's host, and no other.
	Token string
	// Sleep, Now and RetryBudget configure the retries (see Retry).
	Sleep       func(ctx context.Context, d time.Duration) error
	Now         func() time.Time
	RetryBudget time.Duration
	// UserAgent names the client; empty means "upgradegate".
	UserAgent string
	// AttemptTimeout bounds each answer, headers and body, so that a server
	// that never answers or drips its answer costs one attempt; 0 means
	// DefaultAttemptTimeout.
	AttemptTimeout time.Duration
	// MaxBody bounds each answer's body, in bytes; 0 means MaxBody.
	MaxBody int64
	// Meter bounds the API time of the run; nil means a new one of
	// DefaultRunLimit for this client.
	Meter *Meter
	// Transport sends the requests; nil means a clone of
	// http.DefaultTransport (which honours HTTPS_PROXY and NO_PROXY).
	Transport http.RoundTripper
}

// Client talks to one repository.
type Client struct {
	gh          *gh.Client
	graphQL     string // the GraphQL endpoint's URL
	owner, repo string

	id identity // who the token is, once known
}

// New returns a client for cfg.Repository.
func New(cfg Config) (*Client, error) {
	owner, name, ok := strings.Cut(cfg.Repository, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("repository %q: expected owner/name", cfg.Repository)
	}
	base, err := ParseAPIURL(cfg.APIURL)
	if err != nil {
		return nil, err
	}
	transport := cfg.Transport
	if transport == nil {
		transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	attempt := &safehttp.Attempt{Base: transport, Timeout: cfg.AttemptTimeout, MaxBody: cfg.MaxBody}
	if attempt.Timeout <= 0 {
		attempt.Timeout = DefaultAttemptTimeout
	}
	if attempt.MaxBody <= 0 {
		attempt.MaxBody = MaxBody
	}
	auth := &authTransport{base: attempt, origin: base, token: cfg.Token}
	retry := &Retry{Base: auth, Budget: cfg.RetryBudget, Sleep: cfg.Sleep, Now: cfg.Now}
	meter := cfg.Meter
	if meter == nil {
		meter = NewMeter(0)
	}
	// go-github would set Authorization on every request, wherever a
	// redirect leads: the token is set by authTransport, for the API's
	// origin only, and redirects elsewhere are refused
	hc := safehttp.SameHostRedirects(&http.Client{Transport: meter.Transport(retry)})
	c := gh.NewClient(hc)
	c.BaseURL = base
	c.UserAgent = cfg.UserAgent
	if c.UserAgent == "" {
		c.UserAgent = "upgradegate"
	}
	return &Client{gh: c, graphQL: graphQLURL(base), owner: owner, repo: name}, nil
}

// ParseAPIURL reads a REST API base URL as New does: "" means github.com's,
// and the result ends with a slash (see Config.APIURL).
func ParseAPIURL(raw string) (*url.URL, error) {
	if raw == "" {
		raw = "https://api.github.com"
	}
	base, err := url.Parse(raw)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("API URL %q: expected an http(s) URL such as https://api.github.com", raw)
	}
	base.User = nil
	return normalizeAPIURL(base), nil
}

// authTransport sets the token on the requests to the API's scheme and host.
type authTransport struct {
	base   http.RoundTripper
	origin *url.URL
	token  string
}

func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.token == "" || !safehttp.SameOrigin(t.origin, req.URL) {
		return t.base.RoundTrip(req)
	}
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+t.token)
	return t.base.RoundTrip(r)
}

// normalizeAPIURL ends the API base with a slash, and gives a GitHub
// Enterprise Server host without a path its /api/v3/.
func normalizeAPIURL(u *url.URL) *url.URL {
	u2 := *u
	host := strings.ToLower(u2.Hostname())
	if (u2.Path == "" || u2.Path == "/") && !strings.HasPrefix(host, "api.") && !strings.Contains(host, ".api.") {
		u2.Path = "/api/v3/"
	}
	if !strings.HasSuffix(u2.Path, "/") {
		u2.Path += "/"
	}
	u2.RawPath = ""
	return &u2
}

// graphQLURL is the GraphQL endpoint beside a REST base: /graphql on
// api.github.com, /api/graphql beside GitHub Enterprise Server's /api/v3/.
func graphQLURL(base *url.URL) string {
	u := *base
	if strings.HasSuffix(u.Path, "/api/v3/") {
		u.Path = strings.TrimSuffix(u.Path, "v3/") + "graphql"
	} else {
		u.Path += "graphql"
	}
	return u.String()
}

// StatusCode returns the HTTP status of an API error, or 0.
func StatusCode(err error) int {
	var er *gh.ErrorResponse
	if errors.As(err, &er) && er.Response != nil {
		return er.Response.StatusCode
	}
	var rl *gh.RateLimitError
	if errors.As(err, &rl) && rl.Response != nil {
		return rl.Response.StatusCode
	}
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &ab) && ab.Response != nil {
		return ab.Response.StatusCode
	}
	return 0
}

// The errors of the bounds, for errors.As.
type (
	// RedirectError is a redirect to another host, refused.
	RedirectError = safehttp.RedirectError
	// LimitError is an answer longer than MaxBody.
	LimitError = safehttp.LimitError
	// DeadlineError is an answer or a run out of time.
	DeadlineError = safehttp.DeadlineError
)

// PageLimitError is a listing that still had a next page at its limit.
type PageLimitError struct {
	What  string // "comments of #3"
	Pages int
}

func (e *PageLimitError) Error() string {
	return fmt.Sprintf("GitHub still had more %s after %d pages, the most the gate reads", e.What, e.Pages)
}

// apiError names the operation that failed and GitHub's answer, without
// the request URL; it unwraps to the cause.
type apiError struct {
	op  string
	err error
}

func wrap(op string, err error) error { return &apiError{op: op, err: err} }

func (e *apiError) Error() string {
	var er *gh.ErrorResponse
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	var redirect *RedirectError
	var limit *LimitError
	var deadline *DeadlineError
	var pages *PageLimitError
	switch {
	case errors.As(e.err, &rl):
		return fmt.Sprintf("%s: rate limit exceeded until %s", e.op, rl.Rate.Reset.Format(time.RFC3339))
	case errors.As(e.err, &ab):
		return fmt.Sprintf("%s: secondary rate limit: %s", e.op, ab.Message)
	case errors.As(e.err, &er) && er.Response != nil:
		return fmt.Sprintf("%s: %s: %s", e.op, er.Response.Status, er.Message)
	case errors.As(e.err, &redirect):
		return fmt.Sprintf("%s: %v", e.op, redirect)
	case errors.As(e.err, &limit):
		return fmt.Sprintf("%s: %v", e.op, limit)
	case errors.As(e.err, &deadline):
		return fmt.Sprintf("%s: %v", e.op, deadline)
	case errors.As(e.err, &pages):
		return fmt.Sprintf("%s: %v", e.op, pages)
	}
	return fmt.Sprintf("%s: %v", e.op, e.err)
}

func (e *apiError) Unwrap() error { return e.err }

// IsForbidden reports whether err is a 403 that is not a rate limit: the
// token may not do this (a fork's read-only token, missing permissions).
func IsForbidden(err error) bool {
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	if errors.As(err, &rl) || errors.As(err, &ab) {
		return false
	}
	var er *gh.ErrorResponse
	return errors.As(err, &er) && er.Response != nil && er.Response.StatusCode == http.StatusForbidden
}

// pages calls list for page 1, 2, ... (as the answers' next pages say)
// until there is no next page, and fails with a *PageLimitError when there
// still is one after max pages. list returns the next page, 0 for none.
func pages(max int, what string, list func(opt gh.ListOptions) (next int, err error)) error {
	opt := gh.ListOptions{PerPage: 100}
	for n := 1; ; n++ {
		next, err := list(opt)
		if err != nil || next == 0 {
			return err
		}
		if n >= max {
			return &PageLimitError{What: what, Pages: max}
		}
		opt.Page = next
	}
}

// Page limits of the listings (100 entries a page).
const (
	// MaxChangedFiles is the most files the API lists for a pull request.
	MaxChangedFiles = 3000
	// MaxChangedFilePages reads MaxChangedFiles.
	MaxChangedFilePages = MaxChangedFiles / 100
	// MaxCommentPages bounds the comments of a pull request read: 5,000.
	MaxCommentPages = 50
	// MaxPullRequestPages bounds the open pull requests of one branch read.
	MaxPullRequestPages = 10
	// MaxSecretPages bounds one scope's secret names read: 2,000 (GitHub
	// allows 1,000 organization secrets and 100 per repository or
	// environment).
	MaxSecretPages = 20
)

// ChangedFiles lists the files a pull request changes (a renamed file under
// both names), 100 per page. complete is false when the list stops at
// MaxChangedFiles and may miss some. A listing that still has a next page
// after MaxChangedFilePages pages fails with a *PageLimitError.
func (c *Client) ChangedFiles(ctx context.Context, number int) (files []string, complete bool, err error) {
	n := 0
	what := fmt.Sprintf("files of pull request #%d", number)
	err = pages(MaxChangedFilePages, what, func(opt gh.ListOptions) (int, error) {
		page, resp, err := c.gh.PullRequests.ListFiles(ctx, c.owner, c.repo, number, &opt)
		if err != nil {
			return 0, err
		}
		for _, f := range page {
			n++
			files = append(files, f.GetFilename())
			if p := f.GetPreviousFilename(); p != "" {
				files = append(files, p)
			}
		}
		if n >= MaxChangedFiles {
			return 0, nil
		}
		return resp.NextPage, nil
	})
	if err != nil {
		// past MaxChangedFilePages pages the answers were not full pages:
		// the listing is wrong, not long
		return nil, false, wrap("list "+what, err)
	}
	return files, n < MaxChangedFiles, nil
}

// PullRequest is what the gate needs of a pull request.
type PullRequest struct {
	Number   int
	HeadSHA  string
	HeadRepo string // owner/name; "" when the fork was deleted
	HeadRef  string
	// Author and ChangedFiles are filled by Pull only.
	Author       string // the login of who opened it
	ChangedFiles int
}

// Pull reads pull request number (GET /repos/{owner}/{repo}/pulls/{number}):
// what a merge group's run knows of the pull request it merges, which its
// event names only by number. Reading it takes pull-requests: read.
func (c *Client) Pull(ctx context.Context, number int) (PullRequest, error) {
	p, _, err := c.gh.PullRequests.Get(ctx, c.owner, c.repo, number)
	if err != nil {
		return PullRequest{}, wrap(fmt.Sprintf("read pull request #%d", number), err)
	}
	return PullRequest{Number: p.GetNumber(), HeadSHA: p.GetHead().GetSHA(), HeadRepo: p.GetHead().GetRepo().GetFullName(),
		HeadRef: p.GetHead().GetRef(), Author: p.GetUser().GetLogin(), ChangedFiles: p.GetChangedFiles()}, nil
}

// OpenPullRequests lists the open pull requests whose head is branch of
// headRepo ("owner/name") at commit sha: the pull requests a workflow_run
// event is about, found without trusting anything the run uploaded. It reads
// at most MaxPullRequestPages pages.
func (c *Client) OpenPullRequests(ctx context.Context, headRepo, branch, sha string) ([]PullRequest, error) {
	owner, _, _ := strings.Cut(headRepo, "/")
	var out []PullRequest
	what := fmt.Sprintf("pull requests from %s:%s", owner, branch)
	err := pages(MaxPullRequestPages, what, func(lo gh.ListOptions) (int, error) {
		opt := &gh.PullRequestListOptions{State: "open", Head: owner + ":" + branch, ListOptions: lo}
		page, resp, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, opt)
		if err != nil {
			return 0, err
		}
		for _, p := range page {
			pr := PullRequest{Number: p.GetNumber(), HeadSHA: p.GetHead().GetSHA(),
				HeadRepo: p.GetHead().GetRepo().GetFullName(), HeadRef: p.GetHead().GetRef()}
			if pr.HeadSHA == sha && strings.EqualFold(pr.HeadRepo, headRepo) && pr.HeadRef == branch {
				out = append(out, pr)
			}
		}
		return resp.NextPage, nil
	})
	if err != nil {
		return nil, wrap("list "+what, err)
	}
	return out, nil
}
