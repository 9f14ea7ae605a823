// Package policy reads upgrade policies (kind: Policy): the release list,
// required stops, step limits, blocked hops, compatibility matrix and
// checklist severities a platform team sets for one component.
package policy

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	version "github.com/hashicorp/go-version"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/settings"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Kind is the policy's kind.
const Kind = "Policy"

// DefaultDryRunMaxAge applies when a policy sets no dryRunMaxAge, and without a policy.
const DefaultDryRunMaxAge = 30 * 24 * time.Hour

// Downtime window modes.
const (
	WindowMajor      = "major"
	WindowMigrations = "migrations"
	WindowBoth       = "both"
	WindowAlways     = "always"
	WindowNever      = "never"
)

var (
	topFields      = yamldoc.TopFields
	metadataFields = yamldoc.MetadataFields
	specFields     = []string{"component", "releases", "requiredStops", "maxStep", "blocked", "compatibility", "checklist", "dryRunMaxAge", "downtimeWindow", "exceptions", "import", "lifecycle", "maintenance", "freezes", "approvals", "outcomeWithin", "deployed"}
	stopFields     = []string{"version", "conditional"}
	maxStepFields  = []string{"major", "minor"}
	blockedFields  = []string{"from", "to", "reason", "url"}
	rowFields      = []string{"versions", "requires"}
	windowModes    = []string{WindowMajor, WindowMigrations, WindowBoth, WindowAlways, WindowNever}
)

// Fields returns the known fields of the policy's mappings by path.
func Fields() map[string][]string {
	return map[string][]string{
		"": topFields, "metadata": metadataFields, "spec": specFields, "spec.requiredStops[]": stopFields,
		"spec.maxStep": maxStepFields, "spec.blocked[]": blockedFields, "spec.compatibility[]": rowFields,
		"spec.exceptions[]": exception.Fields, "spec.import[]": importFields, "spec.lifecycle": lifecycleFields,
		"spec.maintenance[]": settings.PeriodFields, "spec.freezes[]": settings.FreezeFields, "spec.approvals[]": settings.ApprovalFields, "spec.deployed[]": deployedFields,
	}
}

// fieldsByPath is Fields, built once for every decoder (read only).
var fieldsByPath = Fields()

// Policy is one kind: Policy document.
type Policy struct {
	File      string
	Name      string
	Component string

	// Rules are the path and compatibility rules, whichever source gave them.
	Rules
	// Checklist overrides rule severities; finding.Off turns a rule off.
	Checklist      map[rules.ID]finding.Severity
	DryRunMaxAge   time.Duration
	DowntimeWindow string
	Exceptions     []*exception.Exception
	// Imports are spec.import's vendor files, in order; the workspace reads
	// each with its format's Source and adds its rules.
	Imports   []Import
	Lifecycle Lifecycle
	// Settings are the policy's change-management settings (maintenance,
	// freezes, approvals, outcomeWithin); settings.Merge combines them
	// with the repository's Settings document.
	Settings settings.Settings
	// Deployed are the locations where the repository pins the component's
	// version (spec.deployed), each with its position.
	Deployed []deployed.Location

	Loc yamldoc.Locations
	// Engine answers path questions; Build makes it from Rules once they
	// are complete. Nil until then, and for a broken policy.
	Engine *upgradepath.Engine
	// Broken is true when the policy has input findings (UG0xx, rules.ID.Input):
	// manifests that name it get UG005 and no policy rules.
	Broken bool
}

// Row is one compatibility row.
type Row struct {
	Index       int // 1-based, for messages
	Path        string
	Pos         Pos
	VersionsRaw string
	Versions    upgradepath.Constraint
	Requires    []Requirement
}

// Requirement is one infrastructure constraint of a row: a constraint on
// the environment component's version, or, when Relative is set, a window
// relative to the version being checked ({minor: [-3, 0]}).
type Requirement struct {
	Pos        Pos
	Component  string
	Raw        string
	Constraint upgradepath.Constraint
	Relative   *upgradepath.Relative
}

// Engine returns the requirement as the path engine sees it.
func (q *Requirement) Engine() upgradepath.Requirement {
	return upgradepath.Requirement{Component: q.Component, Constraint: q.Constraint, Relative: q.Relative}
}

