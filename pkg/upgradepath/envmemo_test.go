package upgradepath

import (
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	version "github.com/hashicorp/go-version"
)

// TestIncompatibleRemembersEachComponentVersion: what a component's version
// rules out is worked out once per engine (ruledOut) and shared by every
// later environment that holds it; the releases incompatible marks stay
// those the reference judges unsupported, release by release, for every
// environment asked of one engine, whether its component versions were
// asked before or not, and asked from two goroutines at once (run with
// -race).
func TestIncompatibleRemembersEachComponentVersion(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(12, 7))
	cases, envs := 0, 0
	for i := range 600 {
		u := universe
		if i%2 == 1 {
			u = wideUniverse
		}
		c := genCase(r.IntN, u)
		if len(c.rules.Rows) == 0 {
			continue
		}
		e := New(c.rules)
		n := naive{c.rules}
		if len(e.rel) == 0 {
			continue
		}
		cases++
		// environments over a few versions per component, so that most
		// repeat a component version an earlier one held
		pool := []*struct{ db, k int }{}
		for range 12 {
			step := len(u) / 6
			pool = append(pool, &struct{ db, k int }{r.IntN(6) * step, r.IntN(6) * step})
		}
		check := func(p *struct{ db, k int }, drop int) string {
			env := Env{"db": u[p.db], "k": u[p.k]}
			if drop == 1 {
				delete(env, "db")
			}
			if drop == 2 {
				delete(env, "k")
			}
			got := e.incompatible(env, 0, int32(len(e.rel)))
			for j := range e.rel {
				want := !n.compatible(env, e.rel[j].Go())
				if (got != nil && got[j]) != want {
					return "release " + e.rel[j].Original() + " with env db " + u[p.db].Original() + " k " + u[p.k].Original()
				}
			}
			return ""
		}
		var wg sync.WaitGroup
		errs := make([]string, 2)
		for g := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for k, p := range pool {
					if msg := check(p, (k+g)%3); msg != "" && errs[g] == "" {
						errs[g] = msg
					}
				}
			}()
		}
		wg.Wait()
		envs += 2 * len(pool)
		for _, msg := range errs {
			if msg != "" {
				t.Fatalf("%v: incompatible disagrees with the reference at %s", c, msg)
			}
		}
		// asked again: the remembered sets give the same
		for k, p := range pool {
			if msg := check(p, k%3); msg != "" {
				t.Fatalf("%v: asked again, incompatible disagrees with the reference at %s", c, msg)
			}
		}
	}
	if cases < 100 {
		t.Errorf("only %d cases with rows and releases: the generator no longer exercises incompatible", cases)
	}
	t.Logf("%d engines, %d environments", cases, envs)
}

// TestEnvKey: two environments share a key exactly when they agree, by
// version text, on every component the rows require.
func TestEnvKey(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs("1.0.0", "2.0.0"), Rows: []Row{
		{Versions: constraint(">= 1.0"), Requires: []Requirement{{Component: "db", Constraint: constraint(">= 13")}}},
		{Versions: constraint(">= 2.0"), Requires: []Requirement{{Component: "k8s", Relative: &Relative{Lo: -1, Hi: 0}}, {Component: "db", Constraint: constraint("< 17")}}},
	}})
	base := Env{"db": v("14.1"), "k8s": v("1.29")}
	for _, c := range []struct {
		what string
		env  Env
		same bool
	}{
		{"equal", Env{"db": v("14.1"), "k8s": v("1.29")}, true},
		{"another component besides", Env{"db": v("14.1"), "k8s": v("1.29"), "redis": v("7")}, true},
		{"db differs", Env{"db": v("14.2"), "k8s": v("1.29")}, false},
		{"db written otherwise", Env{"db": v("14.1.0"), "k8s": v("1.29")}, false},
		{"k8s missing", Env{"db": v("14.1")}, false},
		{"k8s nil", Env{"db": v("14.1"), "k8s": nil}, false},
		{"values swapped", Env{"db": v("1.29"), "k8s": v("14.1")}, false},
		{"nothing the rows require", Env{"redis": v("7")}, false},
	} {
		if got := e.EnvKey(c.env) == e.EnvKey(base); got != c.same {
			t.Errorf("%s: EnvKey %q against %q: same %v, want %v", c.what, e.EnvKey(c.env), e.EnvKey(base), got, c.same)
		}
	}
	if k := e.EnvKey(Env{"redis": v("7")}); k != e.EnvKey(nil) {
		t.Errorf("an environment of no required component: key %q, want the empty environment's %q", k, e.EnvKey(nil))
	}
	// a nil version is no version, as the engine reads it
	if a, b := e.EnvKey(Env{"db": nil, "k8s": v("1.29")}), e.EnvKey(Env{"k8s": v("1.29")}); a != b {
		t.Errorf("a nil version and a missing component get different keys: %q, %q", a, b)
	}
	if k := New(Rules{Releases: vs("1.0.0")}).EnvKey(base); k != "" {
		t.Errorf("without rows: EnvKey = %q, want \"\"", k)
	}
}

