package manifest

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/secrets"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// The fields of each mapping, in the order the spec lists them (hints show them).
var (
	topFields         = yamldoc.TopFields
	metadataFields    = yamldoc.MetadataFields
	specFields        = []string{"component", "policy", "from", "to", "path", "owner", "environment", "impact", "rollback", "stakeholders", "config", "secrets", "dryRun", "healthChecks", "postUpgrade", "monitoring", "database", "docs", "review", "exceptions", "outcome", "docsUpdated", "after"}
	impactFields      = []string{"releaseNotes", "risks", "downtime", "migrations", "window"}
	windowFields      = []string{"start", "end"}
	rollbackFields    = []string{"steps", "tested", "owner"}
	stakeholderFields = []string{"notify", "channel"}
	configFields      = []string{"file", "key", "expect", "owner"}
	secretFields      = append([]string{"name", "store"}, secrets.FieldNames()...)
	dryRunFields      = []string{"environment", "version", "date", "result", "evidence"}
	databaseFields    = []string{"verify"}
	reviewFields      = []string{"owner", "due", "done", "notes"}
	outcomeFields     = []string{"date", "result", "healthChecks", "verified", "evidence", "postUpgradeDone", "monitoredUntil", "followUp"}
)

// Outcome results and health-check states.
var (
	OutcomeResults = []string{OutcomeSucceeded, OutcomeRolledBack, OutcomeFailed}
	HealthStates   = []string{"passed", "failed"}
)

// Fields returns the known fields of the manifest's mappings by path
// ("", "spec", "spec.impact", ...), for documentation and schemas.
func Fields() map[string][]string {
	return map[string][]string{
		"": topFields, "metadata": metadataFields, "spec": specFields, "spec.impact": impactFields,
		"spec.impact.window": windowFields, "spec.rollback": rollbackFields, "spec.stakeholders": stakeholderFields,
		"spec.config[]": configFields, "spec.secrets[]": secretFields, "spec.dryRun": dryRunFields,
		"spec.database": databaseFields, "spec.review": reviewFields, "spec.exceptions[]": exception.Fields,
		"spec.outcome": outcomeFields,
	}
}

// manifestPositions is the room Decode makes for positions: a manifest
// with every section and a few list items records about 57.
const manifestPositions = 64

// fieldsByPath is Fields, built once for every decoder (read only).
var fieldsByPath = Fields()

// IsManifest reports whether a parsed document is a kind: Upgrade document.
func IsManifest(doc *yaml.Node) bool {
	return yamldoc.TopScalar(yamldoc.Content(doc), "kind") == Kind
}

// Decode reads one kind: Upgrade document. It always returns a manifest (as
// much of it as could be read) and the findings about it.
func Decode(file string, index int, doc *yaml.Node) (*Manifest, []finding.Finding) {
	root := yamldoc.Content(doc)
	// sized for a manifest with every section (57 positions) rather than
	// by counting root's nodes: the positions grow past it when needed
	d := yamldoc.NewDecoderSized(file, root, manifestPositions)
	d.Fields = fieldsByPath
	m := &Manifest{File: file, Index: index, Loc: d.Loc, Line: 1}
	if root != nil {
		m.Line = root.Line
	}
	decodeManifest(d, m, root)
	m.Shadowed = d.Shadowed // made by the decoder when a finding shadows a field
	return m, d.Findings
}

func decodeManifest(d *yamldoc.Decoder, m *Manifest, root *yaml.Node) {
	h, ok := d.Header(root, "manifest", APIVersion, Kind)
	if !ok {
		return
	}
	m.APIVersion, m.Kind, m.Name = h.APIVersion, h.Kind, h.Name
	if h.Spec == nil {
		d.Missing("spec", "add spec with at least component, from and to")
		return
	}
	m.HasSpec = decodeSpec(d, m, h.Spec)
}

