package upgradepath

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

// bfsSuggest is a reference for graphs too large to enumerate: a BFS over
// explicitly listed hops, then the greedy choice of the latest release on
// a shortest path.
func (n naive) bfsSuggest(from, to *version.Version) ([]*version.Version, bool) {
	nodes := append(append([]*version.Version{from}, n.between(from, to)...), to)
	last := len(nodes) - 1
	legal := make([][]bool, len(nodes))
	for i := range nodes {
		legal[i] = make([]bool, len(nodes))
		for j := i + 1; j < len(nodes); j++ {
			legal[i][j] = n.legal(nodes[i], nodes[j])
		}
	}
	h := make([]int, len(nodes))
	for i := range h {
		h[i] = -1
	}
	h[last] = 0
	for queue := []int{last}; len(queue) > 0; queue = queue[1:] {
		w := queue[0]
		for u := 0; u < w; u++ {
			if h[u] < 0 && legal[u][w] {
				h[u] = h[w] + 1
				queue = append(queue, u)
			}
		}
	}
	if h[0] < 0 {
		return nil, false
	}
	path := []*version.Version{}
	for cur := 0; h[cur] > 1; {
		for w := last - 1; w > cur; w-- {
			if h[w] == h[cur]-1 && legal[cur][w] {
				path = append(path, nodes[w])
				cur = w
				break
			}
		}
	}
	return path, true
}

// genMedium builds a policy with about a hundred releases over four majors,
// pre-releases included, and blocked ranges built from its own versions.
func genMedium(r *rand.Rand) randomCase {
	var c randomCase
	var pool []*version.Version
	for maj := 1; maj <= 4; maj++ {
		for mi := 0; mi <= 9; mi++ {
			for p := 0; p <= 3; p++ {
				pool = append(pool, v(fmt.Sprintf("%d.%d.%d", maj, mi, p)))
			}
			pool = append(pool, v(fmt.Sprintf("%d.%d.0-rc1", maj, mi)))
		}
	}
	for _, x := range pool {
		if r.IntN(5) < 3 {
			c.rules.Releases = append(c.rules.Releases, x)
		}
	}
	rel := c.rules.Releases
	pickV := func() *version.Version { return pool[r.IntN(len(pool))] }
	for i := range 3 + r.IntN(12) {
		s := rel[r.IntN(len(rel))]
		if r.IntN(5) == 0 {
			s = pickV()
		}
		st := Stop{Version: s, Raw: s.Original(), Index: i}
		if r.IntN(4) == 0 {
			st.Conditional = "sometimes"
		}
		c.rules.Stops = append(c.rules.Stops, st)
	}
	c.rules.MaxStep = MaxStep{HasMajor: r.IntN(2) == 0, Major: 1 + r.IntN(2), HasMinor: r.IntN(2) == 0, Minor: 1 + r.IntN(4)}
	constraintOf := func() string {
		a, b := pickV(), pickV()
		if b.LessThan(a) {
			a, b = b, a
		}
		switch r.IntN(4) {
		case 0:
			return fmt.Sprintf(">= %s, < %s", a, b)
		case 1:
			return fmt.Sprintf("~> %d.%d", a.Segments()[0], a.Segments()[1])
		case 2:
			return fmt.Sprintf(">= %s", a)
		}
		return fmt.Sprintf("!= %s, <= %s", a, b)
	}
	for i := range r.IntN(5) {
		c.rules.Blocked = append(c.rules.Blocked, block(constraintOf(), constraintOf(), i))
	}
	c.from, c.to = pickV(), pickV()
	if c.to.LessThan(c.from) {
		c.from, c.to = c.to, c.from
	}
	return c
}

// TestSuggestMatchesBFS compares the engine with the explicit-edge BFS on
// graphs of about a hundred releases, where many blocked classes and long
// paths occur.
func TestSuggestMatchesBFS(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	cases := 150
	if testing.Short() || raceEnabled {
		cases = 30
	}
	paths := 0
	for range cases {
		c := genMedium(r)
		e := New(c.rules)
		got, err := e.Suggest(c.from, c.to)
		want, ok := naive{c.rules}.bfsSuggest(c.from, c.to)
		if !ok {
			if err == nil {
				t.Fatalf("%v: got path %v, want ErrNoPath", c, canon(got))
			}
			continue
		}
		if err != nil {
			t.Fatalf("%v: got error %v, want path %v", c, err, canon(want))
		}
		if diff := cmp.Diff(canon(want), canon(got)); diff != "" {
			t.Fatalf("%v: path mismatch (-want +got):\n%s", c, diff)
		}
		if len(got) > 2 {
			paths++
		}
	}
	if paths < cases/4 {
		t.Errorf("only %d of %d cases had a path of 3 hops or more: the generator needs tuning", paths, cases)
	}
}

// TestConcurrentUse runs queries on one Engine from many goroutines; run it
// with -race.
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs(gitlabReleases...), Stops: gitlabStops(), Blocked: []Blocked{block(">= 16.0.0, < 16.3.0", ">= 16.7.0", 0)}})
	queries := [][2]*version.Version{
		{v("14.10.5"), v("18.0.0")}, {v("15.11.13"), v("17.3.7")}, {v("16.0.8"), v("16.10.0")}, {v("16.3.9"), v("16.7.10")},
	}
	want := make([][]string, len(queries))
	for i, q := range queries {
		got, err := e.Suggest(q[0], q[1])
		if err != nil {
			t.Fatalf("Suggest(%s, %s) error = %v", q[0], q[1], err)
		}
		want[i] = originals(got)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := range 8 {
		wg.Go(func() {
			for k := range 50 {
				i := (g + k) % len(queries)
				got, err := e.Suggest(queries[i][0], queries[i][1])
				e.Validate(queries[i][0], queries[i][1], got)
				if err != nil || !slices.Equal(originals(got), want[i]) {
					errs <- fmt.Sprintf("goroutine %d: Suggest(%s, %s) = %v, %v; want %v", g, queries[i][0], queries[i][1], originals(got), err, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for msg := range errs {
		t.Error(msg)
	}
}
