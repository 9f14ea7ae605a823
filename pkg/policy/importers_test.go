package policy

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

func vendorFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/vendor/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func ver(s string) *version.Version { return version.Must(version.NewVersion(s)) }

// TestGitLabUpgradePath reads an upgrade_path.yml in GitLab's format (GitLab's
// published required stops, testdata/vendor/README.md): every entry a
// series stop at its line, 17.1 conditional, and the path engine answers as
// GitLab's upgrade path tool does.
func TestGitLabUpgradePath(t *testing.T) {
	t.Parallel()
	const file = "vendor/gitlab/upgrade_path.yml"
	r, fs := ReadGitLabUpgradePath(file, vendorFile(t, "gitlab/upgrade_path.yml"))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(r.RequiredStops) != 21 {
		t.Errorf("got %d stops, want the file's 21", len(r.RequiredStops))
	}
	var cond []string
	for _, s := range r.RequiredStops {
		if !s.Series || s.Pos.File != file || s.Pos.Line < 2 {
			t.Errorf("stop %s: series %v at %+v, want a series stop located in %s", s.Raw, s.Series, s.Pos, file)
		}
		if s.Conditional != "" {
			cond = append(cond, s.Raw)
			if s.Pos.Line != 31 || !strings.Contains(s.Conditional, "only instances with a large ci_pipeline_messages table need it") ||
				!strings.Contains(s.Conditional, "Conditional stop (https://docs.gitlab.com/update/versions/gitlab_17_changes/):") {
				t.Errorf("conditional stop 17.1 at %+v reads %q", s.Pos, s.Conditional)
			}
		}
	}
	if !cmp.Equal(cond, []string{"17.1"}) {
		t.Errorf("conditional stops %v, want [17.1]", cond)
	}
	eng, err := r.Engine()
	if err != nil {
		t.Fatal(err)
	}
	got, err := eng.Suggest(ver("16.3.2"), ver("18.5.1"))
	var names []string
	for _, v := range got {
		names = append(names, v.Original())
	}
	if want := []string{"16.7", "16.11", "17.1", "17.3", "17.5", "17.8", "17.11", "18.2"}; err != nil || !cmp.Equal(want, names) {
		t.Errorf("Suggest(16.3.2, 18.5.1) = %v, %v; want %v", names, err, want)
	}
	// with releases the latest patch of each series stands for it
	r.Releases = []Release{{Ver: upgradepath.FromGo(ver("16.7.8"))}, {Ver: upgradepath.FromGo(ver("16.7.10"))}, {Ver: upgradepath.FromGo(ver("16.11.10"))}, {Ver: upgradepath.FromGo(ver("17.1.8"))},
		{Ver: upgradepath.FromGo(ver("17.3.7"))}, {Ver: upgradepath.FromGo(ver("17.5.5"))}, {Ver: upgradepath.FromGo(ver("17.6.0"))}}
	eng, _ = r.Engine()
	got, err = eng.Suggest(ver("16.3.2"), ver("17.6.0"))
	names = names[:0]
	for _, v := range got {
		names = append(names, v.Original())
	}
	if want := []string{"16.7.10", "16.11.10", "17.1.8", "17.3.7", "17.5.5"}; err != nil || !cmp.Equal(want, names) {
		t.Errorf("Suggest(16.3.2, 17.6.0) with releases = %v, %v; want %v", names, err, want)
	}
}

