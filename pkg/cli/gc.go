package cli

import "runtime/debug"

// shortRunGCPercent is the garbage collector's GOGC for the two short runs,
// `upgradegate action` and `upgradegate path` (issue 12). Both read a little
// and their heap only grows: at Go's default (100) the Action on the
// examples/ repository collects a heap of a few MiB once or twice, about a
// seventh of its CPU time (its own work under 50 ms), and `path` on 20,000
// releases collects while the releases are read, its write barriers and
// assists slowing every store (a quarter of its CPU). Collecting at five
// times the live heap bounds memory the same way, later. The memory limit
// that cmd/upgradegate's tuner sets (gc.go) still bounds the heap while the
// live heap is small: `check` at 400 on the bench corpus (2,000 manifests,
// 5,000 other files) peaks at 56.6 MiB as at 100. Past that the tuner is off
// and the heap may grow to five times what is live, on a runner's
// gigabytes. `check` keeps the default.
const shortRunGCPercent = 400

// shortRunGC sets shortRunGCPercent unless the environment sets GOGC (the
// user's choice, which the runtime has read then, stands), and returns what
// gives the collector back as it found it.
func shortRunGC(getenv func(string) string) (restore func()) {
	if getenv != nil && getenv("GOGC") != "" {
		return func() {}
	}
	old := debug.SetGCPercent(shortRunGCPercent)
	return func() { debug.SetGCPercent(old) }
}
