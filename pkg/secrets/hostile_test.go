package secrets_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/refs/refstest"
	"github.com/upgradegate/upgradegate/pkg/secrets"
)

// unavailable asserts that err is an *UnavailableError whose reason holds
// every one of want, and that neither it nor its hint holds token.
func unavailable(t *testing.T, err error, token string, want ...string) {
	t.Helper()
	var un *secrets.UnavailableError
	if !errors.As(err, &un) {
		t.Fatalf("got %v, want an *UnavailableError", err)
	}
	for _, w := range want {
		if !strings.Contains(un.Reason, w) {
			t.Errorf("reason %q lacks %q", un.Reason, w)
		}
	}
	if token != "" && strings.Contains(un.Error()+un.Hint, token) {
		t.Errorf("the error holds the token: %q", un.Error())
	}
}

// TestVaultRedirect: a Vault that redirects (a standby node's 307) to another
// host is not followed, so the token never reaches that host; a redirect
// within Vault's own host is followed.
func TestVaultRedirect(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	sink := refstest.NewSink(t)
	fake.Redirect["secret/standby/db"] = sink.URL
	fake.Redirect["secret/moved/db"] = fake.URL + "/v1/secret/metadata/gitlab/db?from="
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken})

	_, err := v.Check(context.Background(), secrets.Ref{Path: "secret/standby/db"})
	unavailable(t, err, vaultToken, "redirected the request", strings.TrimPrefix(sink.URL, "http://"), "another host")
	if n := len(sink.Requests()); n != 0 {
		t.Errorf("the foreign host got %d requests, want none", n)
	}

	res, err := v.Check(context.Background(), secrets.Ref{Path: "secret/moved/db"})
	if err != nil || !res.Exists {
		t.Errorf("a redirect within Vault's host: %+v, %v; want it followed", res, err)
	}
	// the redirect does not make Vault "down" for the other secrets
	if res, err := v.Check(context.Background(), secrets.Ref{Path: "secret/gitlab/db"}); err != nil || !res.Exists {
		t.Errorf("after a refused redirect: %+v, %v", res, err)
	}
}

// TestVaultRedirectDowngrade: a redirect from https to http on the same host
// is refused too (the token would cross the network in clear text).
func TestVaultRedirectDowngrade(t *testing.T) {
	t.Parallel()
	fake := refstest.NewTLSVault(t, vaultToken)
	u, _ := url.Parse(fake.URL)
	fake.Redirect["secret/app"] = "http://" + u.Host
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken, CACert: fake.CACertFile(t)})
	_, err := v.Check(context.Background(), secrets.Ref{Path: "secret/app"})
	unavailable(t, err, vaultToken, "redirected the request", `"http://`+u.Host+`"`)
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1 (the redirect not followed)", n)
	}
}

// TestGitHubRedirect: go-github sets Authorization in its transport, on
// every request; a redirect to another host must not take the token there.
func TestGitHubRedirect(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(t, ghToken, "acme", "gitlab")
	sink := refstest.NewSink(t)
	fake.RedirectTo = sink.URL
	g := newGitHub(t, fake, 5*time.Second)
	_, err := g.Check(context.Background(), secrets.Ref{Name: "X"})
	unavailable(t, err, ghToken, "redirected the request", strings.TrimPrefix(sink.URL, "http://"))
	for _, r := range sink.Requests() {
		t.Errorf("the foreign host got %s %s with Authorization %q", r.Method, r.Path, r.Header.Get("Authorization"))
	}
}

// TestVaultPathSegments: "..", "." and empty segments are refused before any
// request (Vault would clean them into another endpoint); "?", "#" and "%"
// are escaped into the secret's own path segment.
func TestVaultPathSegments(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken})
	for _, p := range []string{"secret/../sys/policy", "../sys/metadata/x", "secret/a/../../sys/policy", "secret/./db",
		"secret//db", "./secret/db", "secret/db/.."} {
		_, err := v.Check(context.Background(), secrets.Ref{Path: p})
		unavailable(t, err, vaultToken, "cannot name a secret")
		if why := secrets.VaultPathProblem(p); why == "" {
			t.Errorf("VaultPathProblem(%q) = \"\"", p)
		}
	}
	if n := len(fake.Requests()); n != 0 {
		t.Fatalf("%d requests for paths that were refused", n)
	}
	for p, want := range map[string]string{
		"secret/a?b":      "/v1/secret/metadata/a%3Fb",
		"secret/a#b":      "/v1/secret/metadata/a%23b",
		"secret/50%/x":    "/v1/secret/metadata/50%25/x",
		"secret/%2e%2e/x": "/v1/secret/metadata/%252e%252e/x",
		"/secret/db/":     "/v1/secret/metadata/db",
		"secret/..a/b..":  "/v1/secret/metadata/..a/b..",
	} {
		if why := secrets.VaultPathProblem(p); why != "" {
			t.Errorf("VaultPathProblem(%q) = %q, want \"\"", p, why)
		}
		res, err := v.Check(context.Background(), secrets.Ref{Path: p})
		if err != nil || res.Exists {
			t.Errorf("Check(%q) = %+v, %v; want missing", p, res, err)
		}
		found := false
		for _, r := range fake.Requests() {
			found = found || r.EscapedPath == want
		}
		if !found {
			t.Errorf("Check(%q): no request to %q among %v", p, want, fake.Requests())
		}
	}
}

