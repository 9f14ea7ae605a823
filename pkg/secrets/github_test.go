package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/secrets"
)

const ghToken = "ghp-test-token-0123456789"

func newGitHub(t *testing.T, fake *fakegithub.Server, timeout time.Duration) *secrets.GitHub {
	t.Helper()
	return secrets.NewGitHub(secrets.GitHubOptions{Token: ghToken, APIURL: fake.URL, Repository: "acme/gitlab",
		HTTPClient: &http.Client{Timeout: timeout}, Sleep: noSleep})
}

// noSleep stands for the waits between retries.
func noSleep(context.Context, time.Duration) error { return nil }

func TestGitHubScopes(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(t, ghToken, "acme", "gitlab")
	fake.RepoSecret = []string{"DB_ROOT_PASSWORD", "REGISTRY_TOKEN"}
	fake.OrgSecret = []string{"SLACK_WEBHOOK"}
	fake.EnvSecret["production"] = []string{"DEPLOY_KEY"}
	fake.EnvSecret["release/v1"] = []string{"SIGNING_KEY"}
	g := newGitHub(t, fake, 5*time.Second)
	tests := []struct {
		ref  secrets.Ref
		want bool
	}{
		{secrets.Ref{Name: "DB_ROOT_PASSWORD"}, true},
		{secrets.Ref{Name: "db_root_password", Scope: "repo"}, true}, // names are case-insensitive
		{secrets.Ref{Name: "MISSING"}, false},
		{secrets.Ref{Name: "SLACK_WEBHOOK", Scope: "org"}, true},
		{secrets.Ref{Name: "DB_ROOT_PASSWORD", Scope: "org"}, false},
		{secrets.Ref{Name: "DEPLOY_KEY", Scope: "environment", Environment: "production"}, true},
		{secrets.Ref{Name: "DEPLOY_KEY", Scope: "environment", Environment: "release/v1"}, false},
		{secrets.Ref{Name: "SIGNING_KEY", Scope: "environment", Environment: "release/v1"}, true},
	}
	for _, tt := range tests {
		res, err := g.Check(context.Background(), tt.ref)
		if err != nil {
			t.Fatalf("Check(%+v): %v", tt.ref, err)
		}
		if res.Exists != tt.want {
			t.Errorf("Check(%+v).Exists = %t (%s), want %t", tt.ref, res.Exists, res.Detail, tt.want)
		}
	}
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("%s %s: want GET", r.Method, r.Path)
		}
		if got := r.Header.Get("Authorization"); got != "Bearer "+ghToken {
			t.Errorf("%s: Authorization = %q", r.Path, got)
		}
	}
	for path, want := range map[string]int{
		"/api/v3/repos/acme/gitlab/actions/secrets":                    1,
		"/api/v3/repos/acme/gitlab/actions/organization-secrets":       1,
		"/api/v3/repos/acme/gitlab":                                    1, // the repository id, once
		"/api/v3/repositories/4242/environments/production/secrets":    1,
		"/api/v3/repositories/4242/environments/release/v1/secrets":    1,
		"/api/v3/repositories/4242/environments/release%2Fv1/secrets/": 0,
	} {
		if got := fake.Calls(path); got != want {
			t.Errorf("%s: %d calls, want %d", path, got, want)
		}
	}
	var escaped bool
	for _, r := range fake.Requests() {
		if r.EscapedPath == "/api/v3/repositories/4242/environments/release%2Fv1/secrets" {
			escaped = true
		}
	}
	if !escaped {
		t.Error("the environment name was not path-escaped (want release%2Fv1)")
	}
}

// TestGitHubPaginates follows Link headers and lists each scope once, however
// many secrets are asked for at the same time.
func TestGitHubPaginates(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(t, ghToken, "acme", "gitlab")
	fake.PageSize = 3
	for i := range 10 {
		fake.RepoSecret = append(fake.RepoSecret, fmt.Sprintf("SECRET_%02d", i))
	}
	g := newGitHub(t, fake, 5*time.Second)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("SECRET_%02d", i%12)
			res, err := g.Check(context.Background(), secrets.Ref{Name: name})
			if err != nil {
				t.Error(err)
				return
			}
			if want := i%12 < 10; res.Exists != want {
				t.Errorf("%s: exists %t, want %t", name, res.Exists, want)
			}
		}()
	}
	wg.Wait()
	reqs := fake.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests, want 4 pages of one listing", len(reqs))
	}
	for i, r := range reqs {
		if r.Query.Get("per_page") != "100" {
			t.Errorf("request %d: per_page = %q, want 100", i, r.Query.Get("per_page"))
		}
		wantPage := fmt.Sprint(i + 1)
		if i == 0 {
			wantPage = ""
		}
		if r.Query.Get("page") != wantPage {
			t.Errorf("request %d: page = %q, want %q", i, r.Query.Get("page"), wantPage)
		}
	}
}

func TestGitHubUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		setup  func(*fakegithub.Server)
		ref    secrets.Ref
		token  string
		repo   string
		reason []string
	}{
		{name: "no token", token: "-", ref: secrets.Ref{Name: "X"},
			reason: []string{"no GitHub token", `"Secrets: read"`, "GITHUB_TOKEN can never list secrets"}},
		{name: "no repository", repo: "-", ref: secrets.Ref{Name: "X"},
			reason: []string{"GITHUB_REPOSITORY"}},
		{name: "bad repository", repo: "acme", ref: secrets.Ref{Name: "X"},
			reason: []string{`repository "acme" is not owner/name`}},
		{name: "401", token: "wrong-token-123", ref: secrets.Ref{Name: "X"},
			reason: []string{"HTTP 401", "invalid, expired or revoked", `"Secrets: read"`}},
		{name: "403 repo", setup: func(g *fakegithub.Server) { g.Status[fakegithub.RepoSecrets] = 403 }, ref: secrets.Ref{Name: "X"},
			reason: []string{"HTTP 403", `the repository permission "Secrets: read"`, `Actions secrets of repository "acme/gitlab"`}},
		{name: "403 org", setup: func(g *fakegithub.Server) { g.Status[fakegithub.OrgSecrets] = 403 }, ref: secrets.Ref{Name: "X", Scope: "org"},
			reason: []string{"HTTP 403", `"Secrets: read"`, "organization secrets available to"}},
		{name: "403 environment", setup: func(g *fakegithub.Server) { g.Status[fakegithub.EnvSecrets] = 403 },
			ref:    secrets.Ref{Name: "X", Scope: "environment", Environment: "production"},
			reason: []string{"HTTP 403", `the repository permission "Environments: read"`}},
		{name: "404 repo", setup: func(g *fakegithub.Server) { g.Status[fakegithub.RepoSecrets] = 404 }, ref: secrets.Ref{Name: "X"},
			reason: []string{"HTTP 404", "cannot see it"}},
		{name: "404 environment", ref: secrets.Ref{Name: "X", Scope: "environment", Environment: "nope"},
			reason: []string{"HTTP 404", "environment does not exist", `"Environments: read"`}},
		{name: "404 repository id", setup: func(g *fakegithub.Server) { g.Status[fakegithub.RepoInfo] = 404 },
			ref:    secrets.Ref{Name: "X", Scope: "environment", Environment: "production"},
			reason: []string{"HTTP 404", "environments of repository"}},
		{name: "500", setup: func(g *fakegithub.Server) { g.Status[fakegithub.RepoSecrets] = 500 }, ref: secrets.Ref{Name: "X"},
			reason: []string{"GitHub answered HTTP 500"}},
		{name: "slow", setup: func(g *fakegithub.Server) { g.Hang = true }, ref: secrets.Ref{Name: "X"},
			reason: []string{"timed out"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := fakegithub.New(t, ghToken, "acme", "gitlab")
			fake.EnvSecret["production"] = []string{"X"}
			if tt.setup != nil {
				tt.setup(fake)
			}
			token, repo := ghToken, "acme/gitlab"
			if tt.token == "-" {
				token = ""
			} else if tt.token != "" {
				token = tt.token
			}
			if tt.repo == "-" {
				repo = ""
			} else if tt.repo != "" {
				repo = tt.repo
			}
			// the timeout only bounds an answer that comes; a server that
			// hangs never answers, so a short one always fires
			timeout := 30 * time.Second
			if fake.Hang {
				timeout = 100 * time.Millisecond
			}
			g := secrets.NewGitHub(secrets.GitHubOptions{Token: token, APIURL: fake.URL, Repository: repo,
				HTTPClient: &http.Client{Timeout: timeout}, Sleep: noSleep})
			_, err := g.Check(context.Background(), tt.ref)
			var un *secrets.UnavailableError
			if !errors.As(err, &un) {
				t.Fatalf("Check = %v, want an *UnavailableError", err)
			}
			for _, want := range tt.reason {
				if !strings.Contains(un.Reason, want) {
					t.Errorf("reason %q lacks %q", un.Reason, want)
				}
			}
			if strings.Contains(un.Error(), token) && token != "" {
				t.Errorf("the error holds the token: %q", un.Error())
			}
			if strings.Contains(un.Error(), fake.URL) {
				t.Errorf("the error holds the request URL: %q", un.Error())
			}
			// a second secret of the same scope is not listed again
			before := len(fake.Requests())
			_, _ = g.Check(context.Background(), tt.ref)
			if after := len(fake.Requests()); after != before {
				t.Errorf("the failed listing was repeated: %d requests after %d", after, before)
			}
		})
	}
}

// TestGitHubEnterpriseURL: a GitHub Enterprise Server API URL keeps its /api/v3 path.
func TestGitHubEnterpriseURL(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(t, ghToken, "acme", "gitlab")
	fake.RepoSecret = []string{"A"}
	g := secrets.NewGitHub(secrets.GitHubOptions{Token: ghToken, APIURL: fake.URL + "/api/v3/", Repository: "acme/gitlab"})
	res, err := g.Check(context.Background(), secrets.Ref{Name: "A"})
	if err != nil || !res.Exists {
		t.Fatalf("Check = %+v, %v", res, err)
	}
	if n := fake.Calls("/api/v3/repos/acme/gitlab/actions/secrets"); n != 1 {
		t.Errorf("%d calls to the listing under /api/v3, want 1", n)
	}
}
