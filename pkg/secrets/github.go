package secrets

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	gogithub "github.com/google/go-github/v60/github"

	"github.com/upgradegate/upgradegate/pkg/github"
	"github.com/upgradegate/upgradegate/pkg/internal/memo"
)

var githubKind = Kind{
	Name:     "github",
	Fields:   []Field{{Name: "scope", Default: "repo"}, {Name: "environment"}},
	Validate: validateGitHub,
	New: func(c Config) (Store, []string) {
		token := c.or(c.GitHubToken, "UPGRADEGATE_GITHUB_TOKEN")
		return NewGitHub(GitHubOptions{Token: token, APIURL: c.or(c.GitHubAPIURL, "GITHUB_API_URL"),
			Repository: c.or(c.GitHubRepository, "GITHUB_REPOSITORY"), HTTPClient: c.HTTPClient, Timeout: c.Timeout,
			Meter: c.Meter, Sleep: c.Sleep}), []string{token}
	},
	MissingHint: func(e Entry) string {
		switch e.Field("scope") {
		case "org":
			return "create the organization secret and give this repository access to it"
		case "environment":
			return fmt.Sprintf("create the secret in the repository's environment %q (Settings > Environments)", e.Field("environment"))
		}
		return "create the repository secret (Settings > Secrets and variables > Actions)"
	},
}

// githubScopes are the values of scope.
var githubScopes = []string{"repo", "org", "environment"}

func validateGitHub(e Entry) []Problem {
	switch e.Field("scope") {
	case "repo", "org":
		if e.Field("environment") != "" {
			return []Problem{{Field: "environment", Hint: "set scope: environment to check an environment secret",
				Message: "environment is only read with scope: environment"}}
		}
	case "environment":
		if e.Field("environment") == "" {
			return []Problem{{Field: "environment", Missing: true, Hint: "name the GitHub environment whose secrets to list"}}
		}
	default:
		return []Problem{{Field: "scope", Hint: "expected one of " + strings.Join(githubScopes, ", "),
			Message: fmt.Sprintf("unknown GitHub secret scope %q", e.Field("scope"))}}
	}
	return nil
}

// DefaultGitHubAPIURL is github.com's REST API.
const DefaultGitHubAPIURL = "https://api.github.com"