// TestVaultMetadataWithoutVersions: metadata written without ever a value
// ("vault kv metadata put") is not a secret.
func TestVaultMetadataWithoutVersions(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	fake.Secrets["secret/planned"] = refstest.VaultSecret{NoVersions: true}
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken})
	for _, key := range []string{"", "k"} {
		res, err := v.Check(context.Background(), secrets.Ref{Path: "secret/planned", Key: key})
		if err != nil || res.Exists || !strings.Contains(res.Detail, "metadata but no version") {
			t.Errorf("key %q: %+v, %v; want missing with metadata but no version", key, res, err)
		}
	}
}

// TestGitHubEnvironmentNames: an environment name is one escaped path
// segment, whatever it holds: "/", "?", "#", "%", and "." or ".." (which URL
// resolution would otherwise drop or climb with).
func TestGitHubEnvironmentNames(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(t, ghToken, "acme", "gitlab")
	g := secrets.NewGitHub(secrets.GitHubOptions{Token: ghToken, APIURL: fake.URL, Repository: "acme/gitlab"})
	envs := map[string]string{
		"production": "production",
		"release/v1": "release%2Fv1",
		"..":         "%2E%2E",
		".":          "%2E",
		"a/../..":    "a%2F..%2F..",
		"prod?x=1#y": "prod%3Fx=1%23y",
		"50%":        "50%25",
		"two words":  "two%20words",
	}
	for env := range envs {
		fake.EnvSecret[env] = []string{"DEPLOY_KEY"}
	}
	for env, want := range envs {
		res, err := g.Check(context.Background(), secrets.Ref{Name: "DEPLOY_KEY", Scope: "environment", Environment: env})
		if err != nil || !res.Exists {
			t.Errorf("environment %q: %+v, %v", env, res, err)
		}
		wantPath := "/api/v3/repositories/4242/environments/" + want + "/secrets"
		reqs := fake.Requests()
		if last := reqs[len(reqs)-1].EscapedPath; last != wantPath {
			t.Errorf("environment %q: request to %q, want %q", env, last, wantPath)
		}
	}
	_, err := g.Check(context.Background(), secrets.Ref{Name: "X", Scope: "environment"})
	unavailable(t, err, ghToken, "name is empty")
}

// TestGitHubRepositoryNames: a repository that is not a plain owner/name is
// refused before any request (".." would change the endpoint).
func TestGitHubRepositoryNames(t *testing.T) {
	t.Parallel()
	fake := fakegithub.New(t, ghToken, "acme", "gitlab")
	for _, repo := range []string{"../gitlab", "acme/..", "acme/.", "acme/git lab", "acme/gitlab?x=1", "acme/gitlab#x", "acme/a/b", "/gitlab", "acme/"} {
		g := secrets.NewGitHub(secrets.GitHubOptions{Token: ghToken, APIURL: fake.URL, Repository: repo})
		_, err := g.Check(context.Background(), secrets.Ref{Name: "X"})
		unavailable(t, err, ghToken, "is not owner/name")
	}
	if n := len(fake.Requests()); n != 0 {
		t.Errorf("%d requests for refused repositories", n)
	}
	g := secrets.NewGitHub(secrets.GitHubOptions{Token: ghToken, APIURL: fake.URL, Repository: "acme-2/my_repo.go"})
	if _, err := g.Check(context.Background(), secrets.Ref{Name: "X"}); err == nil || strings.Contains(err.Error(), "owner/name") {
		t.Errorf("a valid name was refused: %v", err)
	}
}