// decodeSpec reads the spec; it returns false when the spec is not a mapping.
func decodeSpec(d *yamldoc.Decoder, m *Manifest, spec *yaml.Node) bool {
	s := &m.Spec
	isMapping := d.Mapping("spec", spec, specFields, func(key, p string, v *yaml.Node) {
		switch key {
		case "component":
			s.Component, _ = d.String(p, v)
		case "policy":
			var ok bool
			if s.Policy, ok = d.String(p, v); !ok && (yamldoc.IsNull(v) || v.Kind == yaml.ScalarNode) {
				// without it the policy rules would silently not apply
				d.Invalid(p, "name the policy file, relative to this manifest, or remove spec.policy", "spec.policy is empty")
			}
		case "from":
			s.From = decodeVersion(d, p, v)
		case "to":
			s.To = decodeVersion(d, p, v)
		case "path":
			if v.Kind == yaml.SequenceNode {
				s.Path = make([]Version, 0, len(v.Content))
			}
			d.Sequence(p, v, func(_ int, p string, v *yaml.Node) {
				if ver := decodeVersion(d, p, v); ver.Raw != "" {
					s.Path = append(s.Path, ver)
				} else {
					d.Invalid(p, "remove the empty stop", "%s is empty", p)
				}
			})
			if len(s.Path) == 0 {
				s.Path = nil // no stop, no list (the room made above)
			}
		case "owner":
			s.Owner, _ = d.String(p, v)
		case "environment":
			if v.Kind == yaml.MappingNode {
				s.Environment = make([]Env, 0, len(v.Content)/2)
			}
			d.Mapping(p, v, nil, func(name, p string, v *yaml.Node) {
				ver := decodeVersion(d, p, v)
				if ver.Raw == "" {
					d.Invalid(p, "write the version production runs, like \"14.11\"", "environment version of %q is empty", name)
				}
				s.Environment = append(s.Environment, Env{Name: name, Version: ver})
			})
			if len(s.Environment) == 0 {
				s.Environment = nil // no component, no list (the room made above)
			}
		case "impact":
			decodeImpact(d, &s.Impact, p, v)
		case "rollback":
			r := &Rollback{}
			if d.Mapping(p, v, rollbackFields, func(key, p string, v *yaml.Node) {
				switch key {
				case "steps":
					r.Steps = d.Strings(p, v)
				case "tested":
					r.Tested, _ = d.Bool(p, v)
				case "owner":
					r.Owner, _ = d.String(p, v)
				}
			}) {
				s.Rollback = r
			}
		case "stakeholders":
			st := &Stakeholders{}
			if d.Mapping(p, v, stakeholderFields, func(key, p string, v *yaml.Node) {
				switch key {
				case "notify":
					st.Notify = d.Strings(p, v)
				case "channel":
					st.Channel, _ = d.String(p, v)
				}
			}) {
				s.Stakeholders = st
			}
		case "config":
			d.Sequence(p, v, func(_ int, p string, v *yaml.Node) {
				if c, ok := decodeConfig(d, p, v); ok {
					s.Config = append(s.Config, c)
				}
			})
		case "secrets":
			d.Sequence(p, v, func(_ int, p string, v *yaml.Node) {
				if sec, ok := decodeSecret(d, p, v); ok {
					s.Secrets = append(s.Secrets, sec)
				}
			})
		case "dryRun":
			s.DryRun = decodeDryRun(d, p, v)
		case "healthChecks":
			s.HealthChecks = d.Strings(p, v)
		case "postUpgrade":
			s.PostUpgrade = d.Strings(p, v)
		case "monitoring":
			s.Monitoring = d.Strings(p, v)
			for i, u := range s.Monitoring {
				if strings.Contains(u, "://") {
					if err := yamldoc.ParseURL(u); err != nil {
						d.Invalid(yamldoc.Index(p, i), "", "%v", err)
					}
				}
			}
		case "database":
			db := &Database{}
			if d.Mapping(p, v, databaseFields, func(key, p string, v *yaml.Node) {
				db.Verify = d.Strings(p, v)
			}) {
				s.Database = db
			}
		case "docs":
			files := d.Strings(p, v)
			for i, f := range files {
				s.Docs = append(s.Docs, Doc{Path: yamldoc.Index(p, i), File: f})
			}
		case "review":
			r := &Review{}
			if d.Mapping(p, v, reviewFields, func(key, p string, v *yaml.Node) {
				switch key {
				case "owner":
					r.Owner, _ = d.String(p, v)
				case "due":
					r.Due, r.DueRaw = decodeTime(d, p, v)
				case "done":
					r.Done, r.DoneRaw = decodeTime(d, p, v)
				case "notes":
					r.Notes = decodeLink(d, p, v, "link the review's notes")
				}
			}) {
				s.Review = r
			}
		case "exceptions":
			s.Exceptions = exception.Decode(d, p, v)
		case "outcome":
			s.Outcome = decodeOutcome(d, p, v)
		case "docsUpdated":
			s.DocsUpdated, _ = d.Bool(p, v)
		case "after":
			s.After = decodeAfter(d, p, v)
		}
	})
	if !isMapping {
		return false // reported; its fields cannot be missing from a value that is not a mapping
	}
	for _, req := range []struct{ path, value, hint string }{
		{"spec.component", s.Component, "name what is upgraded, like gitlab"},
		{"spec.from", s.From.Raw, "write the version production runs now"},
		{"spec.to", s.To.Raw, "write the target version"},
	} {
		if req.value == "" {
			d.Missing(req.path, req.hint)
		}
	}
	return true
}