// TestCincinnatiGraph reads a small stable-4.16 graph in the update
// service's format (testdata/vendor/README.md): its nodes are releases at
// their lines, its edges the only hops, a risk a conditional edge.
func TestCincinnatiGraph(t *testing.T) {
	t.Parallel()
	const file = "vendor/ocp/stable-4.16.json"
	r, fs := ReadCincinnatiGraph(file, vendorFile(t, "cincinnati/stable-4.16.json"))
	if len(fs) != 0 {
		t.Fatalf("findings: %v", fs)
	}
	if len(r.Releases) != 9 || len(r.Edges) != 26 || !cmp.Equal(r.Graphs, []string{file}) {
		t.Fatalf("got %d releases, %d edges, graphs %v; want 9, 26, [%s]", len(r.Releases), len(r.Edges), r.Graphs, file)
	}
	if rel := r.Releases[5]; rel.Version().Original() != "4.16.0" || rel.Pos != (Pos{File: file, Line: 8, Column: 5}) {
		t.Errorf("node 5 = %s at %+v, want 4.16.0 at line 8", rel.Version().Original(), rel.Pos)
	}
	eng, err := r.Engine()
	if err != nil {
		t.Fatal(err)
	}
	ed, ok := eng.Edge(ver("4.15.3"), ver("4.16.0"))
	if !ok || !slices.ContainsFunc(ed.Risks, func(r upgradepath.Risk) bool {
		return r.Name == "ExampleEtcdBug" && r.URL == "https://github.com/openshift/cincinnati-graph-data/tree/master/blocked-edges" &&
			strings.Contains(r.Message, "may lose quorum during the update")
	}) {
		t.Errorf("Edge(4.15.3, 4.16.0) = %+v, %v; want the conditional edge of ExampleEtcdBug", ed, ok)
	}
	if ed.Pos != (Pos{File: file, Line: 42, Column: 9}) {
		t.Errorf("conditional edge at %+v, want line 42", ed.Pos)
	}
	if ed, ok := eng.Edge(ver("4.15.8"), ver("4.16.2")); !ok || len(ed.Risks) != 0 {
		t.Errorf("Edge(4.15.8, 4.16.2) = %+v, %v; want a plain edge", ed, ok)
	}
	if _, ok := eng.Edge(ver("4.15.0"), ver("4.16.0")); ok {
		t.Error("an edge from 4.15.0 to 4.16.0: the graph has none")
	}
	if ed, ok := eng.Edge(ver("4.15.2"), ver("4.15.3")); !ok || len(ed.Risks) != 0 {
		t.Errorf("Edge(4.15.2, 4.15.3) = %+v, %v; want a plain edge", ed, ok)
	}
	if _, ok := eng.Edge(ver("4.16.2"), ver("4.15.3")); ok {
		t.Error("an edge going down")
	}
	if vio := eng.Validate(ver("4.15.0"), ver("4.16.55"), []*version.Version{ver("4.15.1")}); len(vio) != 2 {
		t.Errorf("Validate(through 4.15.1, no release of the graph) = %v, want two hops off the graph", vio)
	}
	if _, err := eng.Suggest(ver("4.14.9"), ver("4.16.55")); err == nil {
		t.Error("Suggest from 4.14.9, no node of this channel's graph: want no path")
	}
}

// checkBad asserts that an importer gives exactly UG706 findings, the
// first at line, each in file with a line and column, and no rules that
// point elsewhere.
func checkBad(t *testing.T, name string, r Rules, fs []finding.Finding, file string, line int, text string) {
	t.Helper()
	if len(fs) == 0 {
		t.Fatalf("%s: no finding", name)
	}
	for _, f := range fs {
		if f.Rule != rules.UG706 || f.File != file || f.Line < 1 || f.Column < 1 {
			t.Errorf("%s: finding %s at %s:%d:%d, want UG706 located in %s", name, f.Rule, f.File, f.Line, f.Column, file)
		}
	}
	if fs[0].Line != line || !strings.Contains(fs[0].Message, text) {
		t.Errorf("%s: first finding at line %d: %q; want line %d containing %q", name, fs[0].Line, fs[0].Message, line, text)
	}
	for _, rel := range r.Releases {
		if rel.Pos.File != file {
			t.Errorf("%s: release %s at %+v", name, rel.Version(), rel.Pos)
		}
	}
}

func TestGitLabUpgradePathBad(t *testing.T) {
	t.Parallel()
	real := string(vendorFile(t, "gitlab/upgrade_path.yml"))
	tests := []struct {
		name, text string
		line       int
		want       string
		stops      int
	}{
		{"not YAML", "- major: 17\n  minor: 3\n- major: 17\n  minor: 5\n   bad: [\n", 5, "is not YAML: line 5: mapping values are not allowed", 0},
		{"truncated", real[:len(real)/2] + "\"unterminated", 0, "", -1},
		{"a mapping", "major: 17\nminor: 3\n", 1, "holds a mapping", 0},
		{"empty", "", 1, "holds nothing", 0},
		{"a JSON graph", `{"nodes": []}`, 1, "holds a mapping", 0},
		{"entry not a mapping", "- major: 17\n  minor: 3\n- 17.5\n", 3, "entry 2", 1},
		{"no minor", "- major: 17\n  minor: 3\n- major: 17\n  comments: x\n", 3, "has no minor", 1},
		{"minor not a number", "- major: 17\n  minor: three\n", 2, `minor "three"`, 0},
		{"negative major", "- major: -1\n  minor: 3\n", 1, `major "-1"`, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, fs := ReadGitLabUpgradePath("vendor/up.yml", []byte(tt.text))
			if tt.stops < 0 { // whatever it says, located and never a panic
				for _, f := range fs {
					if f.Rule != rules.UG706 || f.Line < 1 {
						t.Errorf("finding %v", f)
					}
				}
				return
			}
			checkBad(t, tt.name, r, fs, "vendor/up.yml", tt.line, tt.want)
			if len(r.RequiredStops) != tt.stops {
				t.Errorf("%d stops kept, want %d", len(r.RequiredStops), tt.stops)
			}
		})
	}
}

