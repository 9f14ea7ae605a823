package pull

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

const product = `{"schema_version": "1.2.0", "generated_at": "2026-11-30T08:00:00+00:00",
 "result": {"name": "app", "releases": [{"name": "2.0", "isLts": false, "isEol": false, "eolFrom": "2027-06-01",
  "latest": {"name": "2.0.3", "date": "2026-10-01"}}]}}
`

// vendor is a vendor's server on 127.0.0.1 that records every request and
// answers from routes; a path without a route is 404.
type vendor struct {
	*httptest.Server
	mu       sync.Mutex
	requests []*http.Request
}

func newVendor(t *testing.T, routes map[string]http.HandlerFunc) *vendor {
	t.Helper()
	v := &vendor{}
	v.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		v.mu.Lock()
		v.requests = append(v.requests, r.Clone(context.Background()))
		n := len(v.requests)
		v.mu.Unlock()
		if n > 50 {
			http.Error(w, "too many requests", http.StatusTooManyRequests)
			return
		}
		if h, ok := routes[r.URL.Path]; ok {
			h(w, r)
			return
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(v.Close)
	return v
}

func (v *vendor) count() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return len(v.requests)
}

func serve(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }
}

func policyFile(imports ...string) string {
	return "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: app\n  import:\n" + strings.Join(imports, "")
}

func imp(file, url string) string {
	return "    - {format: endoflife, file: " + file + ", url: \"" + url + "\"}\n"
}

var fixedNow = func() time.Time { return time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC) }

func TestPullWritesFileAndProvenance(t *testing.T) {
	t.Parallel()
	v := newVendor(t, map[string]http.HandlerFunc{"/api/v1/products/app": serve(product)})
	dir := testtree.Write(t, map[string]string{
		"policies/app.yaml": policyFile(imp("vendor/eol/app.json", v.URL+"/api/v1/products/app"), "    - {format: endoflife, file: vendor/eol/local.json}\n"),
		"other/p.yaml":      "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: other\n",
	})
	var log strings.Builder
	got, err := Pull(context.Background(), Options{Root: dir, Now: fixedNow, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].File != "vendor/eol/app.json" || got[0].Policy != "policies/app.yaml" {
		t.Fatalf("Pull() = %+v", got)
	}
	data, err := os.ReadFile(filepath.Join(dir, "vendor/eol/app.json"))
	if err != nil || string(data) != product {
		t.Fatalf("vendor file = %q, %v", data, err)
	}
	var prov workspace.Provenance
	raw, err := os.ReadFile(filepath.Join(dir, "vendor/eol/app.json.source.json"))
	if err != nil || json.Unmarshal(raw, &prov) != nil {
		t.Fatalf("provenance = %q, %v", raw, err)
	}
	sum := sha256.Sum256([]byte(product))
	want := workspace.Provenance{URL: v.URL + "/api/v1/products/app", Fetched: "2026-12-01T09:30:00Z", SHA256: hex.EncodeToString(sum[:])}
	if prov != want {
		t.Errorf("provenance = %+v, want %+v", prov, want)
	}
	if v.count() != 1 {
		t.Errorf("%d requests, want 1", v.count())
	}
	if !strings.Contains(log.String(), "pulled "+want.URL+" -> vendor/eol/app.json") {
		t.Errorf("log = %q", log.String())
	}
	// what was written is what check reads, with its provenance
	p := workspace.New(mustRepo(t, dir)).Policy("policies/app.yaml")
	if len(p.Policy.Cycles) != 1 || !p.Policy.Imports[0].Fetched.Equal(fixedNow()) {
		t.Errorf("after the pull the policy reads %d cycles, fetched %v", len(p.Policy.Cycles), p.Policy.Imports[0].Fetched)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, "vendor/eol"))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

// TestPullWritesNothingOnAnyFailure: one bad download among good ones
// leaves every file as it was, and the error names the URL.
func TestPullWritesNothingOnAnyFailure(t *testing.T) {
	t.Parallel()
	huge := `{"versions": {` + strings.Repeat(`"1.0.0": {}, `, 2000) + `"1.0.1": {}}}`
	v := newVendor(t, map[string]http.HandlerFunc{
		"/good.json": serve(product),
		"/html":      serve("<html>maintenance</html>"),
		"/truncated": serve(product[:80]),
		"/huge":      serve(huge),
		"/error":     func(w http.ResponseWriter, _ *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) },
		"/redirect-out": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://localhost:1/x", http.StatusFound)
		},
		"/redirect-in": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/good.json", http.StatusFound) },
	})
	for _, tt := range []struct {
		name, path, want string
		check            func(error) bool
	}{
		{"not in its format", "/html", "not in the endoflife format: line 1, column 1", nil},
		{"truncated", "/truncated", "unexpected end of file", nil},
		{"over the size limit", "/huge", "larger than the limit", func(err error) bool { return errors.As(err, new(*safehttp.LimitError)) }},
		{"server error", "/error", "500 Internal Server Error", nil},
		{"redirect to another host", "/redirect-out", "refused", func(err error) bool { return errors.As(err, new(*safehttp.RedirectError)) }},
		{"missing", "/nothing", "404 Not Found", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := testtree.Write(t, map[string]string{
				"policies/app.yaml": policyFile(imp("vendor/a.json", v.URL+"/redirect-in"), imp("vendor/b.json", v.URL+tt.path)),
				"vendor/b.json":     "old b\n",
			})
			// the default timeout: it only bounds a download here, no case
			// depends on how fast the server answers (TestPullTimeout does)
			_, err := Pull(context.Background(), Options{Root: dir, Now: fixedNow, MaxSize: 4 << 10})
			var pe *Error
			if !errors.As(err, &pe) || len(pe.Failures) != 1 || pe.Failures[0].URL != v.URL+tt.path || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Pull() error = %v, want one failure naming %s and %q", err, v.URL+tt.path, tt.want)
			}
			if tt.check != nil && !tt.check(pe.Failures[0].Err) {
				t.Errorf("error %T %v is not of the expected type", pe.Failures[0].Err, pe.Failures[0].Err)
			}
			if _, err := os.Stat(filepath.Join(dir, "vendor/a.json")); !os.IsNotExist(err) {
				t.Errorf("the good download was written although another failed: %v", err)
			}
			if b, _ := os.ReadFile(filepath.Join(dir, "vendor/b.json")); string(b) != "old b\n" {
				t.Errorf("vendor/b.json = %q, want it unchanged", b)
			}
			entries, _ := os.ReadDir(filepath.Join(dir, "vendor"))
			if len(entries) != 1 {
				t.Errorf("vendor/ holds %d entries, want only the old b.json", len(entries))
			}
		})
	}
}

