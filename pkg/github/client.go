// Package github is the gate's GitHub REST API client: the changed files of a
// pull request and the sticky pull request comment, with retries that honour
// GitHub's rate limits. It works against github.com and GitHub Enterprise.
package github

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	gh "github.com/google/go-github/v60/github"
)

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
	// Token authenticates every request.
	Token string
	// Sleep, Now and RetryBudget configure the retries (see Retry).
	Sleep       func(ctx context.Context, d time.Duration) error
	Now         func() time.Time
	RetryBudget time.Duration
	// UserAgent names the client; empty means "upgradegate".
	UserAgent string
	// AttemptTimeout bounds the wait for each answer's headers, so that a
	// server that never answers costs one attempt; 0 means 30 seconds.
	AttemptTimeout time.Duration
}

// Client talks to one repository.
type Client struct {
	gh          *gh.Client
	owner, repo string

	loginOnce sync.Once
	login     string
}

// New returns a client for cfg.Repository.
func New(cfg Config) (*Client, error) {
	owner, name, ok := strings.Cut(cfg.Repository, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, fmt.Errorf("repository %q: expected owner/name", cfg.Repository)
	}
	apiURL := cfg.APIURL
	if apiURL == "" {
		apiURL = "https://api.github.com"
	}
	base, err := url.Parse(apiURL)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return nil, fmt.Errorf("API URL %q: expected an http(s) URL such as https://api.github.com", apiURL)
	}
	base = normalizeAPIURL(base)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	// a server that accepts the connection and never answers costs one
	// attempt, not the whole run
	transport.ResponseHeaderTimeout = cfg.AttemptTimeout
	if transport.ResponseHeaderTimeout <= 0 {
		transport.ResponseHeaderTimeout = defaultAttemptTimeout
	}
	retry := &Retry{Base: transport, Budget: cfg.RetryBudget, Sleep: cfg.Sleep, Now: cfg.Now}
	c := gh.NewClient(&http.Client{Transport: retry}).WithAuthToken(cfg.Token)
	c.BaseURL = base
	c.UserAgent = cfg.UserAgent
	if c.UserAgent == "" {
		c.UserAgent = "upgradegate"
	}
	return &Client{gh: c, owner: owner, repo: name}, nil
}

// defaultAttemptTimeout bounds the wait for an answer's headers, per attempt.
const defaultAttemptTimeout = 30 * time.Second

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

// apiError names the operation that failed and GitHub's answer, without
// the request URL; it unwraps to go-github's error.
type apiError struct {
	op  string
	err error
}

func wrap(op string, err error) error { return &apiError{op: op, err: err} }

func (e *apiError) Error() string {
	var er *gh.ErrorResponse
	var rl *gh.RateLimitError
	var ab *gh.AbuseRateLimitError
	switch {
	case errors.As(e.err, &rl):
		return fmt.Sprintf("%s: rate limit exceeded until %s", e.op, rl.Rate.Reset.Format(time.RFC3339))
	case errors.As(e.err, &ab):
		return fmt.Sprintf("%s: secondary rate limit: %s", e.op, ab.Message)
	case errors.As(e.err, &er) && er.Response != nil:
		return fmt.Sprintf("%s: %s: %s", e.op, er.Response.Status, er.Message)
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

// MaxChangedFiles is the most files the API lists for a pull request.
const MaxChangedFiles = 3000

// ChangedFiles lists the files a pull request changes (a renamed file under
// both names), 100 per page. complete is false when the list stops at
// MaxChangedFiles and may miss some.
func (c *Client) ChangedFiles(ctx context.Context, number int) (files []string, complete bool, err error) {
	opt := &gh.ListOptions{PerPage: 100}
	n := 0
	for {
		page, resp, err := c.gh.PullRequests.ListFiles(ctx, c.owner, c.repo, number, opt)
		if err != nil {
			return nil, false, wrap(fmt.Sprintf("list files of pull request #%d", number), err)
		}
		for _, f := range page {
			n++
			files = append(files, f.GetFilename())
			if p := f.GetPreviousFilename(); p != "" {
				files = append(files, p)
			}
		}
		if resp.NextPage == 0 {
			return files, n < MaxChangedFiles, nil
		}
		if n >= MaxChangedFiles {
			return files, false, nil
		}
		opt.Page = resp.NextPage
	}
}

// PullRequest is what the gate needs of a pull request.
type PullRequest struct {
	Number   int
	HeadSHA  string
	HeadRepo string // owner/name; "" when the fork was deleted
	HeadRef  string
}

// OpenPullRequests lists the open pull requests whose head is branch of
// headRepo ("owner/name") at commit sha: the pull requests a workflow_run
// event is about, found without trusting anything the run uploaded.
func (c *Client) OpenPullRequests(ctx context.Context, headRepo, branch, sha string) ([]PullRequest, error) {
	owner, _, _ := strings.Cut(headRepo, "/")
	opt := &gh.PullRequestListOptions{State: "open", Head: owner + ":" + branch, ListOptions: gh.ListOptions{PerPage: 100}}
	var out []PullRequest
	for {
		page, resp, err := c.gh.PullRequests.List(ctx, c.owner, c.repo, opt)
		if err != nil {
			return nil, wrap(fmt.Sprintf("list pull requests from %s:%s", owner, branch), err)
		}
		for _, p := range page {
			pr := PullRequest{Number: p.GetNumber(), HeadSHA: p.GetHead().GetSHA(),
				HeadRepo: p.GetHead().GetRepo().GetFullName(), HeadRef: p.GetHead().GetRef()}
			if pr.HeadSHA == sha && strings.EqualFold(pr.HeadRepo, headRepo) && pr.HeadRef == branch {
				out = append(out, pr)
			}
		}
		if resp.NextPage == 0 {
			return out, nil
		}
		opt.Page = resp.NextPage
	}
}
