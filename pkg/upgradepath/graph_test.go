package upgradepath

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

func edge(from, to string, risks ...string) Edge {
	e := Edge{From: v(from), To: v(to)}
	for _, r := range risks {
		e.Risks = append(e.Risks, Risk{Name: r, Message: r + " happens", URL: "https://example.com/" + r})
	}
	return e
}

// TestGraphHops: with a graph only its edges are legal hops; the other
// rules still apply; conditional edges are legal and carry their risks.
func TestGraphHops(t *testing.T) {
	t.Parallel()
	r := Rules{
		Releases: vs("4.15.3"), // the graph adds the rest of its nodes
		Graphs:   []string{"vendor/ocp/stable-4.16.json"},
		Edges: []Edge{
			edge("4.15.3", "4.15.9"), edge("4.15.9", "4.16.2"), edge("4.15.3", "4.16.2", "EtcdBug"),
			edge("4.16.2", "4.16.8"), edge("4.15.9", "4.16.8"), edge("4.15.3", "4.16.8"),
		},
		Blocked: []Blocked{block(">= 4.15.0, < 4.15.5", ">= 4.16.8", 0)},
	}
	e := New(r)
	if !e.HasGraph() || cmp.Diff([]string{"vendor/ocp/stable-4.16.json"}, e.Graphs()) != "" {
		t.Fatalf("HasGraph() = %v, Graphs() = %v", e.HasGraph(), e.Graphs())
	}
	if !e.IsRelease(v("4.16.8")) {
		t.Error("an edge's end is a release")
	}
	got, err := e.Suggest(v("4.15.3"), v("4.16.8"))
	// the direct edge is blocked; of the two-hop routes the latest stop wins
	if err != nil || cmp.Diff([]string{"4.16.2"}, originals(got)) != "" {
		t.Errorf("Suggest() = %v, %v; want [4.16.2]", originals(got), err)
	}
	vio := e.Validate(v("4.15.3"), v("4.16.8"), vs("4.16.0"))
	want := []Violation{
		{Hop: 0, From: v("4.15.3"), To: v("4.16.0"), Kind: NotAnEdge},
		{Hop: 1, From: v("4.16.0"), To: v("4.16.8"), Kind: NotAnEdge},
	}
	if diff := cmp.Diff(want, vio, cmpOpts); diff != "" {
		t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
	}
	if vio := e.Validate(v("4.15.3"), v("4.16.8"), vs("4.16.2")); len(vio) != 0 {
		t.Errorf("Validate(along edges) = %v, want none", vio)
	}
	ed, ok := e.Edge(v("4.15.3"), v("4.16.2"))
	if !ok || len(ed.Risks) != 1 || ed.Risks[0].Name != "EtcdBug" {
		t.Errorf("Edge(4.15.3, 4.16.2) = %+v, %v; want the conditional edge", ed, ok)
	}
	if ed, ok := e.Edge(v("4.15.9"), v("4.16.2")); !ok || ed.Risks != nil {
		t.Errorf("Edge(4.15.9, 4.16.2) = %+v, %v; want an unconditional edge", ed, ok)
	}
	if _, ok := e.Edge(v("4.15.3"), v("4.16.0")); ok {
		t.Error("Edge(4.15.3, 4.16.0) found an edge that is not there")
	}
	if got := originals(e.Successors(v("4.15.3"))); cmp.Diff([]string{"4.15.9", "4.16.2", "4.16.8"}, got) != "" {
		t.Errorf("Successors(4.15.3) = %v", got)
	}
	if got := e.Successors(v("9.9.9")); got != nil {
		t.Errorf("Successors(9.9.9) = %v, want nil", got)
	}
	// from is no node of the graph: nothing leads out of it
	if _, err := e.Suggest(v("4.14.0"), v("4.16.8")); !errorsIsNoPath(err) {
		t.Errorf("Suggest(4.14.0, …) error = %v, want ErrNoPath", err)
	}
}

// TestGraphMergesListings: an edge listed twice is one; it is conditional
// only when every listing is, with the risks of all of them.
func TestGraphMergesListings(t *testing.T) {
	t.Parallel()
	e := New(Rules{Graphs: []string{"a.json", "b.json"}, Edges: []Edge{
		edge("1.0.0", "1.1.0", "A"), edge("1.0.0", "1.1.0", "B"),
		edge("1.0.0", "1.2.0", "A"), edge("1.0.0", "1.2.0"), edge("1.0.0", "1.2.0", "C"),
		{From: nil, To: v("1.3.0")},
	}})
	ed, _ := e.Edge(v("1.0.0"), v("1.1.0"))
	var names []string
	for _, r := range ed.Risks {
		names = append(names, r.Name)
	}
	if cmp.Diff([]string{"A", "B"}, names) != "" {
		t.Errorf("risks of 1.0.0 -> 1.1.0 = %v, want [A B]", names)
	}
	if ed, ok := e.Edge(v("1.0.0"), v("1.2.0")); !ok || ed.Risks != nil {
		t.Errorf("1.0.0 -> 1.2.0 = %+v, want unconditional (one listing is)", ed)
	}
	if got := originals(e.Successors(v("1.0.0"))); cmp.Diff([]string{"1.1.0", "1.2.0"}, got) != "" {
		t.Errorf("Successors(1.0.0) = %v", got)
	}
}

// TestGraphWithoutEdges: an imported graph with no edge allows no hop.
func TestGraphWithoutEdges(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs("1.0.0", "2.0.0"), Graphs: []string{"g.json"}})
	if _, err := e.Suggest(v("1.0.0"), v("2.0.0")); !errorsIsNoPath(err) {
		t.Errorf("Suggest() error = %v, want ErrNoPath", err)
	}
	if vio := e.Validate(v("1.0.0"), v("2.0.0"), []*version.Version{}); len(vio) != 1 || vio[0].Kind != NotAnEdge {
		t.Errorf("Validate() = %v, want one NotAnEdge", vio)
	}
}
