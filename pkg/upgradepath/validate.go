package upgradepath

import (
	"fmt"
	"slices"
	"strconv"

	version "github.com/hashicorp/go-version"
)

// ViolationKind says which path rule a hop breaks.
type ViolationKind int

// The path rules a hop can break.
const (
	// Crossed: the hop crosses a required (or conditional) stop.
	Crossed ViolationKind = iota + 1
	// ExceedsMaxStep: the hop raises the major or minor by more than maxStep.
	ExceedsMaxStep
	// IsBlocked: the hop matches a blocked entry.
	IsBlocked
	// NotAnEdge: the policy imports an update graph, and the hop is none
	// of its edges.
	NotAnEdge
)

// String returns the kind's name.
func (k ViolationKind) String() string {
	switch k {
	case Crossed:
		return "crossed"
	case ExceedsMaxStep:
		return "exceeds-max-step"
	case IsBlocked:
		return "blocked"
	case NotAnEdge:
		return "not-an-edge"
	}
	return fmt.Sprintf("ViolationKind(%d)", int(k))
}

// Violation is one broken path rule on one hop.
type Violation struct {
	// Hop is the hop's index: hop i goes from nodes[i] to nodes[i+1], where
	// nodes is from, the stops, to.
	Hop      int
	From, To *version.Version
	Kind     ViolationKind
	// Stop is the crossed stop (Kind Crossed); the caller owns this copy.
	Stop *Stop
	// Blocked is the matching entry (Kind IsBlocked); the caller owns this copy.
	Blocked *Blocked
	// Detail explains an ExceedsMaxStep, e.g. "raises the minor by 2,
	// maxStep.minor is 1".
	Detail string
}

// pathKeys returns the path from, stops..., to and each version's key (the
// zero key for a nil version).
func pathKeys(from, to *version.Version, stops []*version.Version) ([]*version.Version, []key) {
	nodes := make([]*version.Version, 0, len(stops)+2)
	nodes = append(append(append(nodes, from), stops...), to)
	keys := make([]key, len(nodes))
	for i, n := range nodes {
		if n != nil {
			keys[i] = keyOf(n)
		}
	}
	return nodes, keys
}

// Validate checks the path from, stops..., to and returns every violation of
// every hop, in hop order. Within a hop, crossed stops come first (by
// version, then policy order), then a maxStep violation, then blocked
// entries in policy order, then, with an update graph, a hop that is none
// of its edges. A hop is checked as given, even when it does not
// go up; hops that touch a nil version are skipped.
func (e *Engine) Validate(from, to *version.Version, stops []*version.Version) []Violation {
	nodes, keys := pathKeys(from, to, stops)
	var out []Violation
	for i := 0; i+1 < len(nodes); i++ {
		if nodes[i] != nil && nodes[i+1] != nil {
			out = e.checkHop(out, i, &keys[i], &keys[i+1])
		}
	}
	return out
}

func (e *Engine) checkHop(out []Violation, hop int, ku, kv *key) []Violation {
	u, v := ku.v, kv.v
	uMaj, uMin := series(ku)
	vMaj, vMin := series(kv)
	// Crossed stops S (u < S, series(S) < series(v)) are the groups
	// [stops <= u, stops below series(v)).
	for j := e.stopsUpTo(ku); j < e.stopsBelowSeries(vMaj, vMin); j++ {
		for k := range e.stops[j].stops {
			s := e.stops[j].stops[k] // the caller's copy
			out = append(out, Violation{Hop: hop, From: u, To: v, Kind: Crossed, Stop: &s})
		}
	}
	if d := e.stepDetail(uMaj, uMin, vMaj, vMin); d != "" {
		out = append(out, Violation{Hop: hop, From: u, To: v, Kind: ExceedsMaxStep, Detail: d})
	}
	if iu, iv := e.exactRelease(ku), e.exactRelease(kv); iu < 0 || iv < 0 || e.has(e.into(iv), iu) {
		// an end is no release, or an entry blocks the hop: find which
		for k := range e.blocked {
			if e.blocked[k].From.Check(u) && e.blocked[k].To.Check(v) {
				b := e.blocked[k] // the caller's copy
				out = append(out, Violation{Hop: hop, From: u, To: v, Kind: IsBlocked, Blocked: &b})
			}
		}
	}
	if e.g != nil && !e.edgeOK(e.releaseIndex(ku), e.releaseIndex(kv)) {
		out = append(out, Violation{Hop: hop, From: u, To: v, Kind: NotAnEdge})
	}
	return out
}

// exactRelease returns the index of the release with k's segments and
// pre-release, or -1. Constraints decide by those alone (metadata never
// counts), so the release's blocked sets hold for k too; a version that
// only compares equal (1.2.3.0 and 1.2.3) does not qualify.
func (e *Engine) exactRelease(k *key) int32 {
	i := e.releasesBelow(k)
	if i < len(e.rel) && e.rel[i].pre == k.pre && slices.Equal(e.rel[i].segments(), k.segs) {
		return int32(i)
	}
	return -1
}

// stepDetail describes how a hop exceeds maxStep, or returns "".
func (e *Engine) stepDetail(uMaj, uMin, vMaj, vMin int64) string {
	d := vMaj - uMaj
	if e.step.HasMajor && d > int64(e.step.Major) {
		return "raises the major by " + strconv.FormatInt(d, 10) + ", maxStep.major is " + strconv.Itoa(e.step.Major)
	}
	if d == 0 && e.step.HasMinor && vMin-uMin > int64(e.step.Minor) {
		return "raises the minor by " + strconv.FormatInt(vMin-uMin, 10) + ", maxStep.minor is " + strconv.Itoa(e.step.Minor)
	}
	return ""
}

// stepOK reports whether a hop stays within maxStep; it agrees with
// stepDetail.
func (e *Engine) stepOK(uMaj, uMin, vMaj, vMin int64) bool {
	d := vMaj - uMaj
	if e.step.HasMajor && d > int64(e.step.Major) {
		return false
	}
	return d != 0 || !e.step.HasMinor || vMin-uMin <= int64(e.step.Minor)
}

// describe says in a few words what the violation breaks.
func (v Violation) describe() string {
	hop := "hop " + strconv.Quote(v.From.Original()) + " -> " + strconv.Quote(v.To.Original())
	switch v.Kind {
	case Crossed:
		return hop + " skips required stop " + strconv.Quote(v.Stop.Version.Original())
	case ExceedsMaxStep:
		return hop + " exceeds maxStep: " + v.Detail
	case IsBlocked:
		b := hop + " is blocked (from " + strconv.Quote(v.Blocked.FromRaw) + " to " + strconv.Quote(v.Blocked.ToRaw) + ")"
		if v.Blocked.Reason != "" {
			b += ": " + v.Blocked.Reason
		}
		return b
	case NotAnEdge:
		return hop + " is not an edge of the update graph"
	}
	return hop
}
