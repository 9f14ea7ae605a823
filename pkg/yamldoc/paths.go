package yamldoc

import "sync"

// The paths Mapping gives a schema's fields ("spec.impact.window") and
// Sequence a list's first items ("spec.path[0]") are the same in every
// document of a run: they are built once and shared, instead of once per
// field of every manifest (45 of a manifest's 57 positions' paths). The
// caches are bounded (maxCachedPaths entries each): past that, paths are
// built as before.
var (
	fieldPaths pathCache[fieldsKey]
	itemPaths  pathCache[string]
	// keyPaths holds the paths of the keys of mappings without a schema
	// (spec.environment's components): fewer, as their keys are the
	// documents' own words
	keyPaths = pathCache[[2]string]{limit: maxKeyPaths}
)

// fieldsKey names one mapping of a schema: its path and its known fields
// (the list itself, by its first element and length, not its contents).
type fieldsKey struct {
	path  string
	known *string
	n     int
}

const (
	maxCachedPaths = 1024
	maxKeyPaths    = 256
	// minCachedItems and maxCachedItems bound how many items' paths of one
	// list are kept: the first list at a path decides, within them.
	minCachedItems = 8
	maxCachedItems = 64
)

// listPaths returns the paths of a list's first items at path, at most
// n of them (and nil for a list that needs none): Index(path, i) is
// items[i] when i < len(items).
func listPaths(path string, n int) []string {
	if n == 0 {
		return nil
	}
	return itemPaths.get(path, func() []string {
		out := make([]string, min(max(n, minCachedItems), maxCachedItems))
		for j := range out {
			out[j] = Index(path, j)
		}
		return out
	})
}

// itemPath returns Index(path, i), from items (listPaths) when it has it.
func itemPath(items []string, path string, i int) string {
	if i < len(items) {
		return items[i]
	}
	return Index(path, i)
}

// keyPath returns Join(path, key) for a key of a mapping without a schema.
func keyPath(path, key string) string {
	if p := keyPaths.get([2]string{path, key}, func() []string { return []string{Join(path, key)} }); p != nil {
		return p[0]
	}
	return Join(path, key)
}

// pathCache maps a key to its paths. Reads take no lock (a sync.Map);
// additions take mu, which keeps the bound exact. The map was copied on
// each addition before: fine for a few dozen entries, quadratic for a
// policy whose 425 required stops each add the paths of their own item
// ("spec.requiredStops[17]"), 40 % of `path` on 20,000 releases.
type pathCache[K comparable] struct {
	mu    sync.Mutex
	m     sync.Map // K -> []string
	n     int      // entries, under mu
	limit int      // entries at most; maxCachedPaths when 0
}

// get returns the paths of k, made by build on the first request; nil when
// the cache is full.
func (c *pathCache[K]) get(k K, build func() []string) []string {
	if v, ok := c.m.Load(k); ok {
		return v.([]string)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.m.Load(k); ok {
		return v.([]string)
	}
	limit := c.limit
	if limit == 0 {
		limit = maxCachedPaths
	}
	if c.n >= limit {
		return nil
	}
	v := build()
	c.m.Store(k, v)
	c.n++
	return v
}