// Allows reports whether the environment version env satisfies the
// requirement at the component version at.
func (q *Requirement) Allows(env, at *version.Version) bool {
	e := q.Engine()
	return e.Allows(env, at)
}

// TooNew reports whether env fails the requirement at at only because it
// is too new (an older environment would be a downgrade).
func (q *Requirement) TooNew(env, at *version.Version) bool {
	e := q.Engine()
	return e.TooNew(env, at)
}

// Describe quotes the requirement for a message at the component version
// at: the constraint as written, or the relative window with the versions
// it allows there ("{minor: [-3, 0]}" (1.27 to 1.30 at 1.30.2)).
func (q *Requirement) Describe(at *version.Version) string {
	if q.Relative == nil || at == nil {
		return fmt.Sprintf("%q", q.Raw)
	}
	return fmt.Sprintf("%q (%s at %s)", q.Raw, q.Relative.At(at), at.Original())
}

// Severity returns the rule's severity under this policy (nil policy: the default).
func (p *Policy) Severity(rule rules.ID) finding.Severity {
	return p.Apply(rule, rule.Rule().Severity)
}

// Apply returns the severity a finding of rule reported at sev gets under
// this policy: the checklist's setting when it names the rule, else sev. A
// rule can report below its default (a conditional stop is a warning), so
// only an explicit checklist entry changes a finding's severity. Rules that
// cannot be reconfigured, and a nil policy, keep sev.
func (p *Policy) Apply(rule rules.ID, sev finding.Severity) finding.Severity {
	if p == nil {
		return sev
	}
	if rule.Rule().Configurable() {
		if s, ok := p.Checklist[rule]; ok {
			return s
		}
	}
	return sev
}

// NotPolicyError says that a file holds no kind: Policy document at all
// (a manifest named as a policy, say): nothing in it is the policy's fault.
type NotPolicyError struct {
	Kind string // the kind of its first document; "" when it has none
}

func (e *NotPolicyError) Error() string {
	if e.Kind == "" {
		return "holds no kind: Policy document"
	}
	return fmt.Sprintf("holds no kind: Policy document (it is a kind: %s file)", e.Kind)
}

// TooLarge is the finding for a policy file of size bytes, over the limit
// that manifests and policies share (workspace.MaxFileSize).
func TooLarge(file string, size int64) finding.Finding {
	return finding.New(rules.UG004, file, 1, 1, fmt.Sprintf("policy file is %d bytes, over the 1 MiB limit", size), "split the policy")
}

// Parse reads the first kind: Policy document of a file and builds its
// engine: Read, then Build.
func Parse(file string, data []byte) (*Policy, []finding.Finding, error) {
	p, fs, err := Read(file, data)
	if p != nil {
		fs = append(fs, p.Build()...)
	}
	return p, fs, err
}

// Read decodes the first kind: Policy document of a file, without building
// its engine. A file with no policy document at all gives a
// *NotPolicyError and no findings; a document without any kind is decoded,
// so that the missing kind is reported. The caller bounds the file's size.
func Read(file string, data []byte) (*Policy, []finding.Finding, error) {
	docs, f := yamldoc.Parse(file, data)
	if f != nil {
		return nil, []finding.Finding{*f}, nil
	}
	return ReadDocs(file, docs)
}

// ReadDocs is Read for a file whose documents the caller has parsed with
// yamldoc.Parse already (the policy index parses a file once for the run).
// The documents are not changed.
func ReadDocs(file string, docs []*yaml.Node) (*Policy, []finding.Finding, error) {
	for _, doc := range docs {
		if yamldoc.TopScalar(yamldoc.Content(doc), "kind") == Kind {
			p, fs := Decode(file, doc)
			return p, fs, nil
		}
	}
	first := ""
	if len(docs) > 0 {
		first = yamldoc.TopScalar(yamldoc.Content(docs[0]), "kind")
	}
	if len(docs) == 1 && first == "" && strings.HasPrefix(yamldoc.TopScalar(yamldoc.Content(docs[0]), "apiVersion"), "upgradegate/") {
		p, fs := Decode(file, docs[0]) // reports the missing kind
		return p, fs, nil
	}
	return nil, nil, &NotPolicyError{Kind: first}
}

