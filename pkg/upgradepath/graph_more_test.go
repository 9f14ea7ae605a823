package upgradepath

import "testing"

// TestGraphUnconditionalListingFirst: an edge listed first without risks
// and then with some stays unconditional, whichever listing comes first.
func TestGraphUnconditionalListingFirst(t *testing.T) {
	t.Parallel()
	e := New(Rules{Graphs: []string{"a.json", "b.json"}, Edges: []Edge{
		edge("1.0.0", "1.3.0"), edge("1.0.0", "1.3.0", "D"),
	}})
	if ed, ok := e.Edge(v("1.0.0"), v("1.3.0")); !ok || ed.Risks != nil {
		t.Errorf("1.0.0 -> 1.3.0 = %+v, %v; want unconditional (the first listing is)", ed, ok)
	}
}

// TestEdgesWithoutGraphAreIgnored: edges count only with a graph named;
// without one their ends are no releases and the hops are not restricted.
func TestEdgesWithoutGraphAreIgnored(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs("1.0.0", "3.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true},
		Edges: []Edge{edge("1.0.0", "2.0.0"), edge("2.0.0", "3.0.0")}})
	if e.HasGraph() || e.IsRelease(v("2.0.0")) {
		t.Errorf("HasGraph() = %v, IsRelease(2.0.0) = %v: want no graph and 2.0.0 no release", e.HasGraph(), e.IsRelease(v("2.0.0")))
	}
	if got, err := e.Suggest(v("1.0.0"), v("3.0.0")); !errorsIsNoPath(err) {
		t.Errorf("Suggest(1.0.0, 3.0.0) = %v, %v: want ErrNoPath (no 2.x release is listed)", originals(got), err)
	}
}
