// Package refstest provides a fake of the Vault API that answers like the
// documented one and records every request, a sink for redirects, and
// helpers to prove that no secret value or token reaches the gate's output.
// It is for tests (this package's and the CLI's); the fake GitHub is
// internal/fakegithub.
package refstest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/finding"
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// VaultSecret is one KV v2 secret of the fake Vault.
type VaultSecret struct {
	Data      map[string]string // the latest version's data
	Version   int               // the current version; 0 means 1
	Deleted   bool              // the latest version was deleted
	Destroyed bool              // the latest version was destroyed
	// NoVersions is metadata written with "vault kv metadata put" and no
	// value ever: current_version 0, no versions, the data endpoint 404.
	NoVersions bool
}

// Vault fakes Vault's KV v2 metadata and data endpoints. Set its fields before
// the first request.
type Vault struct {
	*httptest.Server
	fakegithub.Recorder

	Token     string                 // the X-Vault-Token it accepts
	Namespace string                 // when set, X-Vault-Namespace must equal it
	Secrets   map[string]VaultSecret // "MOUNT/PATH" -> secret
	// Status answers every request for "MOUNT/PATH" with a status instead.
	Status map[string]int
	// Hang holds every answer back (a server that never answers) until the
	// client gives up or the test ends, so a client's timeout always fires.
	Hang bool
	// Redirect answers every request for "MOUNT/PATH" with a 307 (what a
	// standby node answers) to the same path under this base URL.
	Redirect map[string]string

	ended chan struct{} // closed when the test ends, releasing the handlers that Hang
}

// NewVault starts a fake Vault over plain HTTP (closed when t ends).
func NewVault(t testing.TB, token string) *Vault {
	v := newVault(token)
	v.Server = fakegithub.Start(t, v.handler())
	t.Cleanup(func() { close(v.ended) }) // runs before Start's Close, which waits for the handlers
	return v
}

// NewTLSVault starts a fake Vault over HTTPS with a self-signed certificate;
// CACertFile writes that certificate for VAULT_CACERT.
func NewTLSVault(t testing.TB, token string) *Vault {
	v := newVault(token)
	v.Server = httptest.NewUnstartedServer(v.handler())
	v.Config.ErrorLog = log.New(io.Discard, "", 0) // untrusted-client handshakes are expected
	v.StartTLS()
	t.Cleanup(v.Close)
	t.Cleanup(func() { close(v.ended) })
	return v
}

// CACertFile writes the TLS server's certificate as a PEM file in a temporary
// directory and returns its name.
func (v *Vault) CACertFile(t testing.TB) string {
	t.Helper()
	name := filepath.Join(t.TempDir(), "vault-ca.pem")
	block := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: v.Certificate().Raw})
	if err := os.WriteFile(name, block, 0o600); err != nil {
		t.Fatal(err)
	}
	return name
}

func newVault(token string) *Vault {
	return &Vault{Token: token, Secrets: map[string]VaultSecret{}, Status: map[string]int{}, Redirect: map[string]string{}, ended: make(chan struct{})}
}

func (v *Vault) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1/{mount}/{kind}/{path...}", func(w http.ResponseWriter, r *http.Request) {
		v.Record(r, nil, "vault")
		if v.Hang {
			select {
			case <-r.Context().Done():
			case <-v.ended:
			}
			return
		}
		if r.Header.Get("X-Vault-Token") != v.Token || (v.Namespace != "" && r.Header.Get("X-Vault-Namespace") != v.Namespace) {
			writeJSON(w, 403, map[string]any{"errors": []string{"permission denied"}})
			return
		}
		key := r.PathValue("mount") + "/" + r.PathValue("path")
		if to, ok := v.Redirect[key]; ok {
			http.Redirect(w, r, to+r.URL.RequestURI(), http.StatusTemporaryRedirect)
			return
		}
		if code, ok := v.Status[key]; ok {
			writeJSON(w, code, map[string]any{"errors": []string{http.StatusText(code)}})
			return
		}
		s, ok := v.Secrets[key]
		switch kind := r.PathValue("kind"); {
		case !ok:
			writeJSON(w, 404, map[string]any{"errors": []string{}})
		case kind == "metadata":
			writeJSON(w, 200, envelope(s.metadata()))
		case kind == "data" && s.NoVersions:
			writeJSON(w, 404, map[string]any{"errors": []string{}})
		case kind == "data":
			ver := s.versionMeta()
			if s.Deleted || s.Destroyed {
				writeJSON(w, 404, envelope(map[string]any{"data": nil, "metadata": ver}))
				return
			}
			writeJSON(w, 200, envelope(map[string]any{"data": s.Data, "metadata": ver}))
		default:
			writeJSON(w, 404, map[string]any{"errors": []string{}})
		}
	})
	return mux
}