// TestPullTimeout: a server that never answers fails the download with its
// deadline, naming the URL, and leaves the vendor file as it was. The server
// answers only once the client gives up, so the outcome does not depend on
// how long anything takes: the timeout is short only to keep the test fast.
func TestPullTimeout(t *testing.T) {
	t.Parallel()
	stop := make(chan struct{})
	v := newVendor(t, map[string]http.HandlerFunc{
		"/silent": func(_ http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-stop: // the test ended: bounded even if the client never gives up
			}
		},
	})
	t.Cleanup(func() { close(stop) }) // before v.Close, which waits for the handler
	dir := testtree.Write(t, map[string]string{
		"policies/app.yaml": policyFile(imp("vendor/b.json", v.URL+"/silent")),
		"vendor/b.json":     "old b\n",
	})
	_, err := Pull(context.Background(), Options{Root: dir, Now: fixedNow, Timeout: time.Millisecond})
	var pe *Error
	if !errors.As(err, &pe) || len(pe.Failures) != 1 || pe.Failures[0].URL != v.URL+"/silent" || !strings.Contains(err.Error(), "took longer than 1ms") {
		t.Fatalf("Pull() error = %v, want one failure naming %s and its deadline of 1ms", err, v.URL+"/silent")
	}
	if de := new(safehttp.DeadlineError); !errors.As(pe.Failures[0].Err, &de) || de.Run {
		t.Errorf("error %T %v is not the download's own deadline", pe.Failures[0].Err, pe.Failures[0].Err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "vendor/b.json")); string(b) != "old b\n" {
		t.Errorf("vendor/b.json = %q, want it unchanged", b)
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "vendor")); len(entries) != 1 {
		t.Errorf("vendor/ holds %d entries, want only the old b.json", len(entries))
	}
}

// TestPullSendsNoCredentials: no Authorization header or cookie reaches
// the vendor, whatever the environment holds, and a URL with credentials
// is refused before any request.
func TestPullSendsNoCredentials(t *testing.T) {
	t.Setenv("GITHUB_TOKEN", "ghs_secret")
	t.Setenv("GH_TOKEN", "ghs_secret")
	v := newVendor(t, map[string]http.HandlerFunc{"/p.json": serve(product)})
	dir := testtree.Write(t, map[string]string{"p.yaml": policyFile(imp("vendor/p.json", v.URL+"/p.json"))})
	if _, err := Pull(context.Background(), Options{Root: dir, Policies: []string{filepath.Join(dir, "p.yaml")}}); err != nil {
		t.Fatal(err)
	}
	for _, r := range v.requests {
		for name, vals := range r.Header {
			for _, val := range vals {
				if strings.Contains(val, "ghs_secret") || name == "Authorization" || name == "Cookie" {
					t.Errorf("request carried %s: %q", name, val)
				}
			}
		}
	}
	u := strings.Replace(v.URL, "http://", "http://user:pw@", 1)
	dir = testtree.Write(t, map[string]string{"p.yaml": policyFile(imp("vendor/p.json", u+"/p.json"))})
	before := v.count()
	if _, err := Pull(context.Background(), Options{Root: dir}); err == nil || !strings.Contains(err.Error(), "credentials") {
		t.Errorf("URL with credentials: error = %v", err)
	}
	if v.count() != before {
		t.Error("a URL with credentials was requested")
	}
}

func TestPullRefusesFilesOutsideTheRepository(t *testing.T) {
	t.Parallel()
	v := newVendor(t, map[string]http.HandlerFunc{"/p.json": serve(product)})
	outside := t.TempDir()
	dir := testtree.Write(t, map[string]string{"p.yaml": policyFile(imp("out/p.json", v.URL+"/p.json"))})
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Skip(err)
	}
	_, err := Pull(context.Background(), Options{Root: dir})
	if err == nil {
		t.Fatal("Pull() wrote through a symlink out of the repository")
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files written outside the repository: %v", entries)
	}
	if v.count() != 0 {
		t.Errorf("%d requests for an import that cannot be written", v.count())
	}
}

func TestPullWithoutURLs(t *testing.T) {
	t.Parallel()
	dir := testtree.Write(t, map[string]string{"p.yaml": policyFile("    - {format: endoflife, file: vendor/p.json}\n")})
	got, err := Pull(context.Background(), Options{Root: dir})
	if err != nil || len(got) != 0 {
		t.Errorf("Pull() = %v, %v, want nothing", got, err)
	}
}

func mustRepo(t *testing.T, dir string) *repo.Repo {
	t.Helper()
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
