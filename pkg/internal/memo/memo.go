// Package memo computes a value once per key, however many goroutines ask for
// it at the same time: the first caller computes, the others wait for its
// result. It is how one run lists each secret scope and parses each file once.
package memo

import "sync"

// Map memoises a function's result per key. The zero value is ready to use
// and safe for concurrent use; a Map must not be copied after first use.
type Map[K comparable, V any] struct {
	// Max bounds how many keys the map remembers (0: no bound); past it,
	// Get calls fn for a new key without remembering its result.
	Max int

	mu      sync.Mutex
	entries map[K]*entry[V]
}

type entry[V any] struct {
	once sync.Once
	v    V
	err  error
}

// Get returns the result of fn for key, calling fn only the first time key is
// asked for. Later callers get the same value and error, errors included.
func (m *Map[K, V]) Get(key K, fn func() (V, error)) (V, error) {
	m.mu.Lock()
	if m.entries == nil {
		m.entries = map[K]*entry[V]{}
	}
	e, ok := m.entries[key]
	if !ok {
		if m.Max > 0 && len(m.entries) >= m.Max {
			m.mu.Unlock()
			return fn()
		}
		e = &entry[V]{}
		m.entries[key] = e
	}
	m.mu.Unlock()
	e.once.Do(func() { e.v, e.err = fn() })
	return e.v, e.err
}
