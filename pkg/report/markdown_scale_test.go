package report

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// manyManifests builds a report of n manifests, each in its own file with
// two named findings, one unnamed and one suppressed, and one exception
// expiring soon.
func manyManifests(n int) *Report {
	ms := make([]Manifest, 0, n)
	fs := make([]finding.Finding, 0, 4*n)
	es := make([]Exception, 0, n)
	for i := 0; i < n; i++ {
		file := fmt.Sprintf("upgrades/m%05d.yaml", i)
		name := fmt.Sprintf("m%d", i)
		ms = append(ms, Manifest{File: file, Component: "c", From: "1.0", To: "2.0", Name: name, Line: 1})
		fs = append(fs,
			finding.Finding{Rule: rules.UG201, Severity: finding.Error, File: file, Line: 5, Column: 3, Manifest: name, Message: "skips a stop"},
			finding.Finding{Rule: rules.UG502, Severity: finding.Warning, File: file, Line: 7, Column: 3, Manifest: name, Message: "rollback not tested"},
			finding.Finding{Rule: rules.UG001, Severity: finding.Notice, File: file, Line: 9, Column: 1, Message: "unnamed"},
			finding.Finding{Rule: rules.UG509, Severity: finding.Warning, File: file, Line: 11, Column: 1, Manifest: name, Message: "s",
				Suppressed: true, SuppressedBy: "exception"})
		es = append(es, Exception{File: file, Line: 20, Rule: "UG509", Expires: mdNow.Add(24 * time.Hour)})
	}
	return New(ms, fs, es, finding.Error)
}

// TestMarkdownWorkIsLinear: the renderer visits each manifest, finding and
// exception a bounded number of times (it used to scan every finding for
// each manifest's status: 42 s for 20,000 manifests), and its work grows
// with the report, not with its square.
func TestMarkdownWorkIsLinear(t *testing.T) {
	t.Parallel()
	work := func(n, maxBytes int) int {
		r := manyManifests(n)
		var w int
		md := renderMarkdown(r, MarkdownOptions{Now: mdNow, MaxBytes: maxBytes}, &w)
		if maxBytes == 0 && strings.Count(md, "❌ 1 error") != n {
			t.Fatalf("%d manifests: %d statuses say 1 error", n, strings.Count(md, "❌ 1 error"))
		}
		items := len(r.Manifests) + len(r.Findings) + len(r.Exceptions)
		if visited := len(r.Manifests) + len(r.Findings); maxBytes == 0 && w < visited {
			t.Errorf("%d manifests: %d steps counted, but every manifest and finding is visited (%d)", n, w, visited)
		}
		if limit := 3*items + 64; w > limit {
			t.Errorf("%d manifests, max %d bytes: %d steps for %d items, want at most %d", n, maxBytes, w, items, limit)
		}
		return w
	}
	for _, maxBytes := range []int{0, 50_000} {
		small, large := work(250, maxBytes), work(2000, maxBytes)
		if float64(large) > 8.5*float64(small) {
			t.Errorf("max %d bytes: 8 times the manifests cost %.1f times the work (%d -> %d)", maxBytes,
				float64(large)/float64(small), small, large)
		}
	}
}

// TestMarkdownStatusFromIndex: a manifest's status counts the unsuppressed
// findings of its file that name it or no manifest; an unnamed manifest
// counts all of its file's.
func TestMarkdownStatusFromIndex(t *testing.T) {
	t.Parallel()
	fs := []finding.Finding{
		{Severity: finding.Error, File: "a.yaml", Manifest: "one"},
		{Severity: finding.Warning, File: "a.yaml", Manifest: "two"},
		{Severity: finding.Warning, File: "a.yaml"},
		{Severity: finding.Error, File: "a.yaml", Manifest: "two", Suppressed: true},
		{Severity: finding.Notice, File: "b.yaml", Manifest: "three"},
		{Severity: finding.Error, File: "c.yaml", Manifest: "other"},
	}
	idx := indexFindings(fs, new(int))
	for _, tc := range []struct {
		m    Manifest
		want string
	}{
		{Manifest{File: "a.yaml", Name: "one"}, "❌ 1 error"},
		{Manifest{File: "a.yaml", Name: "two"}, "⚠️ 2 warnings"},
		{Manifest{File: "a.yaml", Name: "nobody"}, "⚠️ 1 warning"},
		{Manifest{File: "a.yaml"}, "❌ 1 error"},
		{Manifest{File: "b.yaml", Name: "three"}, "✅ ok"},
		{Manifest{File: "c.yaml", Name: "mine"}, "✅ ok"},
		{Manifest{File: "d.yaml", Name: "x"}, "✅ ok"},
	} {
		if got := idx.status(tc.m); got != tc.want {
			t.Errorf("status(%s %q) = %q, want %q", tc.m.File, tc.m.Name, got, tc.want)
		}
	}
}

func BenchmarkMarkdown(b *testing.B) {
	for _, n := range []int{1000, 20000} {
		r := manyManifests(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				RenderMarkdown(r, MarkdownOptions{Now: mdNow, MaxBytes: 65536})
			}
		})
	}
}
