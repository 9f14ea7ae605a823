package cli

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

func TestVendorPull(t *testing.T) {
	t.Parallel()
	const product = `{"generated_at": "2026-11-30T08:00:00Z", "result": {"releases": [{"name": "2.0", "eolFrom": "2027-06-01"}]}}`
	requests := make(chan string, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case requests <- r.URL.Path:
		default:
		}
		if r.URL.Path == "/ok.json" {
			_, _ = w.Write([]byte(product))
			return
		}
		_, _ = w.Write([]byte("not json"))
	}))
	defer srv.Close()
	pol := func(path string) string {
		return "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: app\n  import:\n    - {format: endoflife, file: vendor/app.json, url: \"" + srv.URL + path + "\"}\n"
	}
	dir := testtree.Write(t, map[string]string{".upgradegate.yaml": "", "policies/app.yaml": pol("/ok.json"), "policies/bad.yaml": strings.Replace(pol("/bad.json"), "vendor/app.json", "vendor/bad.json", 1)})

	// the bad policy alone: exit 2, the URL named, nothing written
	var out, errb strings.Builder
	code := Run(context.Background(), []string{"vendor", "pull", "policies/bad.yaml"}, Env{Stdout: &out, Stderr: &errb, Dir: dir})
	if code != ExitError || !strings.Contains(errb.String(), srv.URL+"/bad.json") || !strings.Contains(errb.String(), "nothing was written") {
		t.Fatalf("vendor pull bad = %d, stderr %q", code, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "vendor")); !os.IsNotExist(err) {
		t.Errorf("a failed pull wrote %v", err)
	}
	// the good one: exit 0, file and provenance written
	out.Reset()
	errb.Reset()
	code = Run(context.Background(), []string{"vendor", "pull", "policies/app.yaml"}, Env{Stdout: &out, Stderr: &errb, Dir: dir})
	if code != ExitOK || !strings.Contains(out.String(), "pulled "+srv.URL+"/ok.json -> vendor/app.json") {
		t.Fatalf("vendor pull = %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	for _, f := range []string{"vendor/app.json", "vendor/app.json.source.json"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	// without arguments every policy under the root: the bad one fails the run
	code = Run(context.Background(), []string{"vendor", "pull"}, Env{Stdout: &out, Stderr: &errb, Dir: dir})
	if code != ExitError {
		t.Errorf("vendor pull of every policy = %d, want 2 for the bad one", code)
	}
	if code := Run(context.Background(), []string{"vendor"}, Env{Dir: dir}); code != ExitError {
		t.Errorf("vendor without pull = %d, want 2", code)
	}
}
