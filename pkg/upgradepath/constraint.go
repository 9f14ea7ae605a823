package upgradepath

import (
	"fmt"
	"math"
	"strings"

	version "github.com/hashicorp/go-version"
)

// Constraint is a version constraint with alternatives (manifest v1,
// section 5): it holds for a version when any of its alternatives does, and
// each alternative is go-version's (comma is AND). `">= 1.6.34, < 1.7 ||
// >= 1.7.20"` has two. An empty Constraint holds for every version, as does
// an empty alternative.
type Constraint []version.Constraints

// Check reports whether v satisfies one of the alternatives, as go-version's
// Check of each would, but comparing segments (see readTerm): without
// formatting versions as strings, and with one allocation per call (v's
// segments) however many terms c has. Terms or versions with a pre-release
// are left to go-version.
func (c Constraint) Check(v *version.Version) bool {
	if len(c) == 0 {
		return true
	}
	vs := plainSegments(v)
	for _, alt := range c {
		if altHolds(alt, v, vs) {
			return true
		}
	}
	return false
}

// altHolds reports whether v satisfies every term of alt; vs is v's
// segments when v has no pre-release, else nil.
func altHolds(alt version.Constraints, v *version.Version, vs []int64) bool {
	for _, one := range alt {
		if !checkTerm(one, v, vs) {
			return false
		}
	}
	return true
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
// alternative fails, and each fails through its upper bounds alone (< or
// <=, or ~> with v above its version). An older v might satisfy c; no newer one would.
func (c Constraint) TooNew(v *version.Version) bool {
	if len(c) == 0 {
		return false
	}
	vs := plainSegments(v)
	for _, alt := range c {
		if !tooNewFor(alt, v, vs) {
			return false
		}
	}
	return true
}

func tooNewFor(alt version.Constraints, v *version.Version, vs []int64) bool {
	upper := false
	for _, one := range alt {
		if checkTerm(one, v, vs) {
			continue
		}
		op, tv, _, ok := parseTerm(one)
		switch {
		case !ok:
			return false
		case op == "<" || op == "<=":
		case op == "~>" && v.GreaterThan(tv): // above ~> 14.0's range, not below it
		default:
			return false
		}
		upper = true
	}
	return upper
}

// Relative is a requirement relative to the version being checked
// (manifest v1, section 5): {minor: [Lo, Hi]} holds for an environment
// version of the same major whose minor lies from Lo to Hi (both included)
// around the checked version's minor, {major: [Lo, Hi]} for one whose major
// lies from Lo to Hi around the checked version's major. Kubernetes' skew
// policy for the kubelet is {minor: [-3, 0]}.
type Relative struct {
	Major  bool // the major window; else the minor window
	Lo, Hi int64
}

// String renders the requirement as written: {minor: [-3, 0]}.
func (r Relative) String() string {
	return fmt.Sprintf("{%s: [%d, %d]}", r.field(), r.Lo, r.Hi)
}

func (r Relative) field() string {
	if r.Major {
		return "major"
	}
	return "minor"
}

// Allows reports whether the environment version env satisfies r at the
// checked version at.
func (r Relative) Allows(env, at *version.Version) bool {
	em, en := seriesOf(env)
	am, an := seriesOf(at)
	if r.Major {
		return add(am, r.Lo) <= em && em <= add(am, r.Hi)
	}
	return em == am && add(an, r.Lo) <= en && en <= add(an, r.Hi)
}

// add returns a+b, held at the bounds of int64 instead of wrapping round.
func add(a, b int64) int64 {
	c := a + b
	switch {
	case b > 0 && c < a:
		return math.MaxInt64
	case b < 0 && c > a:
		return math.MinInt64
	}
	return c
}

// TooNew reports whether env fails r at at only because it is too new: a
// newer checked version would accept it.
func (r Relative) TooNew(env, at *version.Version) bool {
	em, en := seriesOf(env)
	am, an := seriesOf(at)
	if r.Major {
		return em > add(am, r.Hi)
	}
	return em > am || em == am && en > add(an, r.Hi)
}

// At says which environment versions r allows at at: "1.27 to 1.30",
// "majors 2 to 3".
func (r Relative) At(at *version.Version) string {
	am, an := seriesOf(at)
	if r.Major {
		lo, hi := add(am, r.Lo), add(am, r.Hi)
		if lo == hi {
			return fmt.Sprintf("major %d", lo)
		}
		return fmt.Sprintf("majors %d to %d", lo, hi)
	}
	lo, hi := max(add(an, r.Lo), 0), add(an, r.Hi)
	if hi < 0 {
		return fmt.Sprintf("no %d.x version", am)
	}
	if lo == hi {
		return fmt.Sprintf("%d.%d", am, lo)
	}
	return fmt.Sprintf("%d.%d to %d.%d", am, lo, am, hi)
}

// seriesOf returns a version's MAJOR and MINOR (missing segments are 0).
func seriesOf(v *version.Version) (int64, int64) {
	k := keyOf(v)
	return series(&k)
}

// Requirement is what a compatibility row requires of one environment
// component: a constraint on its version, or, when Relative is set, a
// window around the checked version.
type Requirement struct {
	Component  string
	Constraint Constraint
	Relative   *Relative
}

// Allows reports whether the environment version env satisfies q at the
// checked version at.
func (q *Requirement) Allows(env, at *version.Version) bool {
	if q.Relative != nil {
		return q.Relative.Allows(env, at)
	}
	return q.Constraint.Check(env)
}

// TooNew reports whether env fails q at at only because it is too new.
func (q *Requirement) TooNew(env, at *version.Version) bool {
	if q.Relative != nil {
		return !q.Relative.Allows(env, at) && q.Relative.TooNew(env, at)
	}
	return q.Constraint.TooNew(env)
}

// Row is a compatibility row as the engine sees it: the component versions
// it covers and what it requires of the environment there.
type Row struct {
	Versions Constraint
	Requires []Requirement
}
