package upgradepath

import "testing"

// TestMergeStopsEqualIndexKeepsTheFirst: a series stop of the policy and one
// of an imported vendor file can share an Index (each counts its own list);
// of the two the one listed first is kept, with its position.
func TestMergeStopsEqualIndexKeepsTheFirst(t *testing.T) {
	t.Parallel()
	got := MergeStops([]Stop{
		{Version: v("17.3"), Raw: "17.3", Series: true, Index: 0, Pos: Pos{File: "policy.yaml", Line: 4}},
		{Version: v("17.3"), Raw: "17.3", Series: true, Index: 0, Pos: Pos{File: "vendor/gitlab.yml", Line: 9}},
	})
	if len(got) != 1 || got[0].Pos.File != "policy.yaml" {
		t.Errorf("MergeStops() = %+v, want the policy's stop only", got)
	}
}