// GitHubOptions configure the github store.
type GitHubOptions struct {
	// Token may list secret names: a fine-grained personal access token or
	// a GitHub App token (see docs/secret-stores.md). The workflow's own
	// GITHUB_TOKEN can never list secrets.
	Token string
	// APIURL is the REST API's base URL (GITHUB_API_URL); "" means
	// github.com. GitHub Enterprise Server's is https://HOST/api/v3 (see
	// github.Config.APIURL).
	APIURL string
	// Repository is "owner/name" (GITHUB_REPOSITORY).
	Repository string
	// HTTPClient's Transport sends the requests and its Timeout, when set,
	// bounds each answer instead of Timeout; nil means the defaults of
	// package github.
	HTTPClient *http.Client
	// Timeout bounds each answer, headers and body; 0 means 10 s.
	Timeout time.Duration
	// Meter bounds the API time of the run, shared with the run's other
	// GitHub clients; nil means one of the store's own.
	Meter *github.Meter
	// Sleep waits between retries; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// GitHub checks that a name is among a repository's Actions secrets. Each
// scope is listed once, however many secrets and manifests ask: the
// repository's secrets, the organization secrets available to the
// repository, and each environment's secrets. It asks through package
// github's client, with its retries and bounds.
type GitHub struct {
	client      *github.Client
	hasToken    bool
	apiHost     string
	owner, name string
	setupErr    string // why the store cannot be asked at all, if it cannot

	repoID memo.Map[string, int64]
	lists  memo.Map[string, map[string]bool]
}

// storeTimeout bounds each answer of a store (docs/secret-stores.md).
const storeTimeout = 10 * time.Second

// NewGitHub returns the github store. Problems with the options are reported
// by Check, as UG412, for the secrets that need the store.
func NewGitHub(o GitHubOptions) *GitHub {
	g := &GitHub{hasToken: o.Token != "", apiHost: "(invalid URL)"}
	base, err := github.ParseAPIURL(strings.TrimRight(o.APIURL, "/"))
	if err != nil {
		g.setupErr = "GITHUB_API_URL is not an http(s) URL"
	} else {
		g.apiHost = base.Host
	}
	owner, name, ok := strings.Cut(o.Repository, "/")
	if g.setupErr == "" && (!ok || !validRepoPart(owner) || !validRepoPart(name)) {
		g.setupErr = "the repository is unknown: set GITHUB_REPOSITORY (or the CLI's option) to owner/name"
		if o.Repository != "" {
			g.setupErr = fmt.Sprintf("repository %q is not owner/name", o.Repository)
		}
	}
	g.owner, g.name = owner, name
	if g.setupErr != "" {
		return g
	}
	cfg := github.Config{APIURL: o.APIURL, Repository: o.Repository, Token: o.Token, AttemptTimeout: o.Timeout,
		Meter: o.Meter, Sleep: o.Sleep}
	if cfg.AttemptTimeout <= 0 {
		cfg.AttemptTimeout = storeTimeout
	}
	if o.HTTPClient != nil {
		cfg.Transport = o.HTTPClient.Transport
		if o.HTTPClient.Timeout > 0 {
			cfg.AttemptTimeout = o.HTTPClient.Timeout
		}
	}
	if g.client, err = github.New(cfg); err != nil {
		g.setupErr = fmt.Sprintf("repository %q is not owner/name", o.Repository)
	}
	return g
}

// validRepoPart reports whether s can be an owner or repository name:
// letters, digits, '-', '_' and '.', but not "." or "..", so that it cannot
// change which endpoint a request goes to.
func validRepoPart(s string) bool {
	if s == "" || s == "." || s == ".." {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// scopeInfo says what one scope's listing is and the permission it needs.
type scopeInfo struct {
	key  string // memo key
	what string // "the Actions secrets of repository ..."
	perm string // the exact token permission
}

func (g *GitHub) scope(ref Ref) scopeInfo {
	repo := fmt.Sprintf("repository %q", g.owner+"/"+g.name)
	if g.owner == "" || g.name == "" {
		repo = "the repository"
	}
	switch ref.Scope {
	case "org":
		return scopeInfo{"org", "the organization secrets available to " + repo,
			`the repository permission "Secrets: read"`}
	case "environment":
		return scopeInfo{"env:" + ref.Environment,
			fmt.Sprintf("the secrets of environment %q of %s", ref.Environment, repo),
			`the repository permission "Environments: read"`}
	default:
		return scopeInfo{"repo", "the Actions secrets of " + repo, `the repository permission "Secrets: read"`}
	}
}

const githubHint = "give the gate a fine-grained personal access token or GitHub App token that may read secret names " +
	"(CLI: --github-token or UPGRADEGATE_GITHUB_TOKEN; Action: the secrets-token input); see docs/secret-stores.md"

// Check lists ref's scope (once per run) and looks for ref.Name in it. GitHub
// secret names are case-insensitive.
func (g *GitHub) Check(ctx context.Context, ref Ref) (Result, error) {
	s := g.scope(ref)
	if !g.hasToken {
		return Result{}, unavailable("github", githubHint,
			"no GitHub token was given, so %s cannot be listed: use a fine-grained token or GitHub App token with %s "+
				"(the workflow's own GITHUB_TOKEN can never list secrets)", s.what, s.perm)
	}
	if g.setupErr != "" {
		return Result{}, unavailable("github", githubHint, "cannot list %s: %s", s.what, g.setupErr)
	}
	if ref.Scope == "environment" && ref.Environment == "" {
		return Result{}, unavailable("github", "name the environment: environment: NAME",
			"cannot list the secrets of an environment whose name is empty")
	}
	names, err := g.lists.Get(s.key, func() (map[string]bool, error) { return g.list(ctx, ref, s) })
	if err != nil {
		return Result{}, err
	}
	if names[strings.ToUpper(ref.Name)] {
		return Result{Exists: true, Detail: fmt.Sprintf("%q is among %s", ref.Name, s.what)}, nil
	}
	return Result{Detail: fmt.Sprintf("%q is not among %s (%d listed)", ref.Name, s.what, len(names))}, nil
}

// list reads every page of one scope's secret names.
func (g *GitHub) list(ctx context.Context, ref Ref, s scopeInfo) (map[string]bool, error) {
	var list []string
	var err error
	switch ref.Scope {
	case "org":
		list, err = g.client.OrgSecretNames(ctx)
	case "environment":
		id, idErr := g.repoID.Get("", func() (int64, error) { return g.lookupRepoID(ctx) })
		if idErr != nil {
			return nil, idErr
		}
		list, err = g.client.EnvSecretNames(ctx, id, ref.Environment)
	default:
		list, err = g.client.RepoSecretNames(ctx)
	}
	if err != nil {
		return nil, g.explain(err, s, ref.Scope == "environment")
	}
	names := make(map[string]bool, len(list))
	for _, n := range list {
		names[strings.ToUpper(n)] = true
	}
	return names, nil
}

// lookupRepoID asks for the repository's numeric id, which the environment
// secrets endpoint needs.
func (g *GitHub) lookupRepoID(ctx context.Context) (int64, error) {
	id, err := g.client.RepositoryID(ctx)
	if err != nil {
		return 0, g.explain(err, scopeInfo{
			what: fmt.Sprintf("the environments of repository %q", g.owner+"/"+g.name),
			perm: `access to the repository (fine-grained tokens: select it under "Repository access"; ` +
				`"Metadata: read" comes with it) and the repository permission "Environments: read"`,
		}, false)
	}
	if id == 0 {
		return 0, unavailable("github", githubHint, "GitHub answered without the id of repository %q", g.owner+"/"+g.name)
	}
	return id, nil
}

// explain turns a client error into an *UnavailableError without the
// error's own text (which carries URLs and response bodies).
func (g *GitHub) explain(err error, s scopeInfo, environment bool) error {
	var rate *gogithub.RateLimitError
	var abuse *gogithub.AbuseRateLimitError
	var resp *gogithub.ErrorResponse
	var pages *github.PageLimitError
	switch {
	case errors.As(err, &rate):
		return unavailable("github", "run the gate again after the reset, or use a token with its own rate limit (a GitHub App)",
			"cannot list %s: GitHub's API rate limit is exhausted until %s", s.what, rate.Rate.Reset.UTC().Format(time.RFC3339))
	case errors.As(err, &abuse):
		return unavailable("github", "run the gate again later", "cannot list %s: GitHub's secondary rate limit was hit", s.what)
	case errors.As(err, &pages):
		return unavailable("github", "check GITHUB_API_URL: GitHub lists at most 1,000 secrets per scope",
			"cannot list %s: %v", s.what, pages)
	case errors.As(err, &resp) && resp.Response != nil:
		code := resp.Response.StatusCode
		switch code {
		case http.StatusUnauthorized:
			return unavailable("github", githubHint,
				"cannot list %s: GitHub rejected the token (HTTP 401): it is invalid, expired or revoked; "+
					"use a token with %s", s.what, s.perm)
		case http.StatusForbidden:
			return unavailable("github", githubHint,
				"cannot list %s (HTTP 403): the token needs %s "+
					"(a classic token needs the repo scope; the workflow's own GITHUB_TOKEN can never list secrets)", s.what, s.perm)
		case http.StatusNotFound:
			why := "the repository does not exist or the token cannot see it"
			if environment {
				why = "the environment does not exist, or the token cannot see it"
			}
			return unavailable("github", githubHint, "cannot list %s (HTTP 404): %s; the token needs %s", s.what, why, s.perm)
		}
		return unavailable("github", "run the gate again; if it persists, check https://www.githubstatus.com",
			"cannot list %s: GitHub answered HTTP %d", s.what, code)
	}
	return unavailable("github", "check GITHUB_API_URL and the network between the gate and GitHub",
		"cannot list %s: cannot reach the GitHub API at %q: %s", s.what, g.apiHost, describeNetError(err))
}
