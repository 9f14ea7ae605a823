package testtree

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestNoCopiesOfTheBase fails when a golden case holds a file byte-identical
// to the base file it shadows: the case should leave it to the base.
func TestNoCopiesOfTheBase(t *testing.T) {
	td := Testdata(t)
	for _, name := range Cases(t) {
		copies, err := shadowed(td, name)
		if err != nil {
			t.Fatal(err)
		}
		for _, rel := range copies {
			t.Errorf("testdata/check/%s/%s is a copy of testdata/base/%s: delete it, the case gets it from the base", name, rel, rel)
		}
	}
}

// TestEveryCaseAssembles checks each case's omit.txt against the base and
// that every case has its expected report.
func TestEveryCaseAssembles(t *testing.T) {
	td := Testdata(t)
	for _, name := range Cases(t) {
		if _, err := caseFiles(td, name); err != nil {
			t.Error(err)
		}
		if _, err := os.Stat(filepath.Join(td, "check", name, Want)); err != nil {
			t.Errorf("case %s: %v", name, err)
		}
	}
}

func TestFilesLaysTheCaseOverTheBase(t *testing.T) {
	td := Write(t, map[string]string{
		"base/a.yaml":           "base a",
		"base/sub/b.yaml":       "base b",
		"base/c.yaml":           "base c",
		"check/x/a.yaml":        "case a",
		"check/x/d.yaml":        "case d",
		"check/x/want.json":     "{}",
		"check/x/omit.txt":      "# c is not in this case\nc.yaml\n\n",
		"check/y/sub/b.yaml":    "base b",
		"check/y/want.json":     "{}",
		"check/bad/omit.txt":    "nope.yaml\n",
		"check/shadow/omit.txt": "a.yaml\n",
		"check/shadow/a.yaml":   "mine",
		"elsewhere/target.yaml": "target",
	})
	if err := os.Symlink("../../elsewhere/target.yaml", filepath.Join(td, "check", "x", "link.yaml")); err != nil {
		t.Fatal(err)
	}
	got, err := caseFiles(td, "x")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]entry{
		"a.yaml":     {Data: []byte("case a")},
		"sub/b.yaml": {Data: []byte("base b")},
		"d.yaml":     {Data: []byte("case d")},
		"link.yaml":  {Link: filepath.Join(td, "elsewhere", "target.yaml")},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("caseFiles (-want +got):\n%s", diff)
	}
	if _, err := caseFiles(td, "bad"); err == nil {
		t.Error("an omit.txt naming a file the base lacks was accepted")
	}
	if _, err := caseFiles(td, "shadow"); err == nil {
		t.Error("an omit.txt naming a file the case holds was accepted")
	}
	if _, err := caseFiles(td, "absent"); err == nil {
		t.Error("a missing case was accepted")
	}
	copies, err := shadowed(td, "y")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"sub/b.yaml"}, copies); diff != "" {
		t.Errorf("shadowed (-want +got):\n%s", diff)
	}
	if copies, _ := shadowed(td, "x"); len(copies) != 0 {
		t.Errorf("shadowed(x) = %v, want none", copies)
	}
}
