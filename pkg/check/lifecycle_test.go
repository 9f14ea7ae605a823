package check

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestCheckNeverDownloadsImports: `check` reads an import's committed copy
// only; a url is for `upgradegate vendor pull`. With the copy missing the
// run reports UG706 and the vendor's server sees no request.
func TestCheckNeverDownloadsImports(t *testing.T) {
	t.Parallel()
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		_, _ = w.Write([]byte(`{"result": {"releases": []}}`))
	}))
	defer srv.Close()
	dir := testtree.Write(t, map[string]string{
		"policies/app.yaml": "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: app\n  import:\n" +
			"    - {format: endoflife, file: vendor/eol/app.json, url: \"" + srv.URL + "/app.json\", maxAge: 1d}\n",
		"policies/db.yaml": "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: db\n  import:\n" +
			"    - {format: endoflife, file: vendor/eol/db.json, url: \"" + srv.URL + "/db.json\"}\n",
		"upgrades/app.yaml": "apiVersion: upgradegate/v1\nkind: Upgrade\nmetadata: {name: app}\nspec:\n  component: app\n  policy: ../policies/app.yaml\n" +
			"  from: 1.0.0\n  to: 2.0.0\n  environment: {db: \"1.2.3\"}\n",
	})
	rep, err := Run(context.Background(), Options{Root: dir, Now: goldenNow, FailOn: finding.Error})
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("check sent %d requests to the imports' url", n)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.Rule == rules.UG706 {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d UG706 findings, want 2, one for each missing copy: %v", n, rep.Findings)
	}
}