// TestCoveringMatchesCheck: for a version of a release (written as the
// policy does or otherwise with the same segments), Covering gives each
// row's Versions.Check; for any other version it declines.
func TestCoveringMatchesCheck(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 9))
	answered := 0
	for i := range 1500 {
		u := universe
		if i%2 == 1 {
			u = wideUniverse
		}
		c := genCase(r.IntN, u)
		if len(c.rules.Rows) == 0 {
			continue
		}
		e := New(c.rules)
		for _, x := range append(append(slices.Clone(u), c.rules.Releases...), vs("1.0", "2.1.0.0", "1.2.1+build.7", "3.1.0-rc1")...) {
			rows, ok := e.Covering(x)
			if !ok {
				if e.exactRelease(ptr(keyOf(x))) >= 0 {
					t.Fatalf("%v: Covering(%s) declines a release", c, x.Original())
				}
				continue
			}
			answered++
			if !e.IsRelease(x) {
				t.Fatalf("%v: Covering(%s) answers for a version that is no release", c, x.Original())
			}
			for k, row := range c.rules.Rows {
				if want := row.Versions.Check(x); rows[k] != want || goCheck(row.Versions, x) != want {
					t.Fatalf("%v: Covering(%s)[%d] = %v, Check says %v (go-version %v)", c, x.Original(), k, rows[k], want, goCheck(row.Versions, x))
				}
			}
		}
	}
	if answered < 1000 {
		t.Errorf("only %d versions answered: the cases no longer exercise Covering", answered)
	}
	var nilEngine *Engine
	if _, ok := nilEngine.Covering(v("1.0.0")); ok {
		t.Error("a nil engine answers Covering")
	}
}

func ptr[T any](x T) *T { return &x }

// TestWhyMatchesValidatingEachMergedHop: Why, which makes each version's key
// once, gives for every stop the reason its definition gives: the first
// rule Validate finds on the hop from the node before the stop to the one
// after it (a required stop the stop satisfies first), on random policies
// and paths, nil stops included.
func TestWhyMatchesValidatingEachMergedHop(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(21, 2))
	reasons := 0
	for i := range 800 {
		u := universe
		if i%2 == 1 {
			u = wideUniverse
		}
		c := genCase(r.IntN, u)
		e := New(c.rules)
		stops := make([]*version.Version, r.IntN(4))
		for k := range stops {
			if r.IntN(10) > 0 {
				stops[k] = u[r.IntN(len(u))]
			}
		}
		got := e.Why(c.from, c.to, stops)
		for k, st := range stops {
			prev, next := c.from, c.to
			if k > 0 {
				prev = stops[k-1]
			}
			if k+1 < len(stops) {
				next = stops[k+1]
			}
			var want Reason
			vs := e.Validate(prev, next, nil)
			for _, x := range vs {
				if x.Kind == Crossed && satisfies(st, x.Stop) {
					want = Reason{Kind: Crossed, Stop: x.Stop}
					break
				}
			}
			for _, x := range vs {
				if want.Kind != 0 {
					break
				}
				switch x.Kind {
				case ExceedsMaxStep:
					want = Reason{Kind: ExceedsMaxStep, Detail: x.Detail}
				case IsBlocked:
					want = Reason{Kind: IsBlocked, Blocked: x.Blocked}
				case NotAnEdge:
					want = Reason{Kind: NotAnEdge}
				}
			}
			if got[k].Kind != want.Kind || got[k].String() != want.String() || (want.Stop != nil) != (got[k].Stop != nil) || want.Stop != nil && want.Stop.Index != got[k].Stop.Index {
				t.Fatalf("%v: stops %v: Why[%d] = %v %q, want %v %q", c, originals(stops), k, got[k].Kind, got[k].String(), want.Kind, want.String())
			}
			if want.Kind != 0 {
				reasons++
			}
		}
	}
	if reasons < 300 {
		t.Errorf("only %d stops with a reason: the cases no longer exercise Why", reasons)
	}
}
