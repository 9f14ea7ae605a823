package memo

import (
	"errors"
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
