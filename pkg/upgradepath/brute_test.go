package upgradepath

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

func errorsIsNoPath(err error) bool { return errors.Is(err, ErrNoPath) }

// TestSuggestMatchesNaive compares the engine with the exhaustive reference
// on random small policies.
func TestSuggestMatchesNaive(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	cases := 20000
	if testing.Short() || raceEnabled {
		cases = 3000
	}
	for i := range cases {
		u := universe
		if i%2 == 1 {
			u = wideUniverse
		}
		checkCase(t, genCase(r.IntN, u))
	}
}

// TestValidateMatchesNaive compares Validate with the reference on random
// declared paths, including hops that go down.
func TestValidateMatchesNaive(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		c := genCase(r.IntN, universe)
		e := New(c.rules)
		n := naive{c.rules}
		var path []*version.Version
		for range r.IntN(4) {
			path = append(path, universe[r.IntN(len(universe))])
		}
		nodes := append(append([]*version.Version{c.from}, path...), c.to)
		var want []Violation
		for i := 0; i+1 < len(nodes); i++ {
			want = append(want, n.violations(i, nodes[i], nodes[i+1])...)
		}
		got := e.Validate(c.from, c.to, path)
		if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
			t.Fatalf("%v path %v: violations mismatch (-want +got):\n%s", c, originals(path), diff)
		}
	}
}

// TestCompareKeys checks the allocation-free ordering against go-version's.
func TestCompareKeys(t *testing.T) {
	t.Parallel()
	pool := append(vs("1.2.0.0", "1.2.0.1", "1.2", "1", "2.0.0.0.0", "1.2.3.4", "0.9.9.9"), universe...)
	for _, a := range pool {
		for _, b := range pool {
			ka, kb := keyOf(a), keyOf(b)
			if got, want := compareKeys(&ka, &kb), a.Compare(b); got != want {
				t.Errorf("compareKeys(%s, %s) = %d, want %d", a.Original(), b.Original(), got, want)
			}
		}
	}
}

// TestSuggestForMatchesNaive compares the compatibility-aware search with
// the reference on random policies with rows and an environment, and
// checks that the cases exercise it: some routes change because of the
// environment, and some have no compatible route at all.
func TestSuggestForMatchesNaive(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 6))
	changed, closest := 0, 0
	for i := range 4000 {
		u := universe
		if i%2 == 1 {
			u = wideUniverse
		}
		c := genCase(r.IntN, u)
		if c.env == nil {
			continue
		}
		if i%3 == 0 { // rows that rule out one series each
			c.rules.Rows = nil
			for range 1 + r.IntN(3) {
				w := u[r.IntN(len(u))].Segments()
				c.rules.Rows = append(c.rules.Rows, Row{Versions: constraint(fmt.Sprintf("~> %d.%d.0", w[0], w[1])),
					Requires: []Requirement{{Component: "db", Constraint: constraint(">= 9")}}})
			}
			c.env = Env{"db": v("1.0")}
		}
		checkCase(t, c)
		n := naive{c.rules}
		plain, ok := n.suggest(c.from, c.to)
		aware, bad, _ := n.suggestFor(c.from, c.to, c.env)
		if ok && !slices.EqualFunc(plain, aware, (*version.Version).Equal) {
			changed++
		}
		if ok && bad > 0 {
			closest++
		}
	}
	if changed < 5 || closest < 20 {
		t.Errorf("only %d cases where the environment changed the route and %d without a compatible one: the generator no longer exercises SuggestFor", changed, closest)
	}
	t.Logf("%d routes changed by the environment, %d with no compatible route", changed, closest)
}
