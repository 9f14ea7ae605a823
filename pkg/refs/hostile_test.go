package refs_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/refs/refstest"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestVaultPathTraversal: a vault path with "..", "." or an empty segment
// is UG004 at the entry's path, and Vault is not asked; "?", "#" and "%"
// stay inside the secret's name.
func TestVaultPathTraversal(t *testing.T) {
	t.Parallel()
	v := refstest.NewVault(t, testVaultToken)
	c := refs.New(refs.Options{Getenv: envOf(map[string]string{"VAULT_ADDR": v.URL, "VAULT_TOKEN": testVaultToken})})
	got, _ := run(t, c, map[string]string{"upgrades/test.yaml": manifestYAML("test", `
  secrets:
    - {name: a, store: vault, path: "secret/../../sys/policy"}
    - {name: b, store: vault, path: "secret/./db"}
    - {name: c, store: vault, path: "secret//db"}
    - {name: d, store: vault, path: "secret/db?list=true#x%41"}
`)})
	want := []string{
		`upgrades/test.yaml:12:37: error: vault path "secret/../../sys/policy" cannot name a secret: it has a ".." segment [UG004]`,
		`upgrades/test.yaml:13:37: error: vault path "secret/./db" cannot name a secret: it has a "." segment [UG004]`,
		`upgrades/test.yaml:14:37: error: vault path "secret//db" cannot name a secret: it has an empty segment ('//') [UG004]`,
		`upgrades/test.yaml:15:14: error: secret "d" is missing: no KV v2 secret "secret/db?list=true#x%41" in Vault at "` +
			strings.TrimPrefix(v.URL, "http://") + `" [UG411]`,
	}
	if diff := cmp.Diff(want, lines(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	reqs := v.Requests()
	if len(reqs) != 1 || reqs[0].EscapedPath != "/v1/secret/metadata/db%3Flist=true%23x%2541" || len(reqs[0].Query) != 0 {
		t.Errorf("requests %+v, want one, to the escaped metadata path", reqs)
	}
}

// TestRedirectsKeepTokens: GitHub and Vault redirecting to another host are
// UG412, and that host never receives a request, let alone a token.
func TestRedirectsKeepTokens(t *testing.T) {
	t.Parallel()
	gh, v := stores(t)
	sink := refstest.NewSink(t)
	gh.RedirectTo = sink.URL
	v.Redirect["secret/gitlab/db"] = sink.URL
	c := refs.New(refs.Options{
		Getenv:      envOf(map[string]string{"DB_ROOT_PASSWORD": "x", "VAULT_ADDR": v.URL, "VAULT_TOKEN": testVaultToken}),
		GitHubToken: testGitHubToken, GitHubAPIURL: gh.URL, GitHubRepository: "acme/gitlab",
	})
	got, _ := run(t, c, map[string]string{"upgrades/test.yaml": manifestYAML("test", allStores), "k8s/secrets.yaml": k8sSecrets})
	redirected := 0
	for _, f := range got {
		if f.Rule == rules.UG412 && strings.Contains(f.Message, "redirected the request") && strings.Contains(f.Message, strings.TrimPrefix(sink.URL, "http://")) {
			redirected++
		}
	}
	if redirected != 6 {
		t.Errorf("%d UG412 about the redirect, want 6 (4 github, 2 vault): %v", redirected, lines(got))
	}
	for _, r := range sink.Requests() {
		t.Errorf("the foreign host got %s %s (Authorization %q, X-Vault-Token %q)", r.Method, r.Path,
			r.Header.Get("Authorization"), r.Header.Get("X-Vault-Token"))
	}
	refstest.AssertNoLeaks(t, []string{testGitHubToken, testVaultToken}, refstest.FindingsText(got))
}
