package upgradepath

import (
	"fmt"

	version "github.com/hashicorp/go-version"
)

// Reason says why one stop of a path is there: what breaks when it is left
// out (the hop from the stop before it to the stop after it).
type Reason struct {
	// Kind is the rule the shorter path would break: Crossed (the stop is, or
	// stands for, a required stop), ExceedsMaxStep, IsBlocked, NotAnEdge (the
	// imported update graph has no edge past it); 0 when the path stays
	// legal without it.
	Kind ViolationKind
	// Stop is the required stop it satisfies (Kind Crossed).
	Stop *Stop
	// Blocked is the entry the shorter hop would match (Kind IsBlocked).
	Blocked *Blocked
	// Detail explains an ExceedsMaxStep.
	Detail string
}

// String says the reason in a few words: "required stop", "required stop
// (conditional: …)", "maxStep: raises the minor by 2, maxStep.minor is 1",
// "avoids the blocked hop 16.0.0 -> 16.2.0: reason", or "" for none.
func (r Reason) String() string {
	switch r.Kind {
	case Crossed:
		s := "required stop"
		if r.Stop.Series {
			s = fmt.Sprintf("required stop (latest %d.%d patch)", seg(r.Stop.Version, 0), seg(r.Stop.Version, 1))
		}
		if r.Stop.Conditional != "" {
			s += " (conditional: " + r.Stop.Conditional + ")"
		}
		return s
	case ExceedsMaxStep:
		return "maxStep: without it the hop " + r.Detail
	case NotAnEdge:
		return "update graph: no edge skips it"
	case IsBlocked:
		s := fmt.Sprintf("avoids a blocked hop (from %q to %q)", r.Blocked.FromRaw, r.Blocked.ToRaw)
		if r.Blocked.Reason != "" {
			s += ": " + r.Blocked.Reason
		}
		return s
	}
	return ""
}

func seg(v *version.Version, i int) int64 {
	s := v.Segments64()
	if i < len(s) {
		return s[i]
	}
	return 0
}

// Why returns, for each of stops (the path from, stops..., to), the reason
// it is there: the first rule the path breaks on the merged hop when that
// stop alone is left out, preferring a required stop the stop itself
// satisfies. It costs one validation of a two-hop-shorter hop per stop
// (Validate of that hop alone, each version's key made once).
func (e *Engine) Why(from, to *version.Version, stops []*version.Version) []Reason {
	out := make([]Reason, len(stops))
	if len(stops) == 0 {
		return out
	}
	nodes, keys := pathKeys(from, to, stops)
	var vs []Violation
	for i, st := range stops {
		// the hop from the node before st to the one after it, as
		// Validate(prev, next, nil) checks it: skipped at a nil version
		vs = vs[:0]
		if nodes[i] != nil && nodes[i+2] != nil {
			vs = e.checkHop(vs, 0, &keys[i], &keys[i+2])
		}
		var r Reason
		for _, v := range vs {
			if v.Kind == Crossed && satisfies(st, v.Stop) {
				r = Reason{Kind: Crossed, Stop: v.Stop}
				break
			}
		}
		if r.Kind == 0 {
			for _, v := range vs {
				switch {
				case r.Kind != 0:
				case v.Kind == ExceedsMaxStep:
					r = Reason{Kind: ExceedsMaxStep, Detail: v.Detail}
				case v.Kind == IsBlocked:
					r = Reason{Kind: IsBlocked, Blocked: v.Blocked}
				case v.Kind == NotAnEdge:
					r = Reason{Kind: NotAnEdge}
				}
			}
		}
		out[i] = r
	}
	return out
}

// satisfies reports whether version v is the required stop st: a release of
// its major.minor, at or after an exact stop's patch (a later patch of a
// stop's series satisfies it, as Validate holds).
func satisfies(v *version.Version, st *Stop) bool {
	if st == nil || st.Version == nil || v == nil {
		return false
	}
	if seg(v, 0) != seg(st.Version, 0) || seg(v, 1) != seg(st.Version, 1) {
		return false
	}
	return st.Series || !v.LessThan(st.Version)
}
