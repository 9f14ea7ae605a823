package upgradepath

import (
	"strings"

	version "github.com/hashicorp/go-version"
)

// Constraint is a version constraint with alternatives (manifest v1,
// section 5): it holds for a version when any of its alternatives does, and
// each alternative is go-version's (comma is AND). `">= 1.6.34, < 1.7 ||
// >= 1.7.20"` has two. An empty Constraint holds for every version, as does
// an empty alternative.
type Constraint []version.Constraints

// Check reports whether v satisfies one of the alternatives.
func (c Constraint) Check(v *version.Version) bool {
	if len(c) == 0 {
		return true
	}
	for _, alt := range c {
		if alt.Check(v) {
			return true
		}
	}
	return false
}

// String renders the alternatives joined by " || ".
func (c Constraint) String() string {
	parts := make([]string, len(c))
	for i, alt := range c {
		parts[i] = alt.String()
	}
	return strings.Join(parts, " || ")
}

// Terms returns the number of comma-separated terms over all alternatives:
// the work one check costs.
func (c Constraint) Terms() int {
	n := 0
	for _, alt := range c {
		n += len(alt)
	}
	return n
}

// TooNew reports whether v fails c only because it is too new: every
// alternative fails, and each fails through its upper bounds (< or <=)
// alone. An older v might satisfy c; no newer one would.
func (c Constraint) TooNew(v *version.Version) bool {
	if len(c) == 0 {
		return false
	}
	for _, alt := range c {
		if !tooNewFor(alt, v) {
			return false
		}
	}
	return true
}

func tooNewFor(alt version.Constraints, v *version.Version) bool {
	upper := false
	for _, one := range alt {
		if one.Check(v) {
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(one.String()), "<") {
			return false
		}
		upper = true
	}
	return upper
}
