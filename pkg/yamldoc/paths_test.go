package yamldoc

import (
	"fmt"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestItemPathIsIndex: a list item's path is Index's, for the first item
// and past what the cache keeps, whatever length the first list at the
// path had.
func TestItemPathIsIndex(t *testing.T) {
	t.Parallel()
	for _, n := range []int{1, 3, 9, 70, 200} {
		path := fmt.Sprintf("test.items%d", n)
		for _, m := range []int{n, 1, 300} { // the first list at path decides what is kept
			items := listPaths(path, m)
			for i := 0; i < m; i++ {
				if got, want := itemPath(items, path, i), Index(path, i); got != want {
					t.Fatalf("item %d of %d at %q (%d first) = %q, want %q", i, m, path, n, got, want)
				}
			}
		}
	}
}

// TestPathCacheBounded: a full cache answers nil (its callers build the
// path themselves) and keeps what it had; a key's paths are built once.
func TestPathCacheBounded(t *testing.T) {
	t.Parallel()
	var c pathCache[string]
	builds := 0
	build := func(k string) func() []string {
		return func() []string { builds++; return []string{k + ".x"} }
	}
	for i := 0; i < maxCachedPaths; i++ {
		k := fmt.Sprint("k", i)
		if got := c.get(k, build(k)); len(got) != 1 || got[0] != k+".x" {
			t.Fatalf("get(%q) = %q", k, got)
		}
	}
	if got := c.get("k0", build("k0")); len(got) != 1 || got[0] != "k0.x" || builds != maxCachedPaths {
		t.Fatalf("get(k0) again = %q after %d builds, want [k0.x] from the cache", got, builds)
	}
	if got := c.get("one more", build("one more")); got != nil {
		t.Fatalf("a full cache gave %q, want nil", got)
	}
	small := pathCache[string]{limit: 2}
	for i, want := range []bool{true, true, false} {
		k := fmt.Sprint("k", i)
		if got := small.get(k, build(k)); (got != nil) != want {
			t.Fatalf("a cache of 2: get(%q) = %q, want it kept: %v", k, got, want)
		}
	}
}

// TestMappingPaths: the paths Mapping passes and records are Join's, for
// known fields (shared across documents), unknown ones and a list's items.
func TestMappingPaths(t *testing.T) {
	t.Parallel()
	known := []string{"a", "b"}
	for doc := 0; doc < 2; doc++ {
		docs, f := Parse("f.yaml", []byte("top:\n  a: [x, y]\n  b: {pg: 1, k8s: 2}\n  c: 2\n"))
		if f != nil {
			t.Fatal(f)
		}
		d := NewDecoder("f.yaml", Content(docs[0]))
		var got []string
		d.Mapping("", Content(docs[0]), []string{"top"}, func(_, p string, v *yaml.Node) {
			got = append(got, p)
			d.Mapping(p, v, known, func(key, p string, v *yaml.Node) {
				got = append(got, p)
				if key == "a" {
					d.Strings(p, v)
				} else {
					d.Mapping(p, v, nil, func(_, p string, _ *yaml.Node) { got = append(got, p) })
				}
			})
		})
		want := "[top top.a top.b top.b.pg top.b.k8s]"
		if fmt.Sprint(got) != want {
			t.Fatalf("document %d: Mapping passed %v, want %s", doc, got, want)
		}
		for _, p := range []string{"top.a[0]", "top.a[1]", "top.b", "top.b.pg", "top.b.k8s"} {
			if !d.Loc.Has(p) {
				t.Errorf("document %d: no position for %s", doc, p)
			}
		}
		if len(d.Findings) != 1 || d.Findings[0].Node != "top.c" {
			t.Errorf("document %d: findings %v, want one about top.c", doc, d.Findings)
		}
	}
}