// FuzzVaultPath: whatever the path, a request that is sent stays within
// /v1/MOUNT/metadata/ once the server cleans its path, and names one
// secret path there.
func FuzzVaultPath(f *testing.F) {
	for _, s := range []string{"secret/gitlab/db", "secret/../sys", "a/./b", "a//b", "a/%2e%2e/b", "a/b?c#d", "/a/b/", "a/..b", "a/b/.."} {
		f.Add(s)
	}
	var mu sync.Mutex
	var got []*url.URL
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.URL)
		mu.Unlock()
		w.WriteHeader(404)
	}))
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, p string) {
		mount, rest, ok := secrets.SplitPath(p)
		mu.Lock()
		got = nil
		mu.Unlock()
		v := secrets.NewVault(secrets.VaultOptions{Addr: srv.URL, Token: "t"})
		_, err := v.Check(context.Background(), secrets.Ref{Path: p})
		mu.Lock()
		reqs := got
		mu.Unlock()
		if !ok || secrets.VaultPathProblem(p) != "" {
			if len(reqs) != 0 || err == nil {
				t.Fatalf("path %q: %d requests, err %v; want it refused", p, len(reqs), err)
			}
			return
		}
		if err != nil {
			var un *secrets.UnavailableError
			if !errors.As(err, &un) {
				t.Fatalf("path %q: %v", p, err)
			}
			return // a control character, say: no request could be built
		}
		if len(reqs) != 1 {
			t.Fatalf("path %q: %d requests, want 1", p, len(reqs))
		}
		u := reqs[0]
		prefix := "/v1/" + url.PathEscape(mount) + "/metadata/"
		escaped := u.EscapedPath()
		if !strings.HasPrefix(escaped, prefix) || path.Clean(escaped) != escaped || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("path %q: request %q (query %q) leaves %q", p, escaped, u.RawQuery, prefix)
		}
		if u.Path != "/v1/"+mount+"/metadata/"+rest {
			t.Fatalf("path %q: request path %q, want %q", p, u.Path, "/v1/"+mount+"/metadata/"+rest)
		}
	})
}

// TestProxyErrors: a proxy that cannot be reached or refuses the gate is
// named as the problem, without its URL or password.
func TestProxyErrors(t *testing.T) {
	t.Parallel()
	refusing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Proxy-Authenticate", `Basic realm="proxy"`)
		w.WriteHeader(http.StatusProxyAuthRequired)
	}))
	t.Cleanup(refusing.Close)
	const password = "proxy-pa55word-xyz"
	for name, addr := range map[string]string{"unreachable": "127.0.0.1:1", "407": strings.TrimPrefix(refusing.URL, "http://")} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			proxy := &url.URL{Scheme: "http", User: url.UserPassword("gate", password), Host: addr}
			client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(proxy)}}
			v := secrets.NewVault(secrets.VaultOptions{Addr: "https://vault.example.invalid:8200", Token: vaultToken, HTTPClient: client})
			_, err := v.Check(context.Background(), secrets.Ref{Path: "secret/app"})
			// net/http reports a proxy's refusal of CONNECT as bare status text:
			// only a proxy that cannot be reached is named as such
			want := []string{"the HTTP proxy"}
			if name == "407" {
				want = []string{"the connection failed"}
			}
			unavailable(t, err, vaultToken, append(want, `cannot reach Vault at "vault.example.invalid:8200"`)...)
			verr := err
			g := secrets.NewGitHub(secrets.GitHubOptions{Token: ghToken, APIURL: "https://ghe.example.invalid/api/v3", Repository: "acme/gitlab", HTTPClient: client, Sleep: noSleep})
			_, err = g.Check(context.Background(), secrets.Ref{Name: "X"})
			unavailable(t, err, ghToken, want...)
			for _, e := range []error{verr, err} {
				if strings.Contains(e.Error(), password) || strings.Contains(e.Error(), addr) {
					t.Errorf("the proxy's URL leaked: %q", e.Error())
				}
			}
		})
	}
}

// TestVaultAnswersAreBounded: Vault's answers go through the same bounds as
// GitHub's: a body past the limit, or one that drips past the deadline, is
// UG412 naming the limit, after one request.
func TestVaultAnswersAreBounded(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		timeout time.Duration
		write   func(w http.ResponseWriter, r *http.Request)
		want    string
	}{
		"too large": {time.Minute, func(w http.ResponseWriter, r *http.Request) {
			w.(http.Flusher).Flush()
			io.WriteString(w, `{"data":{"current_version":1,"x":"`+strings.Repeat("a", 2<<20)+`"}}`)
		}, "larger than the limit of 1 MiB"},
		"dripped": {time.Second, func(w http.ResponseWriter, r *http.Request) {
			io.WriteString(w, `{"data":`)
			for r.Context().Err() == nil {
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Millisecond):
					io.WriteString(w, " ")
				}
			}
		}, "the request timed out"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			n := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				mu.Unlock()
				tc.write(w, r)
			}))
			t.Cleanup(srv.Close)
			v := secrets.NewVault(secrets.VaultOptions{Addr: srv.URL, Token: vaultToken, Timeout: tc.timeout})
			_, err := v.Check(context.Background(), secrets.Ref{Path: "secret/app"})
			unavailable(t, err, vaultToken, `Vault's answer for "secret/metadata/app" cannot be read`, tc.want)
			mu.Lock()
			defer mu.Unlock()
			if n != 1 {
				t.Errorf("%d requests, want 1", n)
			}
		})
	}
}
