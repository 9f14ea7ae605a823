package policy

import (
	"os"
	"testing"
	"time"

	version "github.com/hashicorp/go-version"
)

func readTestdata(t *testing.T, name string) (Rules, []string) {
	t.Helper()
	data, err := os.ReadFile("testdata/endoflife/" + name)
	if err != nil {
		t.Fatal(err)
	}
	r, fs := ReadEndOfLife("vendor/"+name, data)
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	return r, got
}

// TestEndOfLifeKubernetes reads the Kubernetes product data (written in
// endoflife.date's format from Kubernetes' published dates, testdata/endoflife/SOURCE.md).
func TestEndOfLifeKubernetes(t *testing.T) {
	t.Parallel()
	r, fs := readTestdata(t, "kubernetes.json")
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if !r.Dated.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("Dated = %v", r.Dated)
	}
	c := r.CycleOf(version.Must(version.NewVersion("1.31.14")))
	if c == nil || c.Name != "1.31" || !c.EOL.Equal(time.Date(2025, 10, 28, 0, 0, 0, 0, time.UTC)) ||
		!c.SupportEnd.Equal(time.Date(2025, 8, 28, 0, 0, 0, 0, time.UTC)) || c.Latest != "1.31.14" || c.Pos.File != "vendor/kubernetes.json" || c.Pos.Line < 2 {
		t.Fatalf("cycle of 1.31.14 = %+v", c)
	}
	at := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	if !c.PastEOL(at) || c.PastEOL(time.Date(2025, 10, 27, 23, 59, 0, 0, time.UTC)) {
		t.Error("1.31 is past its end of life from 2025-10-28 on, not before")
	}
	if n := r.NewestMaintained(at); n == nil || n.Name != "1.36" || n.Latest != "1.36.4" {
		t.Errorf("newest maintained = %+v, want 1.36 (1.36.4)", n)
	}
	if c := r.CycleOf(version.Must(version.NewVersion("1.3.0"))); c != nil {
		t.Errorf("1.3.0 is in cycle %s: 1.3 is not 1.30", c.Name)
	}
}

// TestEndOfLifeGitLab: cycles named "17.3" hold releases 17.3.x.
func TestEndOfLifeGitLab(t *testing.T) {
	t.Parallel()
	r, fs := readTestdata(t, "gitlab.json")
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	c := r.CycleOf(version.Must(version.NewVersion("17.3.7")))
	if c == nil || c.Name != "17.3" || c.Latest != "17.3.7" || !c.EOL.Equal(time.Date(2024, 11, 21, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("cycle of 17.3.7 = %+v", c)
	}
	if c := r.CycleOf(version.Must(version.NewVersion("17.10.2"))); c == nil || c.Name != "17.10" {
		t.Errorf("cycle of 17.10.2 = %+v, want 17.10 (not 17.1)", c)
	}
	if n := r.NewestMaintained(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)); n == nil || n.Name != "18.6" {
		t.Errorf("newest maintained on 2025-12-01 = %+v, want 18.6", n)
	}
	if r.NewestMaintained(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) != nil {
		t.Error("the file ends at 18.6 (end of life 2026-02-19): nothing is maintained on 2026-12-01")
	}
}

// TestEndOfLifeReleaseData reads PostgreSQL versions in release-data's format.
func TestEndOfLifeReleaseData(t *testing.T) {
	t.Parallel()
	r, fs := readTestdata(t, "postgresql.releases.json")
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(r.Releases) != 40 || len(r.Cycles) != 0 {
		t.Fatalf("%d releases, %d cycles: want the versions only", len(r.Releases), len(r.Cycles))
	}
	found := false
	for _, rel := range r.Releases {
		if rel.Version().Original() == "17.7" {
			found = rel.Pos.File == "vendor/postgresql.releases.json" && rel.Pos.Line > 1
		}
		if rel.Version().Prerelease() != "" {
			t.Errorf("pre-release %s is a release", rel.Version())
		}
	}
	if !found {
		t.Error("17.7 is not among the releases, with its line")
	}
}
