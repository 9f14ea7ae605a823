package policy

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestDecodeImports(t *testing.T) {
	t.Parallel()
	p, fs := parse(t, head+`  import:
    - format: endoflife
      file: vendor/eol/gitlab.json
      url: https://endoflife.date/api/v1/products/gitlab
      maxAge: 30d
    - {format: endoflife, file: vendor/eol/releases.json}
  lifecycle: {warnBefore: 60d}
`)
	sameFindings(t, fs, nil)
	want := []Import{
		{Index: 0, Path: "spec.import[0]", Pos: Pos{File: "p.yaml", Line: 7, Column: 7}, Format: "endoflife", File: "vendor/eol/gitlab.json",
			FilePos: Pos{File: "p.yaml", Line: 8, Column: 13}, URL: "https://endoflife.date/api/v1/products/gitlab", MaxAge: 30 * 24 * time.Hour},
		{Index: 1, Path: "spec.import[1]", Pos: Pos{File: "p.yaml", Line: 11, Column: 7}, Format: "endoflife", File: "vendor/eol/releases.json",
			FilePos: Pos{File: "p.yaml", Line: 11, Column: 33}},
	}
	if diff := cmp.Diff(want, p.Imports, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("imports (-want +got):\n%s", diff)
	}
	if p.Lifecycle.WarnBefore != 60*24*time.Hour {
		t.Errorf("warnBefore = %v, want 60d", p.Lifecycle.WarnBefore)
	}
	if p.Broken {
		t.Error("a policy with valid imports is broken")
	}
}

func TestWarnBeforeDefault(t *testing.T) {
	t.Parallel()
	p, fs := parse(t, head)
	sameFindings(t, fs, nil)
	if p.Lifecycle.WarnBefore != DefaultWarnBefore || DefaultWarnBefore != 90*24*time.Hour {
		t.Errorf("warnBefore = %v, want the default 90d", p.Lifecycle.WarnBefore)
	}
}

func TestDecodeImportsInvalid(t *testing.T) {
	t.Parallel()
	formats := strings.Join(DefaultSources.Names(), ", ")
	_, fs := parse(t, head+`  import:
    - {format: endoflive, file: vendor/x.json}
    - {format: endoflife}
    - {file: vendor/y.json}
    - {format: endoflife, file: v.json, url: "ftp://example.com/x", maxAge: soon}
    - {format: endoflife, file: v.json, bogus: 1}
  lifecycle: {warnBefore: later}
`)
	sameFindings(t, fs, []string{
		`p.yaml:7:16: error: unknown import format "endoflive": expected one of ` + formats + ` [UG004]`,
		"p.yaml:8:7: error: spec.import[1].file is missing [UG003]",
		"p.yaml:9:7: error: spec.import[2].format is missing [UG003]",
		`p.yaml:10:46: error: invalid URL "ftp://example.com/x": expected an absolute http(s) URL [UG004]`,
		`p.yaml:10:77: error: maxAge "soon" is not a positive duration [UG004]`,
		`p.yaml:11:41: error: unknown field "bogus" in spec.import[4] [UG002]`,
		`p.yaml:12:27: error: lifecycle.warnBefore "later" is not a duration [UG004]`,
	})
}
