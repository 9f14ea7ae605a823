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
	// the direct edge is blocked; of the two-hop routes the one of plain
	// edges wins over the later stop 4.16.2, reached by a conditional edge
	if err != nil || cmp.Diff([]string{"4.15.9"}, originals(got)) != "" {
		t.Errorf("Suggest() = %v, %v; want [4.15.9]", originals(got), err)
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

// TestSuggestPrefersPlainEdges: among the routes with the fewest bad stops
// and hops, the suggestion takes the fewest conditional edges, then the
// latest release at each position; a shorter route keeps its conditional
// edge (the near miss), and so does a route the environment supports.
func TestSuggestPrefersPlainEdges(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		edges   []Edge
		rows    []Row
		env     Env
		want    []string
		wantBad int
	}{
		{name: "plain route of equal length, earlier stop",
			edges: []Edge{edge("1.0.0", "1.3.0", "R"), edge("1.3.0", "2.0.0"), edge("1.0.0", "1.2.0"), edge("1.2.0", "2.0.0")},
			want:  []string{"1.2.0"}},
		{name: "conditional edge into the target",
			edges: []Edge{edge("1.0.0", "1.3.0"), edge("1.3.0", "2.0.0", "R"), edge("1.0.0", "1.2.0"), edge("1.2.0", "2.0.0")},
			want:  []string{"1.2.0"}},
		{name: "near miss: the plain route is a hop longer",
			edges: []Edge{edge("1.0.0", "1.3.0", "R"), edge("1.3.0", "2.0.0"), edge("1.0.0", "1.1.0"), edge("1.1.0", "1.2.0"), edge("1.2.0", "2.0.0")},
			want:  []string{"1.3.0"}},
		{name: "one conditional edge rather than two, though its stops are earlier",
			edges: []Edge{
				edge("1.0.0", "1.2.0", "R"), edge("1.2.0", "1.3.0", "R"), edge("1.3.0", "2.0.0"),
				edge("1.0.0", "1.1.0", "R"), edge("1.1.0", "1.2.5"), edge("1.2.5", "2.0.0"),
			},
			want: []string{"1.1.0", "1.2.5"}},
		{name: "equally conditional routes: the latest release at each position",
			edges: []Edge{edge("1.0.0", "1.2.0", "R"), edge("1.2.0", "2.0.0"), edge("1.0.0", "1.3.0"), edge("1.3.0", "2.0.0", "R")},
			want:  []string{"1.3.0"}},
		{name: "a listing without risks makes the edge plain",
			edges: []Edge{edge("1.0.0", "1.3.0", "R"), edge("1.0.0", "1.3.0"), edge("1.3.0", "2.0.0"), edge("1.0.0", "1.2.0"), edge("1.2.0", "2.0.0")},
			want:  []string{"1.3.0"}},
		{name: "the environment first: a supported stop behind a conditional edge",
			edges: []Edge{edge("1.0.0", "1.3.0", "R"), edge("1.3.0", "2.0.0"), edge("1.0.0", "1.2.0"), edge("1.2.0", "2.0.0")},
			rows:  []Row{{Versions: constraint(">= 1.2.0, < 1.3.0"), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}}},
			env:   Env{"db": v("8.0")},
			want:  []string{"1.3.0"}},
		{name: "no route is supported: the plain one of those that come closest",
			edges: []Edge{edge("1.0.0", "1.3.0", "R"), edge("1.3.0", "2.0.0"), edge("1.0.0", "1.2.0"), edge("1.2.0", "2.0.0")},
			rows:  []Row{{Versions: constraint(">= 1.2.0, < 1.4.0"), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}}},
			env:   Env{"db": v("8.0")},
			want:  []string{"1.2.0"}, wantBad: 1},
		{name: "bad first stops: the conditional edges counted past them",
			edges: []Edge{
				edge("1.0.0", "1.1.0"), edge("1.1.0", "1.3.0"), edge("1.3.0", "2.0.0"),
				edge("1.0.0", "1.2.0"), edge("1.2.0", "1.2.5", "R"), edge("1.2.5", "2.0.0"),
			},
			rows: []Row{{Versions: constraint(">= 1.1.0, < 1.2.5"), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}}},
			env:  Env{"db": v("8.0")},
			want: []string{"1.1.0", "1.3.0"}, wantBad: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := New(Rules{Releases: vs("1.0.0", "1.1.0", "1.2.0", "1.2.5", "1.3.0", "2.0.0"), Graphs: []string{"g.json"}, Edges: c.edges, Rows: c.rows})
			sg, err := e.SuggestFor(v("1.0.0"), v("2.0.0"), c.env)
			if err != nil || cmp.Diff(c.want, originals(sg.Stops)) != "" || sg.Incompatible != c.wantBad {
				t.Errorf("SuggestFor() = %v (%d unsupported), %v; want %v (%d)", originals(sg.Stops), sg.Incompatible, err, c.want, c.wantBad)
			}
		})
	}
}