// Decode reads one policy document: its settings and, from its spec, its
// Rules. It does not build the engine: the rules of imports may follow.
func Decode(file string, doc *yaml.Node) (*Policy, []finding.Finding) {
	root := yamldoc.Content(doc)
	// the releases are read without a position in d.Loc each (decodeReleases)
	d := yamldoc.NewDecoderSized(file, root, yamldoc.Positions(root)-len(releaseItems(root)))
	d.Fields = fieldsByPath
	p := &Policy{File: file, Loc: d.Loc, DryRunMaxAge: DefaultDryRunMaxAge, DowntimeWindow: WindowBoth,
		Lifecycle: Lifecycle{WarnBefore: DefaultWarnBefore}}
	h, ok := d.Header(root, "policy", manifest.APIVersion, Kind)
	p.Name = h.Name
	switch {
	case !ok:
	case h.Spec == nil:
		d.Missing("spec", "add spec with at least component")
	default:
		decodeSpec(d, p, h.Spec)
	}
	for _, f := range d.Findings {
		if f.Rule.Input() {
			p.Broken = true
		}
	}
	return p, d.Findings
}

func decodeSpec(d *yamldoc.Decoder, p *Policy, spec *yaml.Node) {
	isMapping := d.Mapping("spec", spec, specFields, func(key, kp string, v *yaml.Node) {
		switch key {
		case "component":
			p.Component, _ = d.String(kp, v)
		case "releases":
			decodeReleases(d, p, kp, v)
		case "requiredStops":
			d.Sequence(kp, v, func(i int, ip string, v *yaml.Node) {
				st := upgradepath.Stop{Index: i, Pos: at(d, ip)}
				d.Mapping(ip, v, stopFields, func(key, sp string, v *yaml.Node) {
					switch key {
					case "version":
						st.Version = parseVersion(d, sp, v)
						st.Raw, _ = d.String(sp, v)
						st.Series = upgradepath.IsSeries(st.Raw)
					case "conditional":
						st.Conditional, _ = d.String(sp, v)
					}
				})
				if st.Version != nil {
					p.RequiredStops = append(p.RequiredStops, st)
				} else if !d.Loc.Has(yamldoc.Join(ip, "version")) {
					d.Missing(yamldoc.Join(ip, "version"), "a required stop names an exact version (17.3.7) or a series (17.3)")
				}
			})
		case "maxStep":
			p.MaxStep.Pos = at(d, kp)
			d.Mapping(kp, v, maxStepFields, func(key, sp string, v *yaml.Node) {
				n, ok := d.Int(sp, v)
				if !ok {
					return
				}
				if n < 0 {
					d.Invalid(sp, "write 0 or more", "maxStep.%s is negative", key)
					return
				}
				if key == "major" {
					p.MaxStep.Major, p.MaxStep.HasMajor = n, true
				} else {
					p.MaxStep.Minor, p.MaxStep.HasMinor = n, true
				}
			})
		case "blocked":
			d.Sequence(kp, v, func(i int, ip string, v *yaml.Node) {
				b := upgradepath.Blocked{Index: i, Pos: at(d, ip)}
				fromOK, toOK := false, false
				d.Mapping(ip, v, blockedFields, func(key, bp string, v *yaml.Node) {
					s, _ := d.String(bp, v)
					switch key {
					case "from":
						b.FromRaw = s
						b.From, fromOK = parseConstraint(d, bp, v, s)
					case "to":
						b.ToRaw = s
						b.To, toOK = parseConstraint(d, bp, v, s)
					case "reason":
						b.Reason = s
					case "url":
						if s != "" {
							if err := yamldoc.ParseURL(s); err != nil {
								d.Invalid(bp, "", "%v", err)
							}
						}
						b.URL = s
					}
				})
				for _, f := range []struct{ name, raw string }{{"from", b.FromRaw}, {"to", b.ToRaw}} {
					if f.raw == "" {
						d.Missing(yamldoc.Join(ip, f.name), "a blocked hop has from and to constraints")
					}
				}
				if fromOK && toOK {
					p.Blocked = append(p.Blocked, b)
				}
			})
		case "compatibility":
			d.Sequence(kp, v, func(i int, ip string, v *yaml.Node) {
				row := Row{Index: i + 1, Path: ip, Pos: at(d, ip)}
				ok := true
				d.Mapping(ip, v, rowFields, func(key, rp string, v *yaml.Node) {
					switch key {
					case "versions":
						row.VersionsRaw, _ = d.String(rp, v)
						var vok bool
						if row.Versions, vok = parseConstraint(d, rp, v, row.VersionsRaw); !vok {
							ok = false // whatever the requires before it said
						}
					case "requires":
						d.Mapping(rp, v, nil, func(comp, cp string, v *yaml.Node) {
							if n := yamldoc.Resolve(v); n != nil && n.Kind == yaml.MappingNode {
								if rel, rok := parseRelative(d, cp, n); rok {
									row.Requires = append(row.Requires, Requirement{Pos: at(d, cp), Component: comp, Raw: rel.String(), Relative: rel})
								} else {
									ok = false
								}
								return
							}
							raw, _ := d.String(cp, v)
							if c, cok := parseConstraint(d, cp, v, raw); cok {
								row.Requires = append(row.Requires, Requirement{Pos: at(d, cp), Component: comp, Raw: raw, Constraint: c})
							} else {
								ok = false
							}
						})
					}
				})
				if row.VersionsRaw == "" {
					d.Missing(yamldoc.Join(ip, "versions"), "a row says which versions it covers")
					ok = false
				}
				if ok {
					p.Compatibility = append(p.Compatibility, row)
				} else {
					p.InvalidRows = append(p.InvalidRows, row.Index)
				}
			})
		case "checklist":
			p.Checklist = map[rules.ID]finding.Severity{}
			d.Mapping(kp, v, nil, func(id, cp string, v *yaml.Node) {
				rule, known := rules.Lookup(id)
				if !known || rule.String() != id {
					// written exactly as the catalog spells it, as the
					// schema says: ug502 is no rule id
					msg := fmt.Sprintf("unknown rule %q in checklist", id)
					if known {
						msg += fmt.Sprintf("; did you mean %q?", rule)
					} else if near, ok := rules.Nearest(id); ok {
						msg += fmt.Sprintf("; did you mean %q?", near)
					}
					d.Report(rules.UG002, cp, "`upgradegate explain` lists the rules", "%s", msg)
					return
				}
				if !rule.Rule().Configurable() {
					d.Invalid(cp, "rules "+rules.FixedList()+" guard the gate itself", "rule %s cannot be reconfigured", rule)
					return
				}
				s, _ := d.String(cp, v)
				sev, err := finding.ParseSeverity(s)
				if err != nil {
					d.Invalid(cp, "expected one of error, warning, notice, off", "severity %q of %s is not error, warning, notice or off", s, rule)
					return
				}
				p.Checklist[rule] = sev
			})
		case "dryRunMaxAge":
			if s, ok := d.String(kp, v); ok {
				dur, err := yamldoc.ParseDuration(s)
				if err != nil || dur <= 0 {
					d.Invalid(kp, "write a duration like 14d or 36h", "dryRunMaxAge %q is not a positive duration", s)
				} else {
					p.DryRunMaxAge = dur
				}
			}
		case "downtimeWindow":
			if s, ok := d.String(kp, v); ok {
				if !slices.Contains(windowModes, s) {
					d.Invalid(kp, "expected one of "+strings.Join(windowModes, ", "), "downtimeWindow %q is not one of %s", s, strings.Join(windowModes, ", "))
				} else {
					p.DowntimeWindow = s
				}
			}
		case "exceptions":
			p.Exceptions = exception.Decode(d, kp, v)
		case "import":
			decodeImports(d, p, kp, v)
		case "lifecycle":
			decodeLifecycle(d, p, kp, v)
		case "deployed":
			decodeDeployed(d, p, kp, v)
		default:
			settings.Decode(d, &p.Settings, key, kp, v)
		}
	})
	if isMapping && p.Component == "" {
		d.Missing("spec.component", "name the component the policy governs")
	}
	sortStops(p.RequiredStops)
}

