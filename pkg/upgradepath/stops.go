package upgradepath

import (
	"cmp"
	"strings"
)

// IsSeries reports whether a stop's version as written names a series: two
// numeric segments, an optional leading v, nothing else ("17.3", "v4.16").
func IsSeries(raw string) bool {
	s := strings.TrimPrefix(strings.TrimSpace(raw), "v")
	dot := strings.IndexByte(s, '.')
	return dot > 0 && dot < len(s)-1 && allDigits(s[:dot]) && allDigits(s[dot+1:])
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

// MergeStops returns the stops with the ones that say the same thing made
// one (manifest v1, "one mistake, one finding"): a series stop is dropped
// when an exact stop of the same series exists (the exact version refines
// the series), and of several series stops of one series the first (by
// Index) is kept. A stop that stands for others is conditional only when
// all of them are; it keeps its own condition text. Stops without a
// version are left out; the order of the result is the order of stops.
// stops is not changed.
func MergeStops(stops []Stop) []Stop {
	type sk struct{ major, minor int64 }
	seriesOf := func(s *Stop) sk {
		k := keyOf(s.Version)
		maj, mi := series(&k)
		return sk{maj, mi}
	}
	var out []Stop
	exact := map[sk]bool{}    // a series with an exact stop
	required := map[sk]bool{} // a series with a required series stop
	first := map[sk]int{}     // index in stops of the series stop kept
	for i := range stops {
		s := &stops[i]
		if s.Version == nil {
			continue
		}
		k := seriesOf(s)
		if !s.Series {
			exact[k] = true
			continue
		}
		if s.Conditional == "" {
			required[k] = true
		}
		if j, ok := first[k]; !ok || cmp.Compare(s.Index, stops[j].Index) < 0 {
			first[k] = i
		}
	}
	for i := range stops {
		s := stops[i]
		if s.Version == nil {
			continue
		}
		k := seriesOf(&s)
		switch {
		case s.Series && (exact[k] || first[k] != i):
			continue
		case required[k]:
			s.Conditional = ""
		}
		out = append(out, s)
	}
	return out
}
