package check

import (
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// versionChecks applies UG102–UG104 (UG101 and UG105 are the decoders'):
// to must be newer than from, the declared stops ascend between them, and
// every version is a release of the policy.
func versionChecks(e *emitter, s *subject) {
	sp := &s.m.Spec
	from, to := sp.From.V, sp.To.V
	if from == nil || to == nil {
		return
	}
	if upgradepath.Compare(to, from) <= 0 {
		e.add(rules.UG102, "spec.to", "spec.from is what production runs now; spec.to must be newer",
			"to %q is not greater than from %q", sp.To.Raw, sp.From.Raw)
		return
	}
	s.ordered = true
	s.stops, s.pathOK = declaredStops(e, sp)
	pol := s.pol
	if pol == nil || !pol.Engine.HasReleases() {
		return
	}
	check := func(v manifest.Version, what string) {
		if v.V != nil && !pol.Engine.IsRelease(v.V) {
			e.addHelp(rules.UG104, v.Path,
				"%s %q is not among the releases of policy %q", what, v.Raw, pol.File)
		}
	}
	check(sp.From, "from")
	check(sp.To, "to")
	for _, st := range sp.Path {
		check(st, "stop")
	}
}

// declaredStops applies UG103 to spec.path and returns the parsed stops; ok
// is false when a stop is out of order or does not parse (the declared path
// is then illegal, and not validated hop by hop).
func declaredStops(e *emitter, s *manifest.Spec) (stops []*version.Version, ok bool) {
	ok = true
	prev := s.From
	for _, st := range s.Path {
		if st.V == nil {
			ok = false
			continue
		}
		switch {
		case upgradepath.Compare(st.V, prev.V) <= 0:
			what := "the stop before it,"
			if prev.Path == "spec.from" {
				what = "from"
			}
			e.add(rules.UG103, st.Path, "list the stops in ascending order, each newer than from and older than to",
				"stop %q is not greater than %s %q", st.Raw, what, prev.Raw)
			ok = false
		case upgradepath.Compare(st.V, s.To.V) >= 0:
			e.add(rules.UG103, st.Path, "list only the stops between from and to; to itself is not a stop",
				"stop %q is not less than to %q", st.Raw, s.To.Raw)
			ok = false
		}
		stops = append(stops, st.V)
		prev = st
	}
	return stops, ok
}
