package cli

import (
	"runtime/debug"
	"testing"
)

// TestActionGC: the Action raises the collector's GOGC to ActionGCPercent,
// unless the environment sets GOGC, which then stays as the runtime read it.
func TestActionGC(t *testing.T) {
	old := debug.SetGCPercent(100)
	defer debug.SetGCPercent(old)
	actionGC(func(string) string { return "" })
	if got := debug.SetGCPercent(100); got != ActionGCPercent {
		t.Errorf("GOGC unset: the Action's GC percent is %d, want %d", got, ActionGCPercent)
	}
	actionGC(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("GOGC=50 in the environment: the Action set the GC percent to %d, want it left (100 here)", got)
	}
}