func decodeImpact(d *yamldoc.Decoder, im *Impact, path string, n *yaml.Node) {
	d.Mapping(path, n, impactFields, func(key, p string, v *yaml.Node) {
		switch key {
		case "releaseNotes":
			im.ReleaseNotes = d.Strings(p, v)
			for i, u := range im.ReleaseNotes {
				if err := yamldoc.ParseURL(u); err != nil {
					d.Invalid(yamldoc.Index(p, i), "link the release notes you reviewed", "%v", err)
				}
			}
		case "risks":
			im.Risks = d.Strings(p, v)
		case "downtime":
			if s, ok := d.String(p, v); ok {
				if strings.EqualFold(s, "none") {
					var zero time.Duration
					im.Downtime = &zero
				} else if dur, err := yamldoc.ParseDuration(s); err != nil {
					d.Invalid(p, "write a duration like 45m or 2h, or none", "%v", err)
				} else {
					im.Downtime = &dur
				}
			}
		case "migrations":
			im.Migrations, _ = d.Bool(p, v)
		case "window":
			w := &Window{}
			if d.Mapping(p, v, windowFields, func(key, p string, v *yaml.Node) {
				s, ok := d.String(p, v)
				if !ok {
					return
				}
				t, err := yamldoc.ParseTime(s)
				if err != nil {
					d.Invalid(p, "write an RFC 3339 time like 2026-12-01T22:00:00Z", "%v", err)
					return
				}
				if key == "start" {
					w.Start = t
				} else {
					w.End = t
				}
			}) {
				for _, k := range windowFields {
					if !d.Loc.Has(yamldoc.Join(p, k)) {
						d.Missing(yamldoc.Join(p, k), "a window has a start and an end")
					}
				}
				im.Window = w
			}
		}
	})
}

func decodeConfig(d *yamldoc.Decoder, path string, n *yaml.Node) (Config, bool) {
	c := Config{Path: path, Expect: "present"}
	if !d.Mapping(path, n, configFields, func(key, p string, v *yaml.Node) {
		s, _ := d.String(p, v)
		switch key {
		case "file":
			c.File = s
		case "key":
			c.Key = s
		case "expect":
			if s != "present" && s != "absent" {
				d.Invalid(p, "expected one of present, absent", "expect %q is not present or absent", s)
				return
			}
			c.Expect = s
		case "owner":
			c.Owner = s
		}
	}) {
		d.Invalid(path, "write {file: ..., key: ...}", "config entry is empty")
		return c, false
	}
	ok := true
	for _, f := range [][2]string{{"file", c.File}, {"key", c.Key}} {
		if f[1] == "" {
			d.Missing(yamldoc.Join(path, f[0]), "a config entry names a file and a key")
			ok = false
		}
	}
	return c, ok
}