// TestSuggestPlainEdgesKeepsTheRanking: a release's conditional edges are
// counted along its best routes only: a route with more hops, or with more
// unsupported stops, does not lower them (the search has visited the whole
// layer when it meets them: the source is three hops away).
func TestSuggestPlainEdgesKeepsTheRanking(t *testing.T) {
	t.Parallel()
	var bad []Row
	for _, r := range []string{"1.1.0", "1.3.0", "1.5.0"} {
		bad = append(bad, Row{Versions: constraint("= " + r), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}})
	}
	for _, c := range []struct {
		name    string
		edges   []Edge
		rows    []Row
		want    []string
		wantBad int
	}{
		{name: "more hops", // 1.2.5 reaches the target by a conditional edge, or plainly in two hops
			edges: []Edge{
				edge("1.0.0", "1.1.0"), edge("1.1.0", "1.2.0"), edge("1.2.0", "2.0.0"),
				edge("1.1.0", "1.2.5"), edge("1.2.5", "2.0.0", "R"), edge("1.2.5", "1.3.0"), edge("1.3.0", "2.0.0"),
			},
			want: []string{"1.1.0", "1.2.0"}},
		{name: "more unsupported stops", // the unsupported 1.3.0 goes on plainly only through the unsupported 1.5.0
			edges: []Edge{
				edge("1.0.0", "1.1.0"), edge("1.1.0", "1.2.0"), edge("1.2.0", "2.0.0"),
				edge("1.0.0", "1.3.0"), edge("1.3.0", "1.4.0"), edge("1.4.0", "2.0.0", "R"),
				edge("1.3.0", "1.5.0"), edge("1.5.0", "2.0.0"),
			},
			rows: bad, want: []string{"1.1.0", "1.2.0"}, wantBad: 1},
		{name: "a conditional edge found second does not raise them", // 1.2.5 reaches 1.3.0 plainly, then 1.4.0 by a conditional edge
			edges: []Edge{
				edge("1.0.0", "1.1.0"), edge("1.1.0", "1.2.0"), edge("1.1.0", "1.2.5"), edge("1.2.0", "1.3.0"),
				edge("1.2.5", "1.3.0"), edge("1.2.5", "1.4.0", "R"), edge("1.3.0", "2.0.0"), edge("1.4.0", "2.0.0"),
			},
			want: []string{"1.1.0", "1.2.5", "1.3.0"}},
		{name: "a plain edge found second lowers them, with an environment", // only 1.5.0, on no route, is unsupported
			edges: []Edge{
				edge("1.0.0", "1.1.0"), edge("1.1.0", "1.2.0"), edge("1.1.0", "1.2.5"), edge("1.2.0", "1.3.0"),
				edge("1.2.5", "1.3.0", "R"), edge("1.2.5", "1.4.0"), edge("1.3.0", "2.0.0"), edge("1.4.0", "2.0.0"),
				edge("1.4.0", "1.5.0"),
			},
			rows: bad[2:], want: []string{"1.1.0", "1.2.5", "1.4.0"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := New(Rules{Releases: vs("1.0.0", "1.1.0", "1.2.0", "1.2.5", "1.3.0", "1.4.0", "1.5.0", "2.0.0"),
				Graphs: []string{"g.json"}, Edges: c.edges, Rows: c.rows})
			sg, err := e.SuggestFor(v("1.0.0"), v("2.0.0"), Env{"db": v("8.0")})
			if err != nil || cmp.Diff(c.want, originals(sg.Stops)) != "" || sg.Incompatible != c.wantBad {
				t.Errorf("SuggestFor() = %v (%d unsupported), %v; want %v (%d)", originals(sg.Stops), sg.Incompatible, err, c.want, c.wantBad)
			}
		})
	}
}
