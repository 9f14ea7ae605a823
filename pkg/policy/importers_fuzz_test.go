package policy

import (
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// located fails unless every finding is a located UG706 in file and every
// rule element has a position in it.
func located(t *testing.T, file string, r Rules, fs []finding.Finding) {
	t.Helper()
	for _, fd := range fs {
		if fd.Rule != rules.UG706 || fd.File != file || fd.Line < 1 || fd.Column < 1 {
			t.Fatalf("finding %v is not a located UG706 in the vendor file", fd)
		}
	}
	for _, rel := range r.Releases {
		if rel.Version() == nil || rel.Pos.File != file || rel.Pos.Line < 1 {
			t.Fatalf("release %+v has no version or position", rel)
		}
	}
	for _, s := range r.RequiredStops {
		if s.Version == nil || !s.Series || s.Pos.File != file || s.Pos.Line < 1 {
			t.Fatalf("stop %+v is not a located series stop", s)
		}
	}
	for _, e := range r.Edges {
		if e.From == nil || e.To == nil || e.Pos.File != file || e.Pos.Line < 1 {
			t.Fatalf("edge %+v has no ends or position", e)
		}
		for _, rk := range e.Risks {
			if rk.Name == "" || rk.Pos.Line < 1 {
				t.Fatalf("risk %+v has no name or position", rk)
			}
		}
	}
	// the engine takes whatever the importer kept
	eng, err := r.Engine()
	if err != nil {
		return
	}
	if len(r.Releases) > 1 {
		eng.Suggest(r.Releases[0].Version(), r.Releases[len(r.Releases)-1].Version())
	}
}

// FuzzReadGitLabUpgradePath: whatever the bytes, located UG706 findings and
// located series stops, never a panic.
func FuzzReadGitLabUpgradePath(f *testing.F) {
	f.Add([]byte("---\n- major: 16\n  minor: 11\n\n- major: 17\n  minor: 1\n  comments: \"[Conditional stop](https://docs.gitlab.com/x). Not required by all instances.\"\n"))
	f.Add([]byte("- major: 17\n  minor: [3\n"))
	f.Add([]byte("- 17.5\n- {major: -1, minor: 2}\n- {major: 1}\n"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, fs := ReadGitLabUpgradePath("vendor/gitlab/upgrade_path.yml", data)
		located(t, "vendor/gitlab/upgrade_path.yml", r, fs)
	})
}

// FuzzReadCincinnatiGraph: whatever the bytes, located UG706 findings,
// releases, edges and risks, never a panic.
func FuzzReadCincinnatiGraph(f *testing.F) {
	f.Add([]byte(`{"nodes": [{"version": "4.15.2", "payload": "p", "metadata": {}}, {"version": "4.16.0"}], "edges": [[0, 1]],
 "conditionalEdges": [{"edges": [{"from": "4.15.2", "to": "4.16.0"}], "risks": [{"url": "https://example.com/r", "name": "R", "message": "m", "matchingRules": [{"type": "Always"}]}]}]}`))
	f.Add([]byte(`{"nodes": [{"version": "4.15.2"}, {"version": "4.15.2"}, {"version": "x"}], "edges": [[0, 9], [-1, 0], [0], "a"]}`))
	f.Add([]byte(`{"nodes": [{"version": "4.15.2"}], "conditionalEdges": [{"edges": [{"from": "4.15.2", "to": "5"}], "risks": [{}]}]}`))
	f.Add([]byte(`{"nodes": [`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, fs := ReadCincinnatiGraph("vendor/ocp/g.json", data)
		located(t, "vendor/ocp/g.json", r, fs)
	})
}
