package secrets_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/secrets"
)

const k8sFile = `apiVersion: v1
kind: Secret
metadata:
  name: gitlab-db
  namespace: gitlab
type: Opaque
data:
  password: czNjcjN0
---
apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: registry-auth
spec:
  encryptedData:
    token: AgBy3i4OJSWK
---
apiVersion: external-secrets.io/v1beta1
kind: ExternalSecret
metadata:
  name: smtp-sync
  namespace: gitlab
spec:
  target:
    name: smtp-credentials
---
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Secret
    metadata:
      name: in-a-list
      namespace: other
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: not-a-secret
---
apiVersion: example.com/v1
kind: Secret
metadata:
  name: wrong-group
`

func TestKubernetes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "k8s"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"k8s/secrets.yaml": k8sFile, "k8s/broken.yaml": "a:\n  b: 1\n c: 2\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	k := secrets.Kubernetes{Files: &configfile.Cache{}}
	tests := []struct {
		name, namespace, file string
		exists                bool
		detail                string
	}{
		{"gitlab-db", "", "k8s/secrets.yaml", true, "line 1"},
		{"gitlab-db", "gitlab", "k8s/secrets.yaml", true, ""},
		{"gitlab-db", "default", "k8s/secrets.yaml", false, `found Secret "gitlab-db" in namespace "gitlab" at line 1`},
		{"registry-auth", "gitlab", "k8s/secrets.yaml", true, "SealedSecret"}, // no namespace: chosen when applied
		{"smtp-sync", "gitlab", "k8s/secrets.yaml", true, "ExternalSecret"},
		{"smtp-credentials", "", "k8s/secrets.yaml", true, "ExternalSecret"},
		{"in-a-list", "other", "k8s/secrets.yaml", true, ""},
		{"not-a-secret", "", "k8s/secrets.yaml", false, `no Secret, SealedSecret or ExternalSecret named "not-a-secret" is defined in "k8s/secrets.yaml"`},
		{"wrong-group", "", "k8s/secrets.yaml", false, ""},
		{"gitlab-db", "", "k8s/missing.yaml", false, `file "k8s/missing.yaml", which should define it, does not exist`},
	}
	for _, tt := range tests {
		res, err := k.Check(context.Background(), secrets.Ref{Name: tt.name, Namespace: tt.namespace, File: tt.file, Repo: r})
		if err != nil {
			t.Fatalf("Check(%s): %v", tt.name, err)
		}
		if res.Exists != tt.exists || !strings.Contains(res.Detail, tt.detail) {
			t.Errorf("Check(%s in %q) = %+v; want exists %t, detail containing %q", tt.name, tt.namespace, res, tt.exists, tt.detail)
		}
		if strings.Contains(res.Detail, "czNjcjN0") || strings.Contains(res.Detail, "AgBy3i4OJSWK") {
			t.Errorf("secret data in the detail: %q", res.Detail)
		}
	}
	_, err = k.Check(context.Background(), secrets.Ref{Name: "x", File: "k8s/broken.yaml", Repo: r})
	var se *configfile.SyntaxError
	if !errors.As(err, &se) || se.Line != 3 {
		t.Errorf("broken file: %v, want a *configfile.SyntaxError on line 3", err)
	}
}

// TestKubernetesAliasBomb: a few kilobytes of List items that are aliases of
// Lists of aliases (40^8 paths) are read in linear time, and the Secret at
// their bottom is still found.
func TestKubernetesAliasBomb(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: List\nitems:\n  - &l1 {apiVersion: v1, kind: List, items: [{apiVersion: v1, kind: Secret, metadata: {name: deep}}]}\n")
	for i := 2; i <= 9; i++ {
		fmt.Fprintf(&b, "  - &l%d {apiVersion: v1, kind: List, items: [%s]}\n", i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*l%d, ", i-1), 40), ", "))
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bomb.yaml"), []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	k := secrets.Kubernetes{Files: &configfile.Cache{}}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for name, want := range map[string]bool{"deep": true, "nope": false} {
			res, err := k.Check(context.Background(), secrets.Ref{Name: name, File: "bomb.yaml", Repo: r})
			if err != nil || res.Exists != want {
				t.Errorf("Check(%s) = %+v, %v; want exists %t", name, res, err, want)
			}
		}
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the check did not finish: aliases are expanded")
	}
}

func TestEnv(t *testing.T) {
	t.Parallel()
	env := secrets.Env{Getenv: func(k string) string { return map[string]string{"SET": "s3cr3t-x", "EMPTY": ""}[k] }}
	for name, want := range map[string]bool{"SET": true, "EMPTY": false, "UNSET": false} {
		res, err := env.Check(context.Background(), secrets.Ref{Name: name})
		if err != nil || res.Exists != want {
			t.Errorf("Check(%s) = %+v, %v; want exists %t", name, res, err, want)
		}
		if strings.Contains(res.Detail, "s3cr3t") {
			t.Errorf("value in the detail: %q", res.Detail)
		}
	}
	var un *secrets.UnavailableError
	if _, err := (secrets.Env{}).Check(context.Background(), secrets.Ref{Name: "X"}); !errors.As(err, &un) {
		t.Errorf("without Getenv: %v, want an *UnavailableError", err)
	}
}

func TestRedact(t *testing.T) {
	t.Parallel()
	got := secrets.Redact("token ghp_abcdef123 and hvs.XYZ123 and abc", "ghp_abcdef123", "hvs.XYZ123", "abc", "")
	if want := "token [redacted] and [redacted] and abc"; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}

// FuzzKubernetes reads arbitrary YAML, with a Secret whose data holds a
// canary appended: no panic, and neither the answer nor a syntax error
// repeats the canary.
func FuzzKubernetes(f *testing.F) {
	f.Add(k8sFile, "gitlab-db", "gitlab")
	f.Add("kind: List\nitems: [{kind: List, items: [*a]}]\n", "x", "")
	f.Add("a: &a [*a]\nkind: SecretList\nitems: *a\n", "x", "")
	f.Add("apiVersion: v1\nkind: Secret\nmetadata: {name: canary, namespace: [x]}\n", "canary", "n")
	f.Add("password: \"", "x", "")
	const canary = "s3cr3t-CANARY-fuzz"
	f.Fuzz(func(t *testing.T, doc, name, namespace string) {
		dir := t.TempDir()
		data := doc + "\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: canary}\nstringData: {password: " + canary + "}\n"
		if err := os.WriteFile(filepath.Join(dir, "s.yaml"), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		r, err := repo.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		res, err := secrets.Kubernetes{Files: &configfile.Cache{}}.Check(context.Background(),
			secrets.Ref{Name: name, Namespace: namespace, File: "s.yaml", Repo: r})
		text := res.Detail
		if err != nil {
			text += err.Error()
		}
		if strings.Contains(text, canary) && !strings.Contains(name+namespace+doc, canary) {
			t.Fatalf("the canary leaked: %q", text)
		}
		if err == nil && name == "canary" && (namespace == "" || !strings.Contains(doc, "canary")) && !res.Exists {
			t.Fatalf("the appended Secret %q was not found: %s", name, res.Detail)
		}
	})
}
