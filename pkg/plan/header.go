// Package plan holds the plan of a run (manifest v1 section 8): every
// manifest the run sees as a light Header, each component's chain, the order
// that honours spec.after and the chains, the environment that flows along
// it, and the home of the "done manifest" predicate. The rules UG801–UG803
// are found here; UG802 at a stop is found by the compatibility checks of
// pkg/check with the plan's Providers.
package plan

import (
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Pos is a 1-based line and column.
type Pos = yamldoc.Pos

// Version is a version as written, parsed when it parses, and where it
// stands.
type Version struct {
	Raw  string
	V    *version.Version // nil when missing or unparseable
	Path string           // node path, for findings
	Pos  Pos
}

// Env is one environment entry of a manifest.
type Env struct {
	Name    string
	Version Version
}

// Ref is one entry of spec.after.
type Ref struct {
	Name string
	Path string // spec.after[i]
	Pos  Pos
}

// Header is what the plan knows of one manifest: a few fields and their
// positions, kept for the whole run while the decoded manifest is dropped
// once it is checked (see pkg/check).
type Header struct {
	File string
	Doc  int // the document's index in its file
	Line int // line of the document's top node

	Name      string
	NamePos   Pos
	Component string
	From, To  Version
	Route     []string // from, the declared stops, to, as written
	After     []Ref
	// AfterPos is where a finding about spec.after as a whole points: the
	// list when present, else spec.
	AfterPos    Pos
	Environment []Env

	// HasOutcome is true when the manifest records an outcome (manifest v1
	// section 9, manifest.Manifest.HasOutcome), and Outcome is its result
	// (succeeded, failed, rolled-back; "" when missing or invalid).
	HasOutcome bool
	Outcome    string
	// Deployed is the version the repository deploys for the component in
	// production (manifest v1 section 6), nil when unknown. pkg/check sets
	// it from the policy's spec.deployed locations (pkg/deployed) before the
	// manifest is evaluated.
	Deployed *version.Version

	// Checkable is false when the manifest could not be read as one (see
	// manifest.Manifest.Checkable): it still has a place in the order, but
	// the plan rules do not judge it.
	Checkable bool
	// Checked is true when the run checks the manifest (changed-only
	// selection chose it); the others only give the plan its context.
	Checked bool
}

// HeaderOf takes the header of a decoded manifest.
func HeaderOf(m *manifest.Manifest) *Header {
	s := &m.Spec
	h := &Header{File: m.File, Doc: m.Index, Line: m.Line, Name: m.Name, NamePos: m.Loc.Locate("metadata.name"),
		Component: s.Component, From: versionOf(m, s.From), To: versionOf(m, s.To), Checkable: m.Checkable()}
	// Route, After and Environment made at their size (nil when empty,
	// as appending to nothing leaves them)
	n := len(s.Path)
	if s.From.Raw != "" {
		n++
	}
	if s.To.Raw != "" {
		n++
	}
	if n > 0 {
		h.Route = make([]string, 0, n)
	}
	if len(s.After) > 0 {
		h.After = make([]Ref, 0, len(s.After))
	}
	if len(s.Environment) > 0 {
		h.Environment = make([]Env, 0, len(s.Environment))
	}
	if s.From.Raw != "" {
		h.Route = append(h.Route, s.From.Raw)
	}
	for _, v := range s.Path {
		h.Route = append(h.Route, v.Raw)
	}
	if s.To.Raw != "" {
		h.Route = append(h.Route, s.To.Raw)
	}
	for _, a := range s.After {
		h.After = append(h.After, Ref{Name: a.Name, Path: a.Path, Pos: m.Loc.Locate(a.Path)})
	}
	h.AfterPos = m.Loc.Locate("spec.after")
	for _, e := range s.Environment {
		h.Environment = append(h.Environment, Env{Name: e.Name, Version: versionOf(m, e.Version)})
	}
	if m.HasOutcome() {
		h.HasOutcome, h.Outcome = true, s.Outcome.Result
	}
	return h
}

func versionOf(m *manifest.Manifest, v manifest.Version) Version {
	return Version{Raw: v.Raw, V: v.V, Path: v.Path, Pos: m.Loc.Locate(v.Path)}
}

// Done reports whether the manifest is done (manifest v1, Additions): it
// records an outcome, or the repository already deploys its `to` or a
// later version. Only the chain, plan and audit rules (UG601, UG801–UG803,
// UG519–UG522) apply to a done manifest, so that manifests kept for the
// record never fail later pull requests.
func (h *Header) Done() bool { return h.outcomeDone() || h.deployedDone() }

// outcomeDone is the outcome clause: an outcome is recorded.
func (h *Header) outcomeDone() bool { return h.HasOutcome }

// deployedDone is the deployed clause: the repository deploys `to` or has
// passed it.
func (h *Header) deployedDone() bool {
	return h.Deployed != nil && h.To.V != nil && upgradepath.Compare(h.Deployed, h.To.V) >= 0
}

// OutOfChain reports whether the manifest is left out of its component's
// chain: its outcome is failed or rolled-back, so a retry with the same
// from does not overlap it.
func (h *Header) OutOfChain() bool { return h.Outcome == "failed" || h.Outcome == "rolled-back" }

// Label names the manifest for messages: its metadata.name, else its file.
func (h *Header) Label() string {
	if h.Name != "" {
		return h.Name
	}
	return h.File
}
