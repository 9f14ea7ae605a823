package policy

import (
	"testing"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

// FuzzReadEndOfLife: whatever the bytes, the importer returns rules and
// located UG706 findings in the file it was given, never a panic.
func FuzzReadEndOfLife(f *testing.F) {
	f.Add([]byte(`{"generated_at": "2026-11-30T08:00:00Z", "result": {"releases": [{"name": "17.3", "eolFrom": "2024-11-21", "eoasFrom": "2024-09-19", "isLts": false, "latest": {"name": "17.3.7", "date": "2024-11-13"}}]}}`))
	f.Add([]byte(`{"versions": {"17.3.1": {"name": "17.3.1", "date": "2024-08-21"}, "bogus": {}}}`))
	f.Add([]byte(`{"result": {"releases": [{"name": "jammy", "eolFrom": "21/11/2024"}]}}`))
	f.Add([]byte(`{"result": {"releases": [`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, fs := ReadEndOfLife("vendor/eol.json", data)
		for _, fd := range fs {
			if fd.Rule != rules.UG706 || fd.File != "vendor/eol.json" || fd.Line < 1 || fd.Column < 1 {
				t.Fatalf("finding %v is not a located UG706 in the vendor file", fd)
			}
		}
		for _, c := range r.Cycles {
			if len(c.Segments) == 0 || c.Pos.File != "vendor/eol.json" || c.Pos.Line < 1 {
				t.Fatalf("cycle %+v has no series or position", c)
			}
		}
		for _, rel := range r.Releases {
			if rel.Version() == nil || rel.Pos.Line < 1 {
				t.Fatalf("release %+v has no version or position", rel)
			}
		}
	})
}
