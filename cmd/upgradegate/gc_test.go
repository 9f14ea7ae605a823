package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestLimitFor(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		live, other uint64
		limit       int64
		done        bool
	}{
		{"nothing live yet", 0, 0, memTarget, false},
		{"small heap: the target", 10 << 20, 5 << 20, memTarget, false},
		{"the target still leaves a quarter", 20 << 20, 10 << 20, memTarget, false},
		// 30 MiB live: a goal of 37.5 MiB is 97 % of 38.66 MiB, plus 12 MiB
		{"headroom wins", 30 << 20, 12 << 20, 53120643, false},
		{"just below bigLive", bigLive - 1, 6 << 20, 49531701, false},
		{"bigLive: off for good", bigLive, 6 << 20, math.MaxInt64, true},
		{"far above", 600 << 20, 20 << 20, math.MaxInt64, true},
	} {
		limit, done := limitFor(c.live, c.other)
		if limit != c.limit || done != c.done {
			t.Errorf("%s: limitFor(%d, %d) = %d, %v; want %d, %v", c.name, c.live, c.other, limit, done, c.limit, c.done)
		}
	}
}

// fakeTuner records the limits set and the re-arms, reading live heaps from
// a script.
func fakeTuner(reads [][2]uint64) (*gcTuner, *[]int64, *int) {
	var sets []int64
	arms := 0
	i := 0
	t := &gcTuner{
		set: func(l int64) int64 { sets = append(sets, l); return 0 },
		read: func() (uint64, uint64) {
			r := reads[min(i, len(reads)-1)]
			i++
			return r[0], r[1]
		},
		rearm: func(*gcTuner) { arms++ },
	}
	return t, &sets, &arms
}

func TestTunerFollowsTheLiveHeapThenStops(t *testing.T) {
	t.Parallel()
	tu, sets, arms := fakeTuner([][2]uint64{
		{8 << 20, 4 << 20},   // the target stands: no call
		{30 << 20, 12 << 20}, // a 37.5 MiB goal
		{30 << 20, 12 << 20}, // unchanged: no call
		{12 << 20, 4 << 20},  // back to the target
		{bigLive, 4 << 20},   // off, done
		{8 << 20, 4 << 20},   // never read: done
	})
	tu.start()
	for range 6 {
		tu.afterGC()
	}
	want := []int64{memTarget, 53120643, memTarget, math.MaxInt64}
	if len(*sets) != len(want) {
		t.Fatalf("limits set %v, want %v", *sets, want)
	}
	for i := range want {
		if (*sets)[i] != want[i] {
			t.Fatalf("limits set %v, want %v", *sets, want)
		}
	}
	// armed at the start and after each of the four collections before the last
	if *arms != 5 {
		t.Errorf("armed %d times, want 5 (start, then every collection until done)", *arms)
	}
	if tu.cycles != 5 || !tu.done {
		t.Errorf("cycles %d, done %v; want 5 and done", tu.cycles, tu.done)
	}
}

func TestTunerStop(t *testing.T) {
	t.Parallel()
	tu, sets, arms := fakeTuner([][2]uint64{{30 << 20, 12 << 20}})
	tu.start()
	tu.stop()
	tu.afterGC()
	if len(*sets) != 1 || *arms != 1 || tu.cycles != 0 {
		t.Errorf("after stop: limits %v, arms %d, cycles %d; want only the start's", *sets, *arms, tu.cycles)
	}
}

func TestTuneGCLeavesTheUsersSetting(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"GOGC", "GOMEMLIMIT"} {
		getenv := func(k string) string {
			if k == name {
				return "50"
			}
			return ""
		}
		if tu := tuneGC(getenv); tu != nil {
			tu.stop()
			t.Errorf("%s set: the tuner started", name)
		}
	}
}

// The tuner runs after real collections: its cleanup fires and re-arms.
// Not parallel: it sets the process's memory limit (restored at the end).
func TestTunerRunsAfterEachCollection(t *testing.T) {
	old := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(old)
	tu := tuneGC(func(string) string { return "" })
	if tu == nil {
		t.Fatal("tuner not started with neither GOGC nor GOMEMLIMIT set")
	}
	defer tu.stop()
	if got := debug.SetMemoryLimit(-1); got != memTarget {
		t.Errorf("memory limit %d after start, want %d", got, memTarget)
	}
	cycles := func() int {
		tu.mu.Lock()
		defer tu.mu.Unlock()
		return tu.cycles
	}
	// a cleanup runs on its own goroutine after the collection that frees
	// the sentinel: bounded, never a wait on the clock
	for i := 0; i < 200 && cycles() < 3; i++ {
		runtime.GC()
		runtime.Gosched()
	}
	if n := cycles(); n < 3 {
		t.Fatalf("tuner ran after %d of 200 collections, want at least 3", n)
	}
}

// readHeap finds the runtime's metrics: a live heap and the memory besides
// it (a renamed metric would read as zero and leave the limit at the
// target whatever the heap).
func TestReadHeap(t *testing.T) {
	keep := make([]byte, 4<<20)
	runtime.GC()
	live, other := readHeap()
	if live < 4<<20 {
		t.Errorf("live heap %d after keeping 4 MiB, want at least that", live)
	}
	if other == 0 || other > 1<<30 {
		t.Errorf("memory besides the heap %d, want more than none and less than 1 GiB", other)
	}
	runtime.KeepAlive(keep)
}

// stop ends the tuning and leaves the limit where it is.
func (t *gcTuner) stop() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.done = true
}
