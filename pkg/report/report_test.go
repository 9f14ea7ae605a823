package report

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestSummarize(t *testing.T) {
	t.Parallel()
	fs := []finding.Finding{
		{Rule: rules.UG502, Severity: finding.Warning},
		{Rule: rules.UG513, Severity: finding.Notice},
		{Rule: rules.UG513, Severity: finding.Notice},
		{Rule: rules.UG201, Severity: finding.Error, Suppressed: true},
	}
	for _, tt := range []struct {
		failOn finding.Severity
		result string
	}{
		{finding.Error, Pass}, // the only error is suppressed
		{finding.Warning, Fail},
		{finding.Notice, Fail},
		{finding.Off, Pass},
	} {
		got := Summarize(fs, tt.failOn)
		want := Summary{Warnings: 1, Notices: 2, Suppressed: 1, Result: tt.result}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Summarize(failOn %v) (-want +got):\n%s", tt.failOn, diff)
		}
	}
	if got := Summarize(fs[:2], finding.Warning); got.Result != Fail {
		t.Errorf("a warning with failOn warning: %q, want fail", got.Result)
	}
	if got := Summarize(fs[1:2], finding.Warning); got.Result != Pass {
		t.Errorf("a notice with failOn warning: %q, want pass", got.Result)
	}
}

// TestNewSortsAndFills: manifests sorted by file, then line; nil slices
// become empty ones; the summary counts the manifests.
func TestNewSortsAndFills(t *testing.T) {
	t.Parallel()
	r := New([]Manifest{{File: "b.yaml", Line: 1}, {File: "a.yaml", Line: 9}, {File: "a.yaml", Line: 2}}, nil, nil, finding.Error)
	var got []string
	for _, m := range r.Manifests {
		got = append(got, fmt.Sprintf("%s:%d", m.File, m.Line))
		if m.Path == nil {
			t.Errorf("%s: Path is nil, want []", m.File)
		}
	}
	if diff := cmp.Diff([]string{"a.yaml:2", "a.yaml:9", "b.yaml:1"}, got); diff != "" {
		t.Errorf("manifest order (-want +got):\n%s", diff)
	}
	if r.Findings == nil || r.Summary.Manifests != 3 || r.Summary.Result != Pass || r.Failed() {
		t.Errorf("New = %+v", r)
	}
	// ties keep their order: the sort is stable
	tie := New([]Manifest{{File: "a.yaml", Line: 1, Name: "first"}, {File: "a.yaml", Line: 1, Name: "second"}}, nil, nil, finding.Error)
	if tie.Manifests[0].Name != "first" || tie.Manifests[1].Name != "second" {
		t.Errorf("manifests with the same file and line were reordered: %+v", tie.Manifests)
	}
	if e := New(nil, nil, nil, finding.Error); e.Manifests == nil || e.Findings == nil {
		t.Errorf("New(nil, nil) = %+v, want empty slices", e)
	}
}

// TestGroupByFileTakesRunsInPlace: for a report New made (sorted by file)
// each file's findings and manifests are the report's own elements, not a
// copy; a report whose files come in another order is gathered, and the
// text, JUnit and HTML printers write the same for both.
func TestGroupByFileTakesRunsInPlace(t *testing.T) {
	t.Parallel()
	r := failingReport()
	files, byFile, ms := groupByFile(r)
	if len(files) < 2 {
		t.Fatalf("fixture has %d files, want several", len(files))
	}
	for _, file := range files {
		for k := range byFile[file] {
			if !aliases(r.Findings, &byFile[file][k]) {
				t.Errorf("%s: finding %d is a copy, not the report's", file, k)
			}
		}
		if fs := byFile[file]; len(fs) > 0 && cap(fs) != len(fs) {
			t.Errorf("%s: run's capacity %d beyond its length %d: an append would overwrite the next file's", file, cap(fs), len(fs))
		}
		for k := range ms[file] {
			if !aliases(r.Manifests, &ms[file][k]) {
				t.Errorf("%s: manifest %d is a copy, not the report's", file, k)
			}
		}
	}

	// the same report with its files' findings and manifests in reverse
	// file order, each file's in their order
	shuffled := *r
	shuffled.Findings, shuffled.Manifests = nil, nil
	for i := len(files) - 1; i >= 0; i-- {
		shuffled.Findings = append(shuffled.Findings, byFile[files[i]]...)
		shuffled.Manifests = append(shuffled.Manifests, ms[files[i]]...)
	}
	if fileRuns(shuffled.Findings, func(f *finding.Finding) string { return f.File }, func(string, []finding.Finding) {}) {
		t.Fatal("reversed findings read as sorted")
	}
	for name, print := range map[string]Printer{"text": Text, "junit": JUnit, "html": HTML} {
		var a, b bytes.Buffer
		if err := print(&a, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if err := print(&b, &shuffled, Options{}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(a.String(), b.String()); diff != "" {
			t.Errorf("%s: sorted and gathered reports print differently (-sorted +gathered):\n%s", name, diff)
		}
	}
}

// aliases reports whether p points at an element of all.
func aliases[T any](all []T, p *T) bool {
	for i := range all {
		if &all[i] == p {
			return true
		}
	}
	return false
}
