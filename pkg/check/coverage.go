package check

import (
	"slices"
	"sync"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/internal/memo"
	"github.com/upgradegate/upgradegate/pkg/policy"
)

// coverage remembers which compatibility rows of a policy cover a version:
// each row's constraint is checked once per policy and version of the run,
// not once per manifest and stop (a run checks the same few hundred
// releases in thousands of manifests, twice for those the plan checks
// again). At most maxCoverage versions are remembered; past them a lookup
// checks the rows again.
type coverage struct {
	mu   sync.RWMutex
	rows map[coverKey][]bool
	// required holds each policy's required components (requiredBy)
	required memo.Map[*policy.Policy, []string]
}

type coverKey struct {
	pol *policy.Policy
	v   string // the version as written: equal texts are equal versions
}

const maxCoverage = 1 << 16

// covers returns, for each compatibility row of pol, whether its versions
// cover v. The slice is shared: callers only read it. A nil coverage
// remembers nothing.
func (c *coverage) covers(pol *policy.Policy, v *version.Version) []bool {
	k := coverKey{pol, v.Original()}
	if c != nil {
		c.mu.RLock()
		rows, ok := c.rows[k]
		c.mu.RUnlock()
		if ok {
			return rows
		}
	}
	rows, ok := pol.Engine.Covering(v) // a release: from the engine's sets of each row
	if !ok || len(rows) != len(pol.Compatibility) {
		rows = make([]bool, len(pol.Compatibility))
		for i := range pol.Compatibility {
			rows[i] = pol.Compatibility[i].Versions.Check(v)
		}
	}
	if c == nil {
		return rows
	}
	c.mu.Lock()
	if c.rows == nil {
		c.rows = map[coverKey][]bool{}
	}
	if len(c.rows) < maxCoverage {
		c.rows[k] = rows
	}
	c.mu.Unlock()
	return rows
}

// requiredBy returns the components the compatibility rows of pol require,
// each once, in the order the rows first name them (the rows repeat them: a
// policy of 46 rows may name two). Worked out once per policy and run; a nil
// coverage remembers nothing.
func (c *coverage) requiredBy(pol *policy.Policy) []string {
	find := func() ([]string, error) {
		var out []string
		for ri := range pol.Compatibility {
			for qi := range pol.Compatibility[ri].Requires {
				if comp := pol.Compatibility[ri].Requires[qi].Component; !slices.Contains(out, comp) {
					out = append(out, comp)
				}
			}
		}
		return out, nil
	}
	if c == nil {
		out, _ := find()
		return out
	}
	out, _ := c.required.Get(pol, find)
	return out
}