// at is the position of a node of the policy.
func at(d *yamldoc.Decoder, path string) Pos {
	p := d.Loc.Locate(path)
	return Pos{File: d.File, Line: p.Line, Column: p.Column}
}

func parseVersion(d *yamldoc.Decoder, p string, n *yaml.Node) *version.Version {
	s, ok := d.String(p, n)
	if !ok {
		d.Invalid(p, "write a version such as 17.3.7", "%s is empty", p)
		return nil
	}
	v, err := yamldoc.ParseVersion(s)
	if err != nil {
		d.Report(rules.UG101, p, "write a version such as 17.3.7 (a leading v is allowed)",
			"version %q of %s cannot be parsed", s, p)
		return nil
	}
	return v
}

// releaseItems returns the items of the spec.releases list of the policy
// document under root, or nil.
func releaseItems(root *yaml.Node) []*yaml.Node {
	list := yamldoc.Resolve(mappingValue(mappingValue(root, "spec"), "releases"))
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	return list.Content
}

// mappingValue returns the value of the first key k of the mapping n, or
// nil.
func mappingValue(n *yaml.Node, k string) *yaml.Node {
	n = yamldoc.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if key := n.Content[i]; key.Kind == yaml.ScalarNode && key.Value == k {
			return n.Content[i+1]
		}
	}
	return nil
}

