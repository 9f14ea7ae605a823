package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// Pos is where a rule element was written: the policy, or a vendor file it
// imports. Findings about the element point there.
type Pos = upgradepath.Pos

// Release is one release a policy lists. Its go-version version is made
// only when asked for (Version): the path engine orders releases by their
// segments, and a policy may list thousands.
type Release struct {
	Ver *upgradepath.Version
	Pos Pos
}

// Version returns the release's version as go-version's (made on the
// first call, then the same), or nil for a Release without one.
func (r Release) Version() *version.Version {
	if r.Ver == nil {
		return nil
	}
	return r.Ver.Go()
}

// Rules are the rules a source gives a policy: releases, required stops,
// maxStep, blocked hops and the compatibility matrix. They come from the
// policy's own spec (Decode) and, with spec.import (manifest v1 section 7),
// from vendor files read by a Source; every element carries its position.
// The path engine is built from them (Policy.Build), never from the YAML.
type Rules struct {
	Releases      []Release
	RequiredStops []upgradepath.Stop // ascending by version
	MaxStep       upgradepath.MaxStep
	Blocked       []upgradepath.Blocked
	Compatibility []Row
	// InvalidRows are the 1-based indexes of compatibility rows left out
	// because a constraint in them does not parse (UG105).
	InvalidRows []int
	// Graphs are the files of the update graphs imported (cincinnati-graph):
	// with any, a hop is legal only along one of Edges (UG207).
	Graphs []string
	Edges  []upgradepath.Edge
	// Cycles are the release cycles of lifecycle data (endoflife), with
	// their support and end-of-life dates.
	Cycles []Cycle
	// Dated is the date a vendor file carries itself (endoflife.date's
	// generated_at); zero when it carries none. Add does not merge it: it
	// belongs to one file (Import.Dated).
	Dated time.Time
}

// versions returns the releases' versions, in policy order.
func (r *Rules) versions() []*upgradepath.Version {
	out := make([]*upgradepath.Version, len(r.Releases))
	for i, rel := range r.Releases {
		out[i] = rel.Ver
	}
	return out
}

// Add adds the rules of another source: releases, stops, blocked entries
// and rows are appended (stops and blocked entries numbered after r's), and
// a maxStep limit r does not set is taken from o.
func (r *Rules) Add(o Rules) {
	r.Releases = append(r.Releases, o.Releases...)
	stops := len(r.RequiredStops)
	for _, s := range o.RequiredStops {
		s.Index += stops
		r.RequiredStops = append(r.RequiredStops, s)
	}
	sortStops(r.RequiredStops)
	n := len(r.Blocked)
	for _, b := range o.Blocked {
		b.Index += n
		r.Blocked = append(r.Blocked, b)
	}
	if !r.MaxStep.HasMajor && o.MaxStep.HasMajor {
		r.MaxStep.Major, r.MaxStep.HasMajor, r.MaxStep.Pos = o.MaxStep.Major, true, o.MaxStep.Pos
	}
	if !r.MaxStep.HasMinor && o.MaxStep.HasMinor {
		r.MaxStep.Minor, r.MaxStep.HasMinor, r.MaxStep.Pos = o.MaxStep.Minor, true, o.MaxStep.Pos
	}
	rows := len(r.Compatibility) + len(r.InvalidRows)
	for _, row := range o.Compatibility {
		row.Index += rows
		r.Compatibility = append(r.Compatibility, row)
	}
	for _, i := range o.InvalidRows {
		r.InvalidRows = append(r.InvalidRows, i+rows)
	}
	r.Cycles = append(r.Cycles, o.Cycles...)
	r.Graphs = append(r.Graphs, o.Graphs...)
	r.Edges = append(r.Edges, o.Edges...)
}

// WithoutConditional returns the rules without their conditional stops,
// for the instances a stop's condition does not apply to. r is unchanged.
func (r Rules) WithoutConditional() Rules {
	r.RequiredStops = slices.DeleteFunc(slices.Clone(r.RequiredStops), func(s upgradepath.Stop) bool { return s.Conditional != "" })
	return r
}

// Engine builds the path engine of the rules, within the work limit
// (upgradepath.DefaultLimit); over it the error is an *upgradepath.LimitError.
func (r *Rules) Engine() (*upgradepath.Engine, error) {
	return upgradepath.NewLimited(upgradepath.Rules{Parsed: r.versions(), Stops: r.RequiredStops, MaxStep: r.MaxStep, Blocked: r.Blocked,
		Graphs: r.Graphs, Edges: r.Edges, Rows: r.EngineRows()},
		upgradepath.DefaultLimit)
}

// EngineRows returns the compatibility rows as the path engine sees them.
func (r *Rules) EngineRows() []upgradepath.Row {
	rows := make([]upgradepath.Row, len(r.Compatibility))
	for i, row := range r.Compatibility {
		rows[i].Versions = row.Versions
		for _, q := range row.Requires {
			rows[i].Requires = append(rows[i].Requires, q.Engine())
		}
	}
	return rows
}

func sortStops(stops []upgradepath.Stop) {
	slices.SortStableFunc(stops, func(a, b upgradepath.Stop) int { return a.Version.Compare(b.Version) })
}

// Build makes the policy's path engine from its rules. A policy whose
// blocked entries need more work than the limit allows is broken, with a
// UG004 finding at spec.blocked that names the limit: no manifest passes
// under rules the gate could not evaluate.
func (p *Policy) Build() []finding.Finding {
	eng, err := p.Rules.Engine()
	if err != nil {
		pos := p.Loc.Locate("spec.blocked")
		f := finding.New(rules.UG004, p.File, pos.Line, pos.Column, fmt.Sprintf("policy %q is too large to check: %v", p.File, err),
			"write fewer, wider blocked entries (one entry can block many hops), or list fewer releases")
		f.Node = "spec.blocked"
		p.Engine, p.Broken = nil, true
		return []finding.Finding{f}
	}
	p.Engine = eng
	return nil
}

// A Source reads the rules of a vendor file in one format (manifest v1
// section 7: spec.import). Read names file in every position and finding;
// a file that is not in the format is a finding (UG706), not an error.
type Source interface {
	Read(file string, data []byte) (Rules, []finding.Finding)
}

// SourceFunc is a Source written as a function.
type SourceFunc func(file string, data []byte) (Rules, []finding.Finding)

// Read calls f.
func (f SourceFunc) Read(file string, data []byte) (Rules, []finding.Finding) { return f(file, data) }

// Sources maps the format names of spec.import to their sources: adding a
// vendor format is one file with its Source and one entry here.
type Sources map[string]Source

// DefaultSources are the vendor formats the gate reads, by the name
// spec.import's format gives: one entry per importer file of this package.
var DefaultSources = Sources{
	FormatEndOfLife:         SourceFunc(ReadEndOfLife),
	FormatGitLabUpgradePath: SourceFunc(ReadGitLabUpgradePath),
	FormatCincinnatiGraph:   SourceFunc(ReadCincinnatiGraph),
}

// For returns the source of a format; an unknown format is an error that
// lists the known ones.
func (s Sources) For(format string) (Source, error) {
	if src, ok := s[format]; ok {
		return src, nil
	}
	known := s.Names()
	if len(known) == 0 {
		return nil, fmt.Errorf("unknown import format %q: this gate reads none yet", format)
	}
	return nil, fmt.Errorf("unknown import format %q: expected one of %s", format, strings.Join(known, ", "))
}

// Names returns the format names, sorted.
func (s Sources) Names() []string {
	known := make([]string, 0, len(s))
	for name := range s {
		known = append(known, name)
	}
	slices.Sort(known)
	return known
}
