package workspace

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

const eolProduct = `{
  "schema_version": "1.2.0",
  "generated_at": "2026-11-30T08:00:00+00:00",
  "result": {
    "name": "app",
    "releases": [
      {"name": "2.0", "isLts": false, "eoasFrom": "2027-01-01", "isEol": false, "eolFrom": "2027-06-01",
       "latest": {"name": "2.0.3", "date": "2026-10-01"}}
    ]
  }
}
`

func policyWithImports(imports string) string {
	return pol + "  import:\n" + imports
}

func findingStrings(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	return out
}

// TestImportsAreRead: the workspace reads each import's file through the
// repository with its format's Source and adds the rules before Build.
func TestImportsAreRead(t *testing.T) {
	t.Parallel()
	w := open(t, map[string]string{
		"policies/app.yaml":               policyWithImports("    - {format: endoflife, file: vendor/eol/app.json}\n"),
		"vendor/eol/app.json":             eolProduct,
		"vendor/eol/app.json.source.json": `{"url": "https://endoflife.date/api/v1/products/app", "fetched": "2026-11-29T10:00:00Z", "sha256": "00"}`,
	})
	p := w.Policy("policies/app.yaml")
	if p.Err != nil || len(p.Findings) != 0 || p.Policy == nil || p.Policy.Engine == nil {
		t.Fatalf("Policy() = %v, %v", findingStrings(p.Findings), p.Err)
	}
	cy := p.Policy.Cycles
	if len(cy) != 1 || cy[0].Name != "2.0" || cy[0].Pos.File != "vendor/eol/app.json" || cy[0].Pos.Line != 7 {
		t.Fatalf("cycles = %+v, want 2.0 at vendor/eol/app.json:7", cy)
	}
	im := p.Policy.Imports[0]
	if im.Rel != "vendor/eol/app.json" || !im.Dated.Equal(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)) ||
		!im.Fetched.Equal(time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)) || im.FetchedFrom != "vendor/eol/app.json.source.json" {
		t.Errorf("import = %+v", im)
	}
}

// TestImportProblems: an import that leaves the repository is UG006; a
// missing, huge or malformed vendor file, or bad provenance, is UG706 —
// never an error of the run, never a panic.
func TestImportProblems(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat(" ", 16<<20) + "{}"
	w := open(t, map[string]string{
		"policies/app.yaml": policyWithImports(`    - {format: endoflife, file: ../outside.json}
    - {format: endoflife, file: vendor/missing.json, url: "https://example.com/x.json"}
    - {format: endoflife, file: vendor/huge.json}
    - {format: endoflife, file: vendor/truncated.json}
    - {format: endoflife, file: vendor/ok.json}
`),
		"vendor/huge.json":           huge,
		"vendor/truncated.json":      eolProduct[:120],
		"vendor/ok.json":             eolProduct,
		"vendor/ok.json.source.json": `{"url": "x", "fetched": "yesterday"}`,
	})
	p := w.Policy("policies/app.yaml")
	if p.Err != nil || p.Policy == nil {
		t.Fatalf("Policy() error = %v", p.Err)
	}
	want := []string{
		`policies/app.yaml:7:33: error: import file "../outside.json" leaves the repository: it climbs above the repository root with '..' [UG006]`,
		`policies/app.yaml:8:33: error: endoflife import "vendor/missing.json" cannot be read: no such file or directory [UG706]`,
		`policies/app.yaml:9:33: error: endoflife import "vendor/huge.json" is 16777218 bytes, over the limit of 16 MiB for a vendor file [UG706]`,
		`vendor/truncated.json:6:10: error: endoflife file "vendor/truncated.json" is not JSON: line 6, column 10: unexpected end of file (truncated?) [UG706]`,
		`vendor/ok.json.source.json:1:1: error: provenance "vendor/ok.json.source.json": fetched "yesterday" is not an RFC 3339 time [UG706]`,
	}
	if diff := cmp.Diff(want, findingStrings(p.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if p.Policy.Broken || p.Policy.Engine == nil {
		t.Error("the policy's own rules stay usable beside a broken import")
	}
	if len(p.Policy.Cycles) != 1 {
		t.Errorf("the good import's cycles = %d, want 1", len(p.Policy.Cycles))
	}
}

// TestImportsOutsideARepository: `path --policy FILE` outside a repository
// cannot read repository paths: UG706 says so.
func TestImportsOutsideARepository(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := dir + "/p.yaml"
	if err := os.WriteFile(path, []byte(policyWithImports("    - {format: endoflife, file: vendor/eol/app.json}\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	p := ReadPolicyFile(path, "p.yaml")
	got := findingStrings(p.Findings)
	if len(got) != 1 || !strings.Contains(got[0], "[UG706]") || !strings.Contains(got[0], "outside one") {
		t.Errorf("findings = %v, want one UG706 saying imports need a repository", got)
	}
}
