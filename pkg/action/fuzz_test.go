package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// FuzzReadReport feeds arbitrary bytes as the report-file of the fork setup
// (an artifact a fork's workflow uploaded, so untrusted): reading it never
// panics, and what it reads renders as a bounded comment without our marker.
func FuzzReadReport(f *testing.F) {
	f.Add([]byte(`{"summary":{},"manifests":[{"file":"a.yaml","component":"x","from":"1","to":"2","path":[],"suggestedPath":null}],"findings":[{"rule":"UG201","severity":"error","file":"a.yaml","line":3,"column":1,"message":"m <!-- upgradegate:comment --> @org/team","hint":"h","suppressed":false}]}`))
	f.Add([]byte(`{"findings":[{"rule":"UG999","severity":"fatal","line":-1}]}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "report.json")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		rep, err := readReport(name, finding.Error)
		if err != nil {
			return
		}
		md := report.RenderMarkdown(rep, report.MarkdownOptions{Now: time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), MaxBytes: 65536})
		if len(md) > 65536 {
			t.Fatalf("comment of %d bytes", len(md))
		}
		if strings.Contains(md, "<!-- upgradegate") {
			t.Fatalf("a report smuggled our marker into the comment:\n%s", md)
		}
	})
}

// FuzzReadEvent: the event file never makes the action panic.
func FuzzReadEvent(f *testing.F) {
	f.Add([]byte(`{"pull_request":{"number":7,"head":{"sha":"abc","repo":{"full_name":"a/b"}},"base":{"repo":{"full_name":"a/b"}}}}`))
	f.Add([]byte(`{"pull_request":{"number":-1}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := filepath.Join(t.TempDir(), "event.json")
		if err := os.WriteFile(name, data, 0o600); err != nil {
			t.Fatal(err)
		}
		ev, err := readEvent(name)
		if err == nil && ev.PullRequest != nil && ev.PullRequest.Number <= 0 {
			t.Fatalf("accepted pull request number %d", ev.PullRequest.Number)
		}
	})
}
