// Package manifest reads upgrade manifests (kind: Upgrade): one per planned
// upgrade, with every field's position kept for findings.
package manifest

import (
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/secrets"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// APIVersion is the only apiVersion this gate reads.
const APIVersion = "upgradegate/v1"

// Kind is the manifest's kind.
const Kind = "Upgrade"

// Manifest is one kind: Upgrade document.
type Manifest struct {
	File  string // repository-relative, with '/'
	Index int    // the document's index in its file
	Line  int    // line of the document's top node

	APIVersion string
	Kind       string
	Name       string // metadata.name
	Spec       Spec

	// Loc holds the position of every field that was present.
	Loc yamldoc.Locations
	// Shadowed holds the fields decoding findings are already about (see
	// yamldoc.Decoder.Shadowed): the rules do not report them again.
	Shadowed map[string]bool
	// HasSpec is true when spec was a mapping and its fields were read.
	HasSpec bool
}

// Checkable reports whether the rules can run on the manifest: its
// apiVersion and kind are the supported ones and its spec is a mapping.
// Otherwise only the findings of decoding it apply.
func (m *Manifest) Checkable() bool {
	return m.APIVersion == APIVersion && m.Kind == Kind && m.HasSpec
}

// Version is a version as written and, when it parses, as parsed.
type Version struct {
	Raw string
	V   *version.Version // nil when missing or unparseable
	// Path is the field's node path, for findings.
	Path string
}

// Spec is the manifest's spec.
type Spec struct {
	Component    string
	Policy       string // path relative to the manifest file
	From, To     Version
	Path         []Version // declared intermediate stops
	Owner        string
	Environment  []Env
	Impact       Impact
	Rollback     *Rollback
	Stakeholders *Stakeholders
	Config       []Config
	Secrets      []Secret
	DryRun       *DryRun
	HealthChecks []string
	PostUpgrade  []string
	Monitoring   []string
	Database     *Database
	Docs         []Doc
	Review       *Review
	Exceptions   []*exception.Exception
	// Outcome records what happened (manifest v1 section 9); nil until
	// the upgrade ran.
	Outcome *Outcome
	// DocsUpdated is true once the documentation reflects the upgrade.
	DocsUpdated bool
	// After names the manifests (metadata.name) that must be completed
	// before this one starts (spec.after).
	After []After
}

// After is one entry of spec.after.
type After struct {
	Path string // node path, spec.after[i]
	Name string
}

// Outcome results.
const (
	OutcomeSucceeded  = "succeeded"
	OutcomeRolledBack = "rolled-back"
	OutcomeFailed     = "failed"
)

// Outcome is what happened when the upgrade ran.
type Outcome struct {
	Date    time.Time // zero when missing or invalid
	DateRaw string
	// Result is succeeded, rolled-back or failed ("" when missing or invalid).
	Result string
	// HealthChecks is passed or failed ("" when not recorded).
	HealthChecks      string
	Verified          []string // what was verified after the upgrade
	Evidence          string
	PostUpgradeDone   bool // the spec.postUpgrade steps were carried out
	MonitoredUntil    time.Time
	MonitoredUntilRaw string
	FollowUp          string // for failed or rolled-back upgrades
	// Empty is true for an outcome key without a value (reported UG004).
	Empty bool
}

// Failed reports whether the upgrade failed or was rolled back.
func (o *Outcome) Failed() bool {
	return o != nil && (o.Result == OutcomeFailed || o.Result == OutcomeRolledBack)
}

// HasOutcome reports whether the manifest records an outcome: such a
// manifest is done (manifest v1, Additions), and only the chain, plan and
// audit rules apply to it.
func (m *Manifest) HasOutcome() bool { return m.Spec.Outcome != nil }

// Env is one infrastructure component's production version.
type Env struct {
	Name    string
	Version Version
}

// Impact is the assessed impact of the upgrade.
type Impact struct {
	ReleaseNotes []string
	Risks        []string
	Downtime     *time.Duration // nil when not given; 0 for "none"
	Migrations   bool
	Window       *Window
}

// Window is the scheduled downtime window.
type Window struct {
	Start, End time.Time // zero when missing or invalid
}

// Rollback is the rollback plan.
type Rollback struct {
	Steps  []string
	Tested bool
	Owner  string
}

// Stakeholders are who is told and where they talk.
type Stakeholders struct {
	Notify  []string
	Channel string
}

// Config is one configuration key the new version needs (or no longer accepts).
type Config struct {
	Path   string // node path, spec.config[i]
	File   string // repository path as written
	Key    string
	Expect string // "present" or "absent"
	Owner  string
}

// Secret is one secret that must exist before the upgrade.
type Secret struct {
	Path string // node path, spec.secrets[i]
	// Entry is the entry as written: name, store (one of secrets.Names())
	// and the store's fields, with their defaults.
	secrets.Entry
}

// DryRun is the record of the rehearsal in a non-production environment.
type DryRun struct {
	Environment string
	Version     Version
	Date        time.Time // zero when missing or invalid
	DateRaw     string    // as written
	DateOnly    bool      // a plain YYYY-MM-DD date, which stands for the whole day (UTC)
	Result      string    // passed | failed
	Evidence    string
}

// Database lists the data checks for upgrades with migrations.
type Database struct {
	Verify []string
}

// Doc is one documentation file of the upgrade.
type Doc struct {
	Path string // node path, spec.docs[i]
	File string // repository path as written, relative to the repository root
}

// Review is the planned post-implementation review.
type Review struct {
	Owner   string
	Due     time.Time // zero when missing or invalid
	DueRaw  string
	Done    time.Time // when the review was held; zero when not yet
	DoneRaw string
	Notes   string // link to (or location of) the review's notes
}

// OwnerOf returns a section's owner, falling back to spec.owner.
func (m *Manifest) OwnerOf(section string) string {
	if section != "" {
		return section
	}
	return m.Spec.Owner
}

// Label names the manifest for messages: its metadata.name, else its component.
func (m *Manifest) Label() string {
	if m.Name != "" {
		return m.Name
	}
	return m.Spec.Component
}

// FileRefs returns the repository paths the manifest names, as written:
// config files, the secret stores' files (kubernetes: file) and
// documentation, in that order.
func (m *Manifest) FileRefs() []string {
	var out []string
	for _, c := range m.Spec.Config {
		out = append(out, c.File)
	}
	for _, s := range m.Spec.Secrets {
		kind, _ := secrets.Lookup(s.Store)
		for _, f := range kind.Fields {
			if v := s.Field(f.Name); f.RepoFile && v != "" {
				out = append(out, v)
			}
		}
	}
	for _, d := range m.Spec.Docs {
		out = append(out, d.File)
	}
	return out
}