// decodeReleases reads spec.releases (at path, its node n) as d.Sequence
// and parseVersion would, with the same findings at the same positions,
// but records an item's path and position in d.Loc only when the item is
// not a release: a policy may list 20,000 releases, each Release holds its
// position, and nothing locates a release by its path later. The versions
// come from one Batch.
func decodeReleases(d *yamldoc.Decoder, p *Policy, path string, n *yaml.Node) {
	list := yamldoc.Resolve(n)
	if list == nil || list.Kind != yaml.SequenceNode {
		d.Sequence(path, n, func(int, string, *yaml.Node) {}) // what is not a list, or null
		return
	}
	p.Releases = slices.Grow(p.Releases, len(list.Content))
	batch := upgradepath.NewBatch(len(list.Content))
	for i, item := range list.Content {
		v := yamldoc.Resolve(item)
		if v != nil && v.Kind == yaml.ScalarNode && v.Tag != "!!null" { // d.String reads its value
			if ver, err := yamldoc.ParseRelease(batch, v.Value); err == nil {
				at := yamldoc.NodePos(v)
				p.Releases = append(p.Releases, Release{Ver: ver, Pos: Pos{File: d.File, Line: at.Line, Column: at.Column}})
				continue
			}
		}
		ip := yamldoc.Index(path, i)
		d.Loc.Set(ip, yamldoc.Loc{Key: yamldoc.NodePos(v), Value: yamldoc.NodePos(v)})
		if ver := parseRelease(d, ip, v); ver != nil {
			p.Releases = append(p.Releases, Release{Ver: ver, Pos: at(d, ip)})
		}
	}
}

// parseRelease is parseVersion for a release: the same findings, the
// version in the path engine's form.
func parseRelease(d *yamldoc.Decoder, p string, n *yaml.Node) *upgradepath.Version {
	s, ok := d.String(p, n)
	if !ok {
		d.Invalid(p, "write a version such as 17.3.7", "%s is empty", p)
		return nil
	}
	v, err := yamldoc.ParseRelease(nil, s)
	if err != nil {
		d.Report(rules.UG101, p, "write a version such as 17.3.7 (a leading v is allowed)",
			"version %q of %s cannot be parsed", s, p)
		return nil
	}
	return v
}

// MaxConstraintTerms bounds the comma-separated terms of one constraint,
// over all its alternatives: a real one has two or three per alternative
// and a few alternatives, and each term costs work on every release.
const MaxConstraintTerms = 32