func TestCincinnatiGraphBad(t *testing.T) {
	t.Parallel()
	nodes := `{"nodes": [
  {"version": "4.15.2", "payload": "p", "metadata": {}},
  {"version": "4.15.3", "payload": "p", "metadata": {}},
`
	tests := []struct {
		name, text   string
		line         int
		want         string
		releases     int
		edges        int
		graphIsThere bool
	}{
		{"not JSON", "{\"nodes\": [\n  {\"version\": \"4.15.2\",\n  oops\n", 3, "is not JSON", 0, 0, false},
		{"truncated", nodes, 4, "is not JSON", 0, 0, false},
		{"a list", "[1, 2]", 1, "holds an array", 0, 0, false},
		{"no nodes", `{"edges": [[0, 1]]}`, 1, "has no nodes", 0, 0, false},
		{"a GitLab file", "- major: 17\n  minor: 3\n", 1, "is not JSON", 0, 0, false},
		{"edge past the nodes", nodes + `  {"version": "4.16.0"}],
 "edges": [[0, 1], [1, 7], [0, 2]]}`, 5, "points past the nodes: index 7 of 3 nodes", 3, 2, true},
		{"duplicate node", nodes + `  {"version": "4.15.3"}],
 "edges": [[0, 2]]}`, 4, "repeats version", 2, 1, true},
		{"bad version", nodes + `  {"version": "4.16.x"}],
 "edges": [[0, 2], [0, 1]]}`, 4, `version "4.16.x" of node 2`, 2, 1, true},
		{"edge not a pair", nodes + `  {"version": "4.16.0"}],
 "edges": [[0, 1, 2], ["a", 1]]}`, 5, "edge 0", 3, 0, true},
		{"conditional edge to no node", nodes + `  {"version": "4.16.0"}],
 "edges": [],
 "conditionalEdges": [{"edges": [{"from": "4.15.2", "to": "4.16.9"}, {"from": "4.15.2", "to": "4.16.0"}],
   "risks": [{"name": "R", "message": "m", "url": "https://example.com/r"}]}]}`, 6, `conditional edge to "4.16.9" in "vendor/g.json" is no node`, 3, 1, true},
		{"conditional edge without risks", nodes + `  {"version": "4.16.0"}],
 "conditionalEdges": [{"edges": [{"from": "4.15.2", "to": "4.16.0"}]}]}`, 5, "has no risks", 3, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r, fs := ReadCincinnatiGraph("vendor/g.json", []byte(tt.text))
			checkBad(t, tt.name, r, fs, "vendor/g.json", tt.line, tt.want)
			if len(r.Releases) != tt.releases || len(r.Edges) != tt.edges || (len(r.Graphs) > 0) != tt.graphIsThere {
				t.Errorf("kept %d releases, %d edges, graphs %v; want %d, %d, graph %v", len(r.Releases), len(r.Edges), r.Graphs, tt.releases, tt.edges, tt.graphIsThere)
			}
			if _, err := r.Engine(); err != nil {
				t.Errorf("Engine(): %v", err)
			}
		})
	}
}

// TestCincinnatiGraphBoundsFindings: a graph with thousands of bad edges
// gives a bounded number of findings, the last saying how many were left
// out.
func TestCincinnatiGraphBoundsFindings(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`{"nodes": [{"version": "1.0.0"}], "edges": [`)
	for i := range 5000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString("[0, 99]")
	}
	b.WriteString("]}")
	_, fs := ReadCincinnatiGraph("g.json", []byte(b.String()))
	if len(fs) != MaxFindingsPerFile+1 || !strings.Contains(fs[len(fs)-1].Message, "4900 more findings left out") {
		t.Errorf("got %d findings, the last %q", len(fs), fs[len(fs)-1].Message)
	}
}
