package refs_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/refs/refstest"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

const (
	testGitHubToken = "github_pat_test_0123456789"
	testVaultToken  = "hvs.test-0123456789"
)

const k8sSecrets = `apiVersion: v1
kind: Secret
metadata:
  name: gitlab-db
  namespace: gitlab
data:
  password: c2VjcmV0
`

// allStores lists a secret of every store: the first of each exists, the
// second does not.
const allStores = `
  secrets:
    - name: DB_ROOT_PASSWORD
      store: env
    - name: SMTP_PASSWORD
      store: env
    - name: DB_ROOT_PASSWORD
      store: github
    - name: REGISTRY_TOKEN
      store: github
    - name: SLACK_WEBHOOK
      store: github
      scope: org
    - name: DEPLOY_KEY
      store: github
      scope: environment
      environment: production
    - name: gitlab-db
      store: vault
      path: secret/gitlab/db
      key: root_password
    - name: gitlab-db
      store: vault
      path: secret/gitlab/db
      key: admin_password
    - name: gitlab-db
      store: kubernetes
      file: k8s/secrets.yaml
      namespace: gitlab
    - name: gitlab-redis
      store: kubernetes
      file: k8s/secrets.yaml
`

// stores starts the fakes with the secrets allStores expects.
func stores(t *testing.T) (*fakegithub.Server, *refstest.Vault) {
	gh := fakegithub.New(t, testGitHubToken, "acme", "gitlab")
	gh.RepoSecret = []string{"DB_ROOT_PASSWORD"}
	gh.OrgSecret = []string{"SLACK_WEBHOOK"}
	gh.EnvSecret["production"] = []string{"OTHER"}
	v := refstest.NewVault(t, testVaultToken)
	v.Secrets["secret/gitlab/db"] = refstest.VaultSecret{Data: map[string]string{"root_password": "pw"}, Version: 2}
	return gh, v
}