// parseConstraint reads the constraint s of the field at p (its node n):
// alternatives separated by ||, each go-version's. A malformed alternative
// is UG105 at the column where it starts.
func parseConstraint(d *yamldoc.Decoder, p string, n *yaml.Node, s string) (upgradepath.Constraint, bool) {
	if strings.TrimSpace(s) == "" {
		return nil, false
	}
	if t := strings.Count(s, ",") + strings.Count(s, "||") + 1; t > MaxConstraintTerms {
		d.Report(rules.UG105, p, fmt.Sprintf("write at most %d terms over all alternatives: a range needs two (\">= 14.9, < 17\")", MaxConstraintTerms),
			"constraint of %s has %d terms, over the limit of %d", p, t, MaxConstraintTerms)
		return nil, false
	}
	alts, err := yamldoc.ParseConstraint(s)
	if err != nil {
		var ce *yamldoc.ConstraintError
		if errors.As(err, &ce) && strings.Contains(s, "||") {
			d.ReportInValue(rules.UG105, p, n, ce.Offset,
				"write each alternative as a constraint such as \">= 1.6.34, < 1.7\" (comma means and, || means or)",
				"alternative %d (%q) of constraint %q of %s cannot be parsed: %s", ce.Index+1, ce.Alternative, s, p, ce.Reason())
			return nil, false
		}
		d.Report(rules.UG105, p, "write a constraint such as \">= 14.9, < 17\" (comma means and, || means or; ~> is supported)",
			"constraint %q of %s cannot be parsed", s, p)
		return nil, false
	}
	return upgradepath.Constraint(alts), true
}

// relativeFields are the fields of a relative requirement, one of which it
// names.
var relativeFields = []string{"major", "minor"}

// MaxRelative bounds the numbers of a relative requirement: a skew policy
// spans a few minors.
const MaxRelative = 1000

// parseRelative reads a relative requirement ({minor: [-3, 0]} or
// {major: [a, b]}) at p. Its bad forms are located findings: an unknown
// field is UG002, a number that is no whole number UG004, and the rest
// (no field or both, not a pair, low above high, out of range) UG105.
func parseRelative(d *yamldoc.Decoder, p string, n *yaml.Node) (*upgradepath.Relative, bool) {
	var rel *upgradepath.Relative
	ok, fields := true, 0
	d.Mapping(p, n, relativeFields, func(key, kp string, v *yaml.Node) {
		fields++
		pair := yamldoc.Resolve(v)
		if pair == nil || pair.Kind != yaml.SequenceNode || len(pair.Content) != 2 {
			d.Report(rules.UG105, kp, fmt.Sprintf("write two whole numbers, low and high: %s: [-3, 0]", key),
				"relative requirement %s of %s is not a pair of numbers [low, high]", key, p)
			ok = false
			return
		}
		var lo, hi int
		var lok, hok bool
		d.Sequence(kp, pair, func(i int, ip string, v *yaml.Node) {
			if i == 0 {
				lo, lok = d.Int(ip, v)
			} else {
				hi, hok = d.Int(ip, v)
			}
		})
		switch {
		case !lok || !hok:
			ok = false
		case lo > hi:
			d.Report(rules.UG105, kp, fmt.Sprintf("write the lower bound first: %s: [%d, %d]", key, hi, lo),
				"relative requirement %s: [%d, %d] of %s has its low bound above its high bound", key, lo, hi, p)
			ok = false
		case lo < -MaxRelative || hi > MaxRelative:
			d.Report(rules.UG105, kp, fmt.Sprintf("write bounds from %d to %d", -MaxRelative, MaxRelative),
				"relative requirement %s: [%d, %d] of %s is out of range", key, lo, hi, p)
			ok = false
		default:
			rel = &upgradepath.Relative{Major: key == "major", Lo: int64(lo), Hi: int64(hi)}
		}
	})
	switch {
	case fields > 1:
		d.Report(rules.UG105, p, "write one window, major or minor, per component",
			"relative requirement of %s names both major and minor", p)
		return nil, false
	case len(n.Content) == 0:
		d.Report(rules.UG105, p, "write a constraint such as \">= 1.27\", or a window such as {minor: [-3, 0]}",
			"requirement of %s is an empty mapping: name major or minor", p)
		return nil, false
	}
	return rel, ok && rel != nil
}