// envelope wraps data like every Vault answer.
func envelope(data any) map[string]any {
	return map[string]any{"request_id": "0d5f2c3e-1111-2222-3333-444455556666", "lease_id": "", "renewable": false,
		"lease_duration": 0, "data": data, "wrap_info": nil, "warnings": nil, "auth": nil}
}

func (s VaultSecret) current() int {
	if s.Version <= 0 {
		return 1
	}
	return s.Version
}

func (s VaultSecret) versionMeta() map[string]any {
	del := ""
	if s.Deleted {
		del = "2026-01-12T08:00:00Z"
	}
	return map[string]any{"created_time": "2026-01-10T10:00:00Z", "custom_metadata": nil, "deletion_time": del,
		"destroyed": s.Destroyed, "version": s.current()}
}

func (s VaultSecret) metadata() map[string]any {
	if s.NoVersions {
		return map[string]any{"cas_required": false, "created_time": "2026-01-10T10:00:00Z", "current_version": 0,
			"custom_metadata": map[string]string{"owner": "db-team"}, "delete_version_after": "0s", "max_versions": 0,
			"oldest_version": 0, "updated_time": "2026-01-10T10:00:00Z", "versions": map[string]any{}}
	}
	versions := map[string]any{}
	for i := 1; i <= s.current(); i++ {
		m := map[string]any{"created_time": "2026-01-10T10:00:00Z", "deletion_time": "", "destroyed": false}
		if i == s.current() {
			m = s.versionMeta()
			delete(m, "version")
			delete(m, "custom_metadata")
		}
		versions[strconv.Itoa(i)] = m
	}
	return map[string]any{"cas_required": false, "created_time": "2026-01-10T10:00:00Z", "current_version": s.current(),
		"custom_metadata": nil, "delete_version_after": "0s", "max_versions": 0, "oldest_version": 0,
		"updated_time": "2026-01-10T10:00:00Z", "versions": versions}
}

// Sink is a server that must never be reached with a token: a redirect's
// foreign target. It records every request and answers 404.
type Sink struct {
	*httptest.Server
	fakegithub.Recorder
}

// NewSink starts a Sink (closed when t ends).
func NewSink(t testing.TB) *Sink {
	s := &Sink{}
	s.Server = fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.Record(r, nil, fakegithub.Unknown)
		writeJSON(w, 404, map[string]any{"errors": []string{}})
	}))
	return s
}

// Canary returns a distinctive fake secret value, unique per call, to plant
// where a leak would show: "s3cr3t-CANARY-<label>-<random hex>".
func Canary(label string) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "s3cr3t-CANARY-" + label + "-" + hex.EncodeToString(b)
}

// FindingsText joins every field of every finding, the unexported-to-JSON
// ones included, so that a leak anywhere in a finding shows.
func FindingsText(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s|%s|%s|%d|%d|%s|%s|%t|%s|%s|%s\n", f.Rule, f.Severity, f.File, f.Line, f.Column,
			f.Message, f.Hint, f.Suppressed, f.Node, f.Manifest, f.SuppressedBy)
	}
	return b.String()
}

// leaks returns the canaries found in any of the outputs, sorted; also the
// "s3cr3t-CANARY" marker itself, in case a value was cut or re-encoded.
func leaks(canaries []string, outputs ...string) []string {
	set := map[string]bool{}
	for _, out := range outputs {
		for _, c := range canaries {
			if c != "" && strings.Contains(out, c) {
				set[c] = true
			}
		}
		if strings.Contains(strings.ToLower(out), "s3cr3t-canary") {
			set["s3cr3t-CANARY (marker)"] = true
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// AssertNoLeaks fails the test when any canary appears in the outputs.
func AssertNoLeaks(t testing.TB, canaries []string, outputs ...string) {
	t.Helper()
	if leaks := leaks(canaries, outputs...); len(leaks) > 0 {
		t.Errorf("secret values or tokens leaked into the output: %q", leaks)
	}
}