// decodeSecret reads a spec.secrets entry: name, store, and the fields of
// the stores in package secrets' registry, which validate their own entries.
func decodeSecret(d *yamldoc.Decoder, path string, n *yaml.Node) (Secret, bool) {
	s := Secret{Path: path, Entry: secrets.Entry{Fields: map[string]string{}}}
	if !d.Mapping(path, n, secretFields, func(key, p string, v *yaml.Node) {
		val, _ := d.String(p, v)
		switch key {
		case "name":
			s.Name = val
		case "store":
			s.Store = val
		default:
			s.Fields[key] = val
		}
	}) {
		d.Invalid(path, "write {name: ..., store: ...}", "secret entry is empty")
		return s, false
	}
	ok := true
	if s.Name == "" {
		d.Missing(yamldoc.Join(path, "name"), "name the secret")
		ok = false
	}
	stores := secrets.Names()
	kind, known := secrets.Lookup(s.Store)
	switch {
	case s.Store == "":
		d.Missing(yamldoc.Join(path, "store"), "expected one of "+strings.Join(stores, ", "))
		return s, false
	case !known:
		msg := fmt.Sprintf("unknown secret store %q", s.Store)
		if near, found := yamldoc.Nearest(s.Store, stores); found {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		d.Invalid(yamldoc.Join(path, "store"), "expected one of "+strings.Join(stores, ", "), "%s", msg)
		return s, false
	}
	// fields that only other stores read
	for _, f := range secrets.FieldNames() {
		if owner, _ := secrets.FieldOwner(f); !kind.Reads(f) && d.Loc.Has(yamldoc.Join(path, f)) {
			d.Invalid(yamldoc.Join(path, f), "remove it, or use store: "+owner, "%s is not used by the %s store", f, s.Store)
			delete(s.Fields, f)
			ok = false
		}
	}
	for _, f := range kind.Fields {
		if f.Default != "" && s.Fields[f.Name] == "" {
			s.Fields[f.Name] = f.Default
		}
	}
	for _, p := range kind.Check(s.Entry) {
		if p.Missing {
			d.Missing(yamldoc.Join(path, p.Field), p.Hint)
		} else {
			d.Invalid(yamldoc.Join(path, p.Field), p.Hint, "%s", p.Message)
		}
		ok = false
	}
	return s, ok
}

func decodeDryRun(d *yamldoc.Decoder, path string, n *yaml.Node) *DryRun {
	r := &DryRun{}
	if !d.Mapping(path, n, dryRunFields, func(key, p string, v *yaml.Node) {
		switch key {
		case "environment":
			r.Environment, _ = d.String(p, v)
		case "version":
			r.Version = decodeVersion(d, p, v)
		case "date":
			r.Date, r.DateRaw = decodeTime(d, p, v)
			r.DateOnly = yamldoc.IsDateOnly(r.DateRaw)
		case "result":
			s, _ := d.String(p, v)
			if s != "passed" && s != "failed" {
				d.Invalid(p, "expected one of passed, failed", "dry run result %q is not passed or failed", s)
				return
			}
			r.Result = s
		case "evidence":
			if s, ok := d.String(p, v); ok {
				if strings.Contains(s, "://") {
					if err := yamldoc.ParseURL(s); err != nil {
						d.Invalid(p, "link the run's log or report", "%v", err)
					}
				}
				r.Evidence = s
			}
		}
	}) {
		return nil
	}
	return r
}

func decodeOutcome(d *yamldoc.Decoder, path string, n *yaml.Node) *Outcome {
	o := &Outcome{}
	if !d.Mapping(path, n, outcomeFields, func(key, p string, v *yaml.Node) {
		switch key {
		case "date":
			o.Date, o.DateRaw = decodeTime(d, p, v)
		case "result":
			o.Result = decodeEnum(d, p, v, "outcome result", OutcomeResults)
		case "healthChecks":
			o.HealthChecks = decodeEnum(d, p, v, "outcome healthChecks", HealthStates)
		case "verified":
			o.Verified = d.Strings(p, v)
		case "evidence":
			o.Evidence = decodeLink(d, p, v, "link the upgrade's log or report")
		case "postUpgradeDone":
			o.PostUpgradeDone, _ = d.Bool(p, v)
		case "monitoredUntil":
			o.MonitoredUntil, o.MonitoredUntilRaw = decodeTime(d, p, v)
		case "followUp":
			o.FollowUp = decodeLink(d, p, v, "link the issue that follows the failed upgrade up")
		}
	}) {
		if yamldoc.IsNull(n) && d.Loc.Has(path) {
			d.Invalid(path, "record date and result, or remove outcome until the upgrade ran", "outcome is empty")
			o.Empty = true
			return o
		}
		return nil
	}
	if o.Result == "" && !yamldoc.IsShadowed(d.Shadowed, yamldoc.Join(path, "result")) {
		d.Missing(yamldoc.Join(path, "result"), "record the result: "+strings.Join(OutcomeResults, ", "))
	}
	if o.DateRaw == "" && !yamldoc.IsShadowed(d.Shadowed, yamldoc.Join(path, "date")) {
		d.Missing(yamldoc.Join(path, "date"), "record when the upgrade ran, like 2026-12-02")
	}
	return o
}

// decodeEnum reads one of values; another value is UG004 with the nearest.
func decodeEnum(d *yamldoc.Decoder, path string, n *yaml.Node, what string, values []string) string {
	s, ok := d.String(path, n)
	if !ok {
		return ""
	}
	if !slices.Contains(values, s) {
		msg := fmt.Sprintf("%s %s is not one of %s", what, yamldoc.Quote(s), strings.Join(values, ", "))
		if near, found := yamldoc.Nearest(s, values); found {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
		d.Invalid(path, "expected one of "+strings.Join(values, ", "), "%s", msg)
		return ""
	}
	return s
}

// decodeLink reads a link or a location; what looks like a URL must be one.
func decodeLink(d *yamldoc.Decoder, path string, n *yaml.Node, hint string) string {
	s, ok := d.String(path, n)
	if !ok {
		return ""
	}
	if strings.Contains(s, "://") {
		if err := yamldoc.ParseURL(s); err != nil {
			d.Invalid(path, hint, "%v", err)
		}
	}
	return s
}

// decodeTime reads a date or an RFC 3339 time; it returns the time (zero
// when missing or invalid) and the value as written.
func decodeTime(d *yamldoc.Decoder, path string, n *yaml.Node) (time.Time, string) {
	s, ok := d.String(path, n)
	if !ok {
		return time.Time{}, ""
	}
	t, err := yamldoc.ParseTime(s)
	if err != nil {
		d.Invalid(path, "write a date like 2026-12-01", "%v", err)
	}
	return t, s
}

// decodeVersion reads a version; UG101 when it does not parse.
func decodeVersion(d *yamldoc.Decoder, path string, n *yaml.Node) Version {
	s, ok := d.String(path, n)
	v := Version{Raw: strings.TrimSpace(s), Path: path}
	if !ok {
		return v
	}
	parsed, err := yamldoc.ParseVersion(v.Raw)
	if err != nil {
		d.Report(rules.UG101, path, "write a version such as 17.3.7 (a leading v is allowed)",
			"version %s of %s cannot be parsed", yamldoc.Quote(v.Raw), path)
		return v
	}
	v.V = parsed
	return v
}

// decodeAfter reads spec.after: the metadata.name of each manifest that must
// be completed before this one starts (manifest v1 section 8). A name given
// twice counts once.
func decodeAfter(d *yamldoc.Decoder, path string, n *yaml.Node) []After {
	var out []After
	seen := map[string]bool{}
	d.Sequence(path, n, func(_ int, p string, v *yaml.Node) {
		name, ok := d.String(p, v)
		switch {
		case !ok:
		case strings.TrimSpace(name) == "":
			d.Invalid(p, "name a manifest by its metadata.name, or remove the entry", "%s is empty", p)
		case !seen[name]:
			seen[name] = true
			out = append(out, After{Path: p, Name: name})
		}
	})
	return out
}
