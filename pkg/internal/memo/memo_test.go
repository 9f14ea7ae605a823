package memo

import (
	"errors"
	"maps"
	"sync"
	"sync/atomic"
	"testing"
)

func TestGetOncePerKey(t *testing.T) {
	t.Parallel()
	var m Map[string, int]
	var calls atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := []string{"a", "b"}[i%2]
			v, err := m.Get(key, func() (int, error) {
				calls.Add(1)
				if key == "b" {
					return 0, errors.New("boom")
				}
				return 7, nil
			})
			if key == "a" && (v != 7 || err != nil) || key == "b" && err == nil {
				t.Errorf("Get(%q) = %d, %v", key, v, err)
			}
		}()
	}
	wg.Wait()
	if n := calls.Load(); n != 2 {
		t.Errorf("fn ran %d times, want once per key (2)", n)
	}
}

// TestMapMax: past Max keys, a new key is computed every time it is asked
// for and not remembered; the keys remembered before keep their results.
func TestMapMax(t *testing.T) {
	m := Map[int, int]{Max: 2}
	calls := map[int]int{}
	get := func(k int) int {
		v, _ := m.Get(k, func() (int, error) { calls[k]++; return k * 10, nil })
		return v
	}
	for range 3 {
		for k := range 4 {
			if v := get(k); v != k*10 {
				t.Fatalf("Get(%d) = %d, want %d", k, v, k*10)
			}
		}
	}
	if want := map[int]int{0: 1, 1: 1, 2: 3, 3: 3}; !maps.Equal(calls, want) {
		t.Errorf("calls per key %v, want %v (the first two remembered, the others computed each time)", calls, want)
	}
	if n := len(m.entries); n != 2 {
		t.Errorf("%d keys remembered, want Max (2)", n)
	}
}