// noSleep stands for the waits between GitHub API retries.
func noSleep(context.Context, time.Duration) error { return nil }

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestSecrets(t *testing.T) {
	t.Parallel()
	gh, v := stores(t)
	c := refs.New(refs.Options{
		Getenv:      envOf(map[string]string{"DB_ROOT_PASSWORD": "x", "VAULT_ADDR": v.URL, "VAULT_TOKEN": testVaultToken}),
		GitHubToken: testGitHubToken, GitHubAPIURL: gh.URL, GitHubRepository: "acme/gitlab",
	})
	got, _ := run(t, c, map[string]string{"upgrades/test.yaml": manifestYAML("test", allStores), "k8s/secrets.yaml": k8sSecrets})
	want := []string{
		`upgrades/test.yaml:14:13: error: secret "SMTP_PASSWORD" is missing: environment variable "SMTP_PASSWORD" is not set or empty in the gate's environment [UG411]`,
		`upgrades/test.yaml:18:13: error: secret "REGISTRY_TOKEN" is missing: "REGISTRY_TOKEN" is not among the Actions secrets of repository "acme/gitlab" (1 listed) [UG411]`,
		`upgrades/test.yaml:23:13: error: secret "DEPLOY_KEY" is missing: "DEPLOY_KEY" is not among the secrets of environment "production" of repository "acme/gitlab" (1 listed) [UG411]`,
		fmt.Sprintf(`upgrades/test.yaml:31:13: error: secret "gitlab-db" is missing: secret "secret/gitlab/db" in Vault at %q has no key "admin_password" (its keys: "root_password") [UG411]`, strings.TrimPrefix(v.URL, "http://")),
		`upgrades/test.yaml:39:13: error: secret "gitlab-redis" is missing: no Secret, SealedSecret or ExternalSecret named "gitlab-redis" is defined in "k8s/secrets.yaml" [UG411]`,
	}
	if diff := cmp.Diff(want, lines(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestSecretsUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts func(*refs.Options, *fakegithub.Server, *refstest.Vault)
		want []string
	}{
		{"no credentials", func(o *refs.Options, _ *fakegithub.Server, _ *refstest.Vault) {
			o.GitHubToken = ""
			o.Getenv = envOf(map[string]string{"DB_ROOT_PASSWORD": "x"})
		}, []string{
			`upgrades/test.yaml:14:13: error: secret "SMTP_PASSWORD" is missing: environment variable "SMTP_PASSWORD" is not set or empty in the gate's environment [UG411]`,
			`upgrades/test.yaml:17:14: warning: cannot check secret "DB_ROOT_PASSWORD" in the github store: no GitHub token was given, so the Actions secrets of repository "acme/gitlab" cannot be listed: use a fine-grained token or GitHub App token with the repository permission "Secrets: read" (the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:19:14: warning: cannot check secret "REGISTRY_TOKEN" in the github store: no GitHub token was given, so the Actions secrets of repository "acme/gitlab" cannot be listed: use a fine-grained token or GitHub App token with the repository permission "Secrets: read" (the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:21:14: warning: cannot check secret "SLACK_WEBHOOK" in the github store: no GitHub token was given, so the organization secrets available to repository "acme/gitlab" cannot be listed: use a fine-grained token or GitHub App token with the repository permission "Secrets: read" (the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:24:14: warning: cannot check secret "DEPLOY_KEY" in the github store: no GitHub token was given, so the secrets of environment "production" of repository "acme/gitlab" cannot be listed: use a fine-grained token or GitHub App token with the repository permission "Environments: read" (the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:28:14: warning: cannot check secret "gitlab-db" in the vault store: VAULT_ADDR is not set [UG412]`,
			`upgrades/test.yaml:32:14: warning: cannot check secret "gitlab-db" in the vault store: VAULT_ADDR is not set [UG412]`,
			`upgrades/test.yaml:39:13: error: secret "gitlab-redis" is missing: no Secret, SealedSecret or ExternalSecret named "gitlab-redis" is defined in "k8s/secrets.yaml" [UG411]`,
		}},
		{"no permission", func(o *refs.Options, gh *fakegithub.Server, v *refstest.Vault) {
			gh.Status[fakegithub.RepoSecrets], gh.Status[fakegithub.OrgSecrets], gh.Status[fakegithub.EnvSecrets] = 403, 403, 403
			v.Status["secret/gitlab/db"] = 403
		}, []string{
			`upgrades/test.yaml:14:13: error: secret "SMTP_PASSWORD" is missing: environment variable "SMTP_PASSWORD" is not set or empty in the gate's environment [UG411]`,
			`upgrades/test.yaml:17:14: warning: cannot check secret "DB_ROOT_PASSWORD" in the github store: cannot list the Actions secrets of repository "acme/gitlab" (HTTP 403): the token needs the repository permission "Secrets: read" (a classic token needs the repo scope; the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:19:14: warning: cannot check secret "REGISTRY_TOKEN" in the github store: cannot list the Actions secrets of repository "acme/gitlab" (HTTP 403): the token needs the repository permission "Secrets: read" (a classic token needs the repo scope; the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:21:14: warning: cannot check secret "SLACK_WEBHOOK" in the github store: cannot list the organization secrets available to repository "acme/gitlab" (HTTP 403): the token needs the repository permission "Secrets: read" (a classic token needs the repo scope; the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:24:14: warning: cannot check secret "DEPLOY_KEY" in the github store: cannot list the secrets of environment "production" of repository "acme/gitlab" (HTTP 403): the token needs the repository permission "Environments: read" (a classic token needs the repo scope; the workflow's own GITHUB_TOKEN can never list secrets) [UG412]`,
			`upgrades/test.yaml:28:14: warning: cannot check secret "gitlab-db" in the vault store: Vault denied reading "secret/metadata/gitlab/db" (HTTP 403): the token is invalid or expired, or its policy lacks "read" on "secret/metadata/gitlab/db" [UG412]`,
			`upgrades/test.yaml:32:14: warning: cannot check secret "gitlab-db" in the vault store: Vault denied reading "secret/metadata/gitlab/db" (HTTP 403): the token is invalid or expired, or its policy lacks "read" on "secret/metadata/gitlab/db" [UG412]`,
			`upgrades/test.yaml:39:13: error: secret "gitlab-redis" is missing: no Secret, SealedSecret or ExternalSecret named "gitlab-redis" is defined in "k8s/secrets.yaml" [UG411]`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			gh, v := stores(t)
			o := refs.Options{
				Getenv:      envOf(map[string]string{"DB_ROOT_PASSWORD": "x", "VAULT_ADDR": v.URL, "VAULT_TOKEN": testVaultToken}),
				GitHubToken: testGitHubToken, GitHubAPIURL: gh.URL, GitHubRepository: "acme/gitlab",
			}
			tt.opts(&o, gh, v)
			got, _ := run(t, refs.New(o), map[string]string{"upgrades/test.yaml": manifestYAML("test", allStores), "k8s/secrets.yaml": k8sSecrets})
			if diff := cmp.Diff(tt.want, lines(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSecretFileProblems: the kubernetes store's file missing, broken or out
// of the repository.
func TestSecretFileProblems(t *testing.T) {
	t.Parallel()
	got, _ := run(t, refs.New(refs.Options{Getenv: noEnv}), map[string]string{
		"k8s/broken.yaml": "kind: Secret\nmetadata: {name: x\n",
		"upgrades/test.yaml": manifestYAML("test", `
  secrets:
    - {name: a, store: kubernetes, file: k8s/missing.yaml}
    - {name: b, store: kubernetes, file: k8s/broken.yaml}
    - {name: c, store: kubernetes, file: k8s/broken.yaml}
    - {name: d, store: kubernetes, file: ../k8s/secrets.yaml}
`)})
	want := []string{
		`k8s/broken.yaml:2:1: error: kubernetes secret file "k8s/broken.yaml" cannot be parsed as YAML: did not find expected ',' or '}' (in the block that starts at line 1) (needed by spec.secrets[1] of manifest "test" in "upgrades/test.yaml") [UG403]`,
		`upgrades/test.yaml:12:14: error: secret "a" is missing: file "k8s/missing.yaml", which should define it, does not exist [UG411]`,
		`upgrades/test.yaml:15:42: error: kubernetes secret file "../k8s/secrets.yaml" leaves the repository: it climbs above the repository root with '..' [UG006]`,
	}
	if diff := cmp.Diff(want, lines(got)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// TestOneListingPerScope checks many manifests at once: each GitHub scope is
// listed once and each Vault path read once per run.
func TestOneListingPerScope(t *testing.T) {
	t.Parallel()
	gh, v := stores(t)
	gh.PageSize = 1
	gh.RepoSecret = []string{"A", "B", "DB_ROOT_PASSWORD"}
	var docs []string
	for i := range 12 {
		docs = append(docs, manifestYAML(fmt.Sprintf("m%d", i), allStores))
	}
	files := map[string]string{"upgrades/test.yaml": strings.Join(docs, "---\n"), "k8s/secrets.yaml": k8sSecrets}
	r := writeRepo(t, files)
	ms := decode(t, r, "upgrades/test.yaml")
	c := refs.New(refs.Options{
		Getenv:      envOf(map[string]string{"DB_ROOT_PASSWORD": "x", "VAULT_ADDR": v.URL, "VAULT_TOKEN": testVaultToken}),
		GitHubToken: testGitHubToken, GitHubAPIURL: gh.URL, GitHubRepository: "acme/gitlab",
	})
	results := make([][]finding.Finding, len(ms))
	var wg sync.WaitGroup
	for i, m := range ms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.Check(context.Background(), r, m)
		}()
	}
	wg.Wait()
	for i, fs := range results {
		if len(fs) != 5 {
			t.Errorf("manifest %d: %d findings, want 5: %v", i, len(fs), lines(fs))
		}
	}
	for path, want := range map[string]int{
		"/api/v3/repos/acme/gitlab/actions/secrets":                 3, // three pages, one listing
		"/api/v3/repos/acme/gitlab/actions/organization-secrets":    1,
		"/api/v3/repos/acme/gitlab":                                 1,
		"/api/v3/repositories/4242/environments/production/secrets": 1,
	} {
		if got := gh.Calls(path); got != want {
			t.Errorf("%s: %d calls, want %d", path, got, want)
		}
	}
	if got := len(v.Requests()); got != 2 {
		t.Errorf("vault: %d requests, want 2 (metadata and data of one path)", got)
	}
}

// TestSlowStores: a store that does not answer within the timeout is UG412,
// and the run does not wait for it once per secret.
func TestSlowStores(t *testing.T) {
	t.Parallel()
	gh, v := stores(t)
	gh.Hang, v.Hang = true, true // never answer: the timeout always fires, however loaded the machine
	c := refs.New(refs.Options{
		Getenv:      envOf(map[string]string{"DB_ROOT_PASSWORD": "x", "VAULT_ADDR": v.URL, "VAULT_TOKEN": testVaultToken}),
		GitHubToken: testGitHubToken, GitHubAPIURL: gh.URL, GitHubRepository: "acme/gitlab",
		Timeout: 150 * time.Millisecond, Sleep: noSleep,
	})
	got, _ := run(t, c, map[string]string{"upgrades/test.yaml": manifestYAML("test", allStores), "k8s/secrets.yaml": k8sSecrets})
	// once Vault has timed out, the run does not ask it again for each secret
	if n := len(v.Requests()); n != 1 {
		t.Errorf("vault asked %d times after timing out, want 1", n)
	}
	timedOut := 0
	for _, f := range got {
		if f.Rule == rules.UG412 && strings.Contains(f.Message, "timed out") && f.Severity == finding.Warning {
			timedOut++
		}
	}
	if timedOut != 6 {
		t.Errorf("%d UG412 timeouts, want 6 (4 github, 2 vault): %v", timedOut, lines(got))
	}
}

// TestNoLeaks plants canary values where secrets live (the environment, the
// tokens, Vault's data, config and kubernetes files) and makes every store
// answer and fail; no canary may reach a finding.
func TestNoLeaks(t *testing.T) {
	t.Parallel()
	c := map[string]string{}
	for _, k := range []string{"env", "ghtoken", "vaulttoken", "vaultdata", "vaultaddr", "config", "json", "toml", "dotenv", "yaml", "k8s"} {
		c[k] = refstest.Canary(k)
	}
	var canaries []string
	for _, v := range c {
		canaries = append(canaries, v)
	}
	files := map[string]string{
		"deploy/values.yaml": "db:\n  password: " + c["config"] + "\n",
		"deploy/bad.json":    `{"password": "` + c["json"] + `" x}`,
		"deploy/bad.toml":    `password = "` + c["toml"],
		"deploy/bad.env":     `PASSWORD="` + c["dotenv"],
		"deploy/bad.yaml":    `password: "` + c["yaml"],
		// values that span lines, left unquoted: the line is taken for a key
		"deploy/bare.env":  "KEY=-----BEGIN\n" + c["dotenv"] + "\n",
		"deploy/bare.yaml": "key: |\n  a\n" + c["yaml"] + "\n",
		"deploy/bare.toml": "key = 1\n" + c["toml"] + "\n",
		"deploy/bare.json": "{\"key\": 1,\n" + c["json"] + "\n}",
		"k8s/secrets.yaml": "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: " + c["k8s"] + "\n",
		"upgrades/test.yaml": manifestYAML("test", allStores+`
    - {name: DB_PASSWORD, store: env}
    - {name: db, store: kubernetes, file: k8s/secrets.yaml}
  config:
    - {file: deploy/values.yaml, key: db.password, expect: absent}
    - {file: deploy/values.yaml, key: db.passwd}
    - {file: deploy/bad.json, key: password}
    - {file: deploy/bad.toml, key: password}
    - {file: deploy/bad.env, key: PASSWORD}
    - {file: deploy/bad.yaml, key: password}
    - {file: deploy/bare.env, key: KEY}
    - {file: deploy/bare.yaml, key: key}
    - {file: deploy/bare.toml, key: key}
    - {file: deploy/bare.json, key: key}
`),
	}
	for _, scenario := range []string{"answers", "denies", "rejects the token", "unreachable"} {
		t.Run(scenario, func(t *testing.T) {
			t.Parallel()
			gh := fakegithub.New(t, c["ghtoken"], "acme", "gitlab")
			gh.RepoSecret = []string{"DB_ROOT_PASSWORD"}
			v := refstest.NewVault(t, c["vaulttoken"])
			v.Secrets["secret/gitlab/db"] = refstest.VaultSecret{Data: map[string]string{"root_password": c["vaultdata"], "other": c["vaultdata"]}}
			addr, _ := url.Parse(v.URL)
			addr.User = url.UserPassword("vault", c["vaultaddr"])
			env := map[string]string{"DB_ROOT_PASSWORD": c["env"], "DB_PASSWORD": c["env"],
				"VAULT_ADDR": addr.String(), "VAULT_TOKEN": c["vaulttoken"], "UPGRADEGATE_GITHUB_TOKEN": c["ghtoken"]}
			switch scenario {
			case "denies":
				gh.Status[fakegithub.RepoSecrets], gh.Status[fakegithub.OrgSecrets], gh.Status[fakegithub.EnvSecrets] = 403, 403, 404
				v.Status["secret/gitlab/db"] = 403
			case "rejects the token":
				gh.Token, v.Token = "another-token-123", "another-token-456"
			case "unreachable":
				gh.Close()
				v.Close()
			}
			got, _ := run(t, refs.New(refs.Options{Getenv: envOf(env), GitHubAPIURL: gh.URL, GitHubRepository: "acme/gitlab",
				Timeout: time.Second, Sleep: noSleep}), files)
			if len(got) < 10 {
				t.Fatalf("only %d findings: the scenario did not exercise the stores: %v", len(got), lines(got))
			}
			refstest.AssertNoLeaks(t, canaries, refstest.FindingsText(got))
			if scenario == "answers" && v.Calls("/v1/secret/data/gitlab/db") != 1 {
				t.Error("the fake Vault's data, with its canaries, was never read")
			}
		})
	}
}
