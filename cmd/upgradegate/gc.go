package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// A memory limit for a small run that never makes a large one collect
// constantly (BENCHMARKS.md, "Memory"). Go's default pace, GOGC=100, lets
// the heap grow to twice what is live after a collection: on the bench
// corpus about 20 MB live makes a 40 MB heap and a 62-65 MiB process. A
// fixed limit caps that (GOMEMLIMIT=40MiB: 52 MiB), but on a repository
// whose live heap nears the limit the collector would run constantly. So
// after every collection the tuner sets the limit to memTarget or, where
// that would leave the live heap less than minHeadroom percent of itself to
// grow, to what leaves it that much (the runtime's heap goal under a limit
// is 97 % of the limit less the memory that holds no heap object: stacks,
// metadata, fragmentation). Once the live heap has reached bigLive the
// limit is off for good: a large repository collects as often, and peaks
// as high, as it always did. So the limit costs collections only while
// between about 18 MiB and bigLive are live, and there at most about
// four times the default's (GOGC=25; the runtime's estimate of its own
// memory lags a little, so a cycle may get somewhat less): on the bench
// corpus 24-25 collections instead of 21-23, 55 MiB instead of 62 MiB.
const (
	memTarget   = 44 << 20
	minHeadroom = 25 // percent of the live heap
	bigLive     = 32 << 20
)

// limitFor is the memory limit after a collection that found live bytes of
// heap live and other bytes of the runtime's memory that hold no heap object
// and are not free pages, and whether the tuner is done (the limit is off
// from then on).
func limitFor(live, other uint64) (limit int64, done bool) {
	if live >= bigLive {
		return math.MaxInt64, true
	}
	goal := live + live*minHeadroom/100
	need := goal*100/97 + other
	return int64(max(need, memTarget)), false
}

// tuneGC starts the tuner unless the environment sets GOGC or GOMEMLIMIT
// (the user's choice stands), and returns it (nil when not started).
func tuneGC(getenv func(string) string) *gcTuner {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return nil
	}
	t := &gcTuner{set: debug.SetMemoryLimit, read: readHeap}
	t.start()
	return t
}

// start sets the first limit and arms the tuner.
func (t *gcTuner) start() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.set(memTarget)
	t.limit = memTarget
	t.arm()
}

// gcTuner sets the memory limit after each collection from what that
// collection found. arm registers a cleanup on a fresh object: the
// collection that finds the object unreachable runs the cleanup (on the
// runtime's cleanup goroutine), which re-arms, so the tuner runs once after
// every collection until it is done.
type gcTuner struct {
	mu     sync.Mutex
	limit  int64
	done   bool
	set    func(int64) int64           // debug.SetMemoryLimit
	read   func() (live, other uint64) // after the last collection
	cycles int                         // collections seen
	rearm  func(*gcTuner)              // tests: instead of a cleanup
}

// sentinel is large enough to stay out of the tiny allocator, which would
// share its block with other objects and keep it reachable with them.
type sentinel struct{ _ [32]byte }

func (t *gcTuner) arm() {
	if t.rearm != nil {
		t.rearm(t)
		return
	}
	runtime.AddCleanup(new(sentinel), (*gcTuner).afterGC, t)
}

func (t *gcTuner) afterGC() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.done {
		return
	}
	t.cycles++
	limit, done := limitFor(t.read())
	if limit != t.limit {
		t.set(limit)
		t.limit = limit
	}
	t.done = done
	if !done {
		t.arm()
	}
}

var heapMetrics = []string{
	"/gc/heap/live:bytes",
	"/memory/classes/total:bytes",
	"/memory/classes/heap/released:bytes",
	"/memory/classes/heap/objects:bytes",
	"/memory/classes/heap/free:bytes",
}

// readHeap reads the heap the last collection marked live, and the memory
// the runtime holds besides heap objects and free pages, as the runtime
// counts it when it sets the heap goal from the limit (mgcpacer.go,
// memoryLimitHeapGoal). Zero for a metric the runtime lacks.
func readHeap() (live, other uint64) {
	s := make([]metrics.Sample, len(heapMetrics))
	for i, name := range heapMetrics {
		s[i].Name = name
	}
	metrics.Read(s)
	v := make([]uint64, len(s))
	for i := range s {
		if s[i].Value.Kind() == metrics.KindUint64 {
			v[i] = s[i].Value.Uint64()
		}
	}
	live, total, released, objects, free := v[0], v[1], v[2], v[3], v[4]
	if used := released + objects + free; total > used {
		other = total - used
	}
	return live, other
}
