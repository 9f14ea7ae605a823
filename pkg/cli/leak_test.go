package cli

import (
	"bytes"
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/refs/refstest"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// TestNoSecretLeaksInAnyFormat plants canary values where secrets live (the
// gate's environment, both tokens, Vault's data and address, config and
// Kubernetes files), runs `upgradegate check` with every output format, and
// asserts that no canary appears in any report, on stdout or on stderr.
func TestNoSecretLeaksInAnyFormat(t *testing.T) {
	t.Parallel()
	c := map[string]string{}
	var canaries []string
	for _, k := range []string{"env", "ghtoken", "vaulttoken", "vaultdata", "vaultaddr", "config", "k8s", "dotenv"} {
		c[k] = refstest.Canary(k)
		canaries = append(canaries, c[k])
	}
	root := t.TempDir()
	files := map[string]string{
		".git/HEAD":          "ref: refs/heads/main\n",
		"deploy/values.yaml": "db:\n  password: " + c["config"] + "\n",
		"deploy/app.env":     "PASSWORD=\"" + c["dotenv"] + "\n",
		"k8s/secrets.yaml":   "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: prod}\nstringData:\n  password: " + c["k8s"] + "\n",
		"upgrades/app.yaml": `apiVersion: upgradegate/v1
kind: Upgrade
metadata: {name: app}
spec:
  component: app
  from: 1.0.0
  to: 2.0.0
  config:
    - {file: deploy/values.yaml, key: db.password, expect: absent}
    - {file: deploy/values.yaml, key: db.passwd}
    - {file: deploy/app.env, key: PASSWORD}
  secrets:
    - {name: DB_ROOT_PASSWORD, store: env}
    - {name: MISSING_ONE, store: env}
    - {name: DB_ROOT_PASSWORD, store: github}
    - {name: DB_ROOT_PASSWORD, store: github, scope: environment, environment: production}
    - {name: gitlab-db, store: vault, path: secret/gitlab/db, key: root_password}
    - {name: gitlab-db, store: vault, path: secret/gitlab/db, key: absent_key}
    - {name: db, store: kubernetes, file: k8s/secrets.yaml, namespace: prod}
    - {name: other, store: kubernetes, file: k8s/secrets.yaml}
`,
	}
	testtree.Add(t, root, files)
	gh := fakegithub.New(t, c["ghtoken"], "acme", "app")
	gh.RepoSecret = []string{"DB_ROOT_PASSWORD"}
	gh.EnvSecret["production"] = []string{"OTHER"}
	v := refstest.NewVault(t, c["vaulttoken"])
	v.Secrets["secret/gitlab/db"] = refstest.VaultSecret{Data: map[string]string{"root_password": c["vaultdata"]}}
	addr, _ := url.Parse(v.URL)
	addr.User = url.UserPassword("vault", c["vaultaddr"])
	env := map[string]string{
		"DB_ROOT_PASSWORD": c["env"], "VAULT_ADDR": addr.String(), "VAULT_TOKEN": c["vaulttoken"],
		"GITHUB_API_URL": gh.URL, "GITHUB_REPOSITORY": "acme/app",
	}
	out := t.TempDir()
	args := []string{"check", "--root", root, root, "--github-token", c["ghtoken"], "--now", "2026-11-22T12:00:00Z"}
	var reports []string
	for _, f := range report.Names() {
		if f == "text" {
			args = append(args, "--format", "text")
			continue
		}
		args = append(args, "--format", f+"="+filepath.Join(out, "report."+f))
		reports = append(reports, filepath.Join(out, "report."+f))
	}
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, Env{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return env[k] }})
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	outputs := []string{stdout.String(), stderr.String()}
	for _, r := range reports {
		data, err := os.ReadFile(r)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, string(data))
	}
	// the run did ask every store and report what was missing
	for _, want := range []string{`secret "MISSING_ONE" is missing`, `"absent_key"`, `secret "other" is missing`, "[UG402]", "[UG411]"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("text report lacks %q:\n%s", want, stdout.String())
		}
	}
	if gh.Calls("/api/v3/repos/acme/app/actions/secrets") != 1 || v.Calls("/v1/secret/data/gitlab/db") == 0 {
		t.Errorf("stores not asked as expected: github %v, vault %v", gh.Requests(), v.Requests())
	}
	refstest.AssertNoLeaks(t, canaries, outputs...)
}
