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
