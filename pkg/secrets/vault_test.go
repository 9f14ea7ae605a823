package secrets_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/refs/refstest"
	"github.com/upgradegate/upgradegate/pkg/secrets"
)

const vaultToken = "hvs.test-token-abcdef"

func newVaultFake(t *testing.T) *refstest.Vault {
	fake := refstest.NewVault(t, vaultToken)
	fake.Secrets["secret/gitlab/db"] = refstest.VaultSecret{Data: map[string]string{"root_password": "s3cr3t-value", "user": "gitlab"}, Version: 3}
	fake.Secrets["secret/gitlab/deleted"] = refstest.VaultSecret{Data: map[string]string{"k": "v"}, Version: 2, Deleted: true}
	fake.Secrets["secret/gitlab/destroyed"] = refstest.VaultSecret{Data: map[string]string{"k": "v"}, Destroyed: true}
	fake.Secrets["kv/team a/db"] = refstest.VaultSecret{Data: map[string]string{"k": "v"}}
	return fake
}

func TestVault(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	fake.Namespace = "admin/team"
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken, Namespace: "admin/team"})
	tests := []struct {
		ref    secrets.Ref
		exists bool
		detail string
	}{
		{secrets.Ref{Name: "gitlab-db", Path: "secret/gitlab/db"}, true, ""},
		{secrets.Ref{Name: "gitlab-db", Path: "secret/gitlab/db", Key: "root_password"}, true, ""},
		{secrets.Ref{Name: "gitlab-db", Path: "secret/gitlab/db", Key: "admin_password"}, false, `has no key "admin_password" (its keys: "root_password", "user")`},
		{secrets.Ref{Name: "gone", Path: "secret/gitlab/missing"}, false, `no KV v2 secret "secret/gitlab/missing"`},
		{secrets.Ref{Name: "del", Path: "secret/gitlab/deleted"}, false, "latest version 2 was deleted"},
		{secrets.Ref{Name: "des", Path: "secret/gitlab/destroyed", Key: "k"}, false, "latest version 1 was destroyed"},
		{secrets.Ref{Name: "spaces", Path: "/kv/team a/db/"}, true, ""},
	}
	for _, tt := range tests {
		res, err := v.Check(context.Background(), tt.ref)
		if err != nil {
			t.Fatalf("Check(%+v): %v", tt.ref, err)
		}
		if res.Exists != tt.exists || !strings.Contains(res.Detail, tt.detail) {
			t.Errorf("Check(%+v) = %+v; want exists %t, detail containing %q", tt.ref, res, tt.exists, tt.detail)
		}
		if strings.Contains(res.Detail, "s3cr3t") {
			t.Errorf("a value leaked into the detail: %q", res.Detail)
		}
	}
	want := map[string]int{
		"/v1/secret/metadata/gitlab/db":        1, // asked three times, fetched once
		"/v1/secret/data/gitlab/db":            1,
		"/v1/secret/metadata/gitlab/missing":   1,
		"/v1/secret/data/gitlab/missing":       0,
		"/v1/secret/metadata/gitlab/deleted":   1,
		"/v1/secret/data/gitlab/destroyed":     0, // the metadata said so already
		"/v1/secret/metadata/gitlab/destroyed": 1,
		"/v1/kv/metadata/team a/db":            1,
	}
	for path, n := range want {
		if got := fake.Calls(path); got != n {
			t.Errorf("%s: %d calls, want %d", path, got, n)
		}
	}
	for _, r := range fake.Requests() {
		if r.Method != http.MethodGet || r.Header.Get("X-Vault-Token") != vaultToken ||
			r.Header.Get("X-Vault-Namespace") != "admin/team" || r.Header.Get("X-Vault-Request") != "true" {
			t.Errorf("%s %s: headers %v", r.Method, r.Path, r.Header)
		}
		if r.Path == "/v1/kv/metadata/team a/db" && r.EscapedPath != "/v1/kv/metadata/team%20a/db" {
			t.Errorf("path not escaped: %q", r.EscapedPath)
		}
	}
}

// TestVaultScheduledDeletion: a deletion_time in the future has not happened.
func TestVaultScheduledDeletion(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	past := time.Date(2026, 1, 11, 0, 0, 0, 0, time.UTC) // the fake deletes at 2026-01-12T08:00:00Z
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken, Now: func() time.Time { return past }})
	res, err := v.Check(context.Background(), secrets.Ref{Path: "secret/gitlab/deleted"})
	if err != nil || !res.Exists {
		t.Fatalf("Check = %+v, %v; want it to exist until its deletion time", res, err)
	}
}

func TestVaultUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		opts   func(*secrets.VaultOptions, *refstest.Vault)
		ref    secrets.Ref
		reason []string
	}{
		{"no address", func(o *secrets.VaultOptions, _ *refstest.Vault) { o.Addr = "" }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"VAULT_ADDR is not set"}},
		{"bad address", func(o *secrets.VaultOptions, _ *refstest.Vault) { o.Addr = "vault:8200" }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"VAULT_ADDR is not an http(s) URL"}},
		{"no token", func(o *secrets.VaultOptions, _ *refstest.Vault) { o.Token = "" }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"VAULT_TOKEN is not set"}},
		{"wrong token", func(o *secrets.VaultOptions, _ *refstest.Vault) { o.Token = "hvs.wrong-token-xyz" }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"HTTP 403", `lacks "read" on "secret/metadata/gitlab/db"`}},
		{"403 on one path", nil, secrets.Ref{Path: "secret/gitlab/forbidden", Key: "k"},
			[]string{"HTTP 403"}},
		{"401", func(_ *secrets.VaultOptions, f *refstest.Vault) { f.Status["secret/gitlab/db"] = 401 }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"HTTP 401", `lacks "read" on "secret/metadata/gitlab/db"`}},
		{"429", func(_ *secrets.VaultOptions, f *refstest.Vault) { f.Status["secret/gitlab/db"] = 429 }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"rate limiting", "HTTP 429"}},
		{"dot-dot", nil, secrets.Ref{Path: "secret/../sys/policy"}, []string{`has a ".." segment`}},
		{"sealed", func(_ *secrets.VaultOptions, f *refstest.Vault) { f.Status["secret/gitlab/db"] = 503 }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"sealed or unavailable (HTTP 503)"}},
		{"500", func(_ *secrets.VaultOptions, f *refstest.Vault) { f.Status["secret/gitlab/db"] = 500 }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{"Vault failed (HTTP 500)"}},
		{"no mount", nil, secrets.Ref{Path: "gitlab"}, []string{"has no mount"}},
		{"unreachable", func(o *secrets.VaultOptions, f *refstest.Vault) { o.Addr = "http://127.0.0.1:1" }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{`cannot reach Vault at "127.0.0.1:1"`, "refused"}},
		{"slow", func(o *secrets.VaultOptions, f *refstest.Vault) {
			f.Hang = true
			o.Timeout = 150 * time.Millisecond
		},
			secrets.Ref{Path: "secret/gitlab/db"}, []string{"timed out"}},
		{"unreadable CA", func(o *secrets.VaultOptions, _ *refstest.Vault) { o.CACert = "/nonexistent/ca.pem" }, secrets.Ref{Path: "secret/gitlab/db"},
			[]string{`VAULT_CACERT "/nonexistent/ca.pem" cannot be read`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fake := newVaultFake(t)
			fake.Status["secret/gitlab/forbidden"] = 403
			o := secrets.VaultOptions{Addr: fake.URL, Token: vaultToken}
			if tt.opts != nil {
				tt.opts(&o, fake)
			}
			v := secrets.NewVault(o)
			_, err := v.Check(context.Background(), tt.ref)
			var un *secrets.UnavailableError
			if !errors.As(err, &un) {
				t.Fatalf("Check = %v, want an *UnavailableError", err)
			}
			for _, want := range tt.reason {
				if !strings.Contains(un.Reason, want) {
					t.Errorf("reason %q lacks %q", un.Reason, want)
				}
			}
			if o.Token != "" && strings.Contains(un.Error()+un.Hint, o.Token) {
				t.Errorf("the error holds the token: %q", un.Error())
			}
		})
	}
}

// TestVaultDownFailsFast: once Vault cannot be reached, later paths are not
// tried (each would wait for the timeout).
func TestVaultDownFailsFast(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	fake.Hang = true
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken, Timeout: time.Second})
	for _, p := range []string{"secret/a/1", "secret/a/2", "secret/a/3"} {
		if _, err := v.Check(context.Background(), secrets.Ref{Path: p}); err == nil {
			t.Fatalf("Check(%q) succeeded against a server that never answers", p)
		}
	}
	if n := len(fake.Requests()); n != 1 {
		t.Errorf("%d requests, want 1: the others should fail at once", n)
	}
}

// TestVaultTLS trusts the server through VAULT_CACERT's file.
func TestVaultTLS(t *testing.T) {
	t.Parallel()
	fake := refstest.NewTLSVault(t, vaultToken)
	fake.Secrets["secret/app"] = refstest.VaultSecret{Data: map[string]string{"k": "v"}}
	untrusted := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken})
	_, err := untrusted.Check(context.Background(), secrets.Ref{Path: "secret/app"})
	var un *secrets.UnavailableError
	if !errors.As(err, &un) || !strings.Contains(un.Reason, "not trusted") {
		t.Fatalf("without the CA: %v, want an untrusted certificate", err)
	}
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken, CACert: fake.CACertFile(t)})
	res, err := v.Check(context.Background(), secrets.Ref{Path: "secret/app", Key: "k"})
	if err != nil || !res.Exists {
		t.Fatalf("with VAULT_CACERT: %+v, %v", res, err)
	}
}

// TestVaultConcurrent: many goroutines asking about one path cause one request per endpoint.
func TestVaultConcurrent(t *testing.T) {
	t.Parallel()
	fake := newVaultFake(t)
	v := secrets.NewVault(secrets.VaultOptions{Addr: fake.URL, Token: vaultToken})
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if res, err := v.Check(context.Background(), secrets.Ref{Path: "secret/gitlab/db", Key: "user"}); err != nil || !res.Exists {
				t.Errorf("Check = %+v, %v", res, err)
			}
		}()
	}
	wg.Wait()
	if n := len(fake.Requests()); n != 2 {
		t.Errorf("%d requests, want 2 (metadata and data, once each)", n)
	}
}
