package check

import (
	"errors"
	"fmt"
	"strings"
	"sync"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/internal/memo"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// answers remembers, for one run, what the path and compatibility families
// ask the path engine that depends on the policy, the versions and the
// environment but not on the manifest: the suggested route for from, to
// and an environment (with its reasons and the texts of UG204 and UG205),
// and the compatible target of a hint. Many manifests ask the same (one
// component's upgrade between the same versions in the same environment,
// or the same question about other targets inside a hint), and the plan's
// second look asks again what the first pass asked when the environment at
// the manifest's place is the one it declares. Each answer is worked out
// once; the findings are still made per manifest, with its file, node and
// the versions as it writes them. A nil answers remembers nothing.
//
// An answer is keyed by everything it depends on: the policy (its engine
// and releases), from and to by their text (equal texts are equal
// versions), and the environment's versions of the components the
// policy's compatibility rows require (upgradepath.Engine.EnvKey), which
// is all of an environment the engine reads.
type answers struct {
	routes  memo.Map[routeKey, *route]             // Max: maxAnswers (newGate)
	targets memo.Map[routeKey, []*version.Version] // Max: maxAnswers
}

// get is m.Get for a computation that cannot fail.
func get[V any](m *memo.Map[routeKey, V], k routeKey, fn func() V) V {
	v, _ := m.Get(k, func() (V, error) { return fn(), nil })
	return v
}

// runAnswers returns the run's answers (nil with withoutAnswers).
func (g *gate) runAnswers() *answers {
	if g.opts.withoutAnswers {
		return nil
	}
	return &g.answers
}

// routeKey is what a route (or a compatible target) depends on.
type routeKey struct {
	pol      *policy.Policy
	from, to string
	env      string // pol.Engine.EnvKey of the environment
}

func routeKeyOf(pol *policy.Policy, from, to *version.Version, env upgradepath.Env) routeKey {
	return routeKey{pol: pol, from: from.Original(), to: to.Original(), env: pol.Engine.EnvKey(env)}
}

// route is the engine's suggestion for one routeKey and what the reports
// say of it. Callers only read it: its slices are shared.
type route struct {
	sg  upgradepath.Suggestion
	err error
	// path and why are the summary's suggested path and its reasons
	// (when err is nil)
	path, why []string

	// the texts of the finding the suggestion family reports when no
	// declared path is legal, made the first time one is needed
	// (findingText): UG204's message and hint, or UG205's detail and hint
	// for ErrNoPath
	text      sync.Once
	msg, hint string
}

// maxAnswers bounds how many answers of a kind a run remembers; past them
// each is worked out again (the run stays right, only slower).
const maxAnswers = 1 << 14

// route returns the engine's suggestion from from to to for env (env nil:
// the policy has no compatibility rows).
func (a *answers) route(pol *policy.Policy, from, to *version.Version, env upgradepath.Env) *route {
	find := func() *route {
		eng := pol.Engine
		sg, err := eng.SuggestFor(from, to, env)
		r := &route{sg: sg, err: err}
		if err == nil {
			r.path = make([]string, len(sg.Stops))
			for i, v := range sg.Stops {
				r.path[i] = v.Original()
			}
			r.why = reasons(eng.Why(from, to, sg.Stops))
		}
		return r
	}
	if a == nil {
		return find()
	}
	return get(&a.routes, routeKeyOf(pol, from, to, env), find)
}

// findingText returns the message and hint of the UG204 finding (a route
// was found, every stop supported), or the detail and hint of the UG205
// finding for ErrNoPath; from and to are the key's.
func (r *route) findingText(eng *upgradepath.Engine, from, to *version.Version) (msg, hint string) {
	r.text.Do(func() {
		switch {
		case errors.Is(r.err, upgradepath.ErrNoPath):
			// the engine's error repeats from and to after ErrNoPath
			r.msg = strings.TrimPrefix(r.err.Error(), fmt.Sprintf("%v from %q to %q: ", upgradepath.ErrNoPath, from.Original(), to.Original()))
			r.hint = "add the missing releases to the policy, or choose another target"
			if t := eng.ReachableAbove(from, to); t != nil {
				r.hint = fmt.Sprintf("choose target %s, the lowest release above %s with a legal path from %s, or add the missing releases to the policy", t.Original(), to.Original(), from.Original())
			}
		case r.err != nil || r.sg.Incompatible > 0:
		default:
			suggested := r.sg.Stops
			r.msg = "suggested path: " + joinSuggested(from, suggested, to, eng.HasReleases()) + suggestedRisks(eng, from, suggested, to)
			r.hint = "set spec.path: [" + strings.Join(r.path, ", ") + "]" + seriesHint(suggested, eng.HasReleases())
			if len(suggested) == 0 {
				r.msg += " (a direct hop is legal)"
				r.hint = "no intermediate stop is needed; write spec.path: [] to declare it"
			}
		}
	})
	return r.msg, r.hint
}

// compatibleTarget is the package's compatibleTarget, remembered.
func (a *answers) compatibleTarget(pol *policy.Policy, env upgradepath.Env, from, to *version.Version) []*version.Version {
	find := func() []*version.Version { return compatibleTarget(a, pol, env, from, to) }
	if a == nil || pol.Engine == nil {
		return find()
	}
	return get(&a.targets, routeKeyOf(pol, from, to, env), find)
}
