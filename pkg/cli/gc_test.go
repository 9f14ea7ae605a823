package cli

import (
	"runtime/debug"
	"testing"
)

// TestShortRunGC: action and path collect at shortRunGCPercent unless the
// user set GOGC, and give the collector back as they found it.
func TestShortRunGC(t *testing.T) {
	before := debug.SetGCPercent(123)
	defer debug.SetGCPercent(before)
	restore := shortRunGC(func(string) string { return "" })
	if got := debug.SetGCPercent(shortRunGCPercent); got != shortRunGCPercent {
		t.Errorf("GOGC in a short run: %d, want %d", got, shortRunGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(123); got != 123 {
		t.Errorf("GOGC after the run: %d, want 123 as before", got)
	}
	restore = shortRunGC(func(k string) string { return map[string]string{"GOGC": "50"}[k] })
	if got := debug.SetGCPercent(123); got != 123 {
		t.Errorf("GOGC=50 set by the user: the run set %d", got)
	}
	restore()
	if got := debug.SetGCPercent(123); got != 123 {
		t.Errorf("GOGC after a run that kept it: %d, want 123", got)
	}
}
