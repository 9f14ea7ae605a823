package check

import (
	"fmt"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// stopWhat adds to a stop's name what a reader needs besides its version:
// that a series stop is any release of its series, and the vendor file and
// line of a stop that a policy imports rather than writes.
func stopWhat(st *upgradepath.Stop, polFile string) string {
	var parts []string
	if st.Series {
		parts = append(parts, fmt.Sprintf("any %d.%d release", major(st.Version), minor(st.Version)))
	}
	if o := imported(st.Pos, polFile); o != "" {
		parts = append(parts, o)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// imported names the vendor file and line of a rule element that a policy
// imports ("from vendor/gitlab/upgrade_path.yml:45"), or returns "" for one
// the policy writes itself.
func imported(pos upgradepath.Pos, polFile string) string {
	if pos.File == "" || pos.File == polFile {
		return ""
	}
	if pos.Line > 0 {
		return fmt.Sprintf("from %s:%d", pos.File, pos.Line)
	}
	return "from " + pos.File
}

// joinSuggested renders a suggested path. Without releases its stops are
// the crossed required stops as written, and a series stop ("17.3") stands
// for the latest patch of its series, which the text says.
func joinSuggested(from *version.Version, stops []*version.Version, to *version.Version, releases bool) string {
	parts := make([]string, 0, len(stops)+2)
	parts = append(parts, from.Original())
	for _, v := range stops {
		p := v.Original()
		if !releases && upgradepath.IsSeries(p) {
			p += " (latest patch)"
		}
		parts = append(parts, p)
	}
	return strings.Join(append(parts, to.Original()), " -> ")
}

// seriesHint tells how to write a suggested series stop in spec.path: as the
// series' latest patch, which the policy, listing no releases, cannot name.
func seriesHint(stops []*version.Version, releases bool) string {
	if releases {
		return ""
	}
	var series []string
	for _, v := range stops {
		if upgradepath.IsSeries(v.Original()) {
			series = append(series, v.Original())
		}
	}
	if len(series) == 0 {
		return ""
	}
	return ", writing the latest patch of " + strings.Join(series, ", ") + " in place of the series"
}
