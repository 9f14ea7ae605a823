package secrets

import (
	"context"
	"net/http"
	"time"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/github"
)

// kinds lists every store, in the order the documentation and the hints
// list them. A store is one file of this package that declares its Kind;
// adding one means:
//
//  1. a file here with the store (a Store) and its Kind: name, fields,
//     Validate/Refuse, New (from Config; a token it holds is returned for
//     redaction; a new field reads Ref.Fields), MissingHint;
//  2. its Kind in this list;
//  3. pkg/schema/upgrade.schema.json: the name in spec.secrets[].store's
//     enum and description, its fields, its allOf condition, and its fields
//     forbidden in the other stores' conditions (TestSchemaFollowsTheRegistry
//     names what is missing);
//  4. a "## `name`" section in docs/secret-stores.md and the list in
//     docs/spec.md (TestDocsFollowTheRegistry);
//  5. tests and a golden case for its findings.
//
// Package manifest decodes and validates entries and package refs builds and
// asks the stores through the Kind: neither names a store.
var kinds = []Kind{envKind, githubKind, vaultKind, kubernetesKind}

// Kind describes one kind of secret store: its name in spec.secrets[].store,
// the fields of an entry it reads, how it validates an entry, how it is built
// from the run's Config, and how it phrases its hints.
type Kind struct {
	// Name is the value of store: that selects it.
	Name string
	// Fields are the entry's fields the store reads, besides name and store.
	Fields []Field
	// Validate checks an entry when the manifest is decoded (UG004), after
	// the fields of other stores and the required fields were checked;
	// nil means nothing more to check.
	Validate func(e Entry) []Problem
	// Refuse says why the store must not be asked about an entry (UG004 at
	// the problem's field), checked before asking; nil means never.
	Refuse func(e Entry) *Problem
	// New builds the store for one run, and returns the tokens it holds,
	// which no finding may show.
	New func(c Config) (Store, []string)
	// MissingHint says how to create a secret the store does not have.
	MissingHint func(e Entry) string
}

// Field is one field of a spec.secrets entry that a store reads.
type Field struct {
	Name string
	// Required fields must be present and not empty; Hint then says what
	// to write.
	Required bool
	Hint     string
	// Default is the value of a field that is absent.
	Default string
	// RepoFile marks a repository path (relative to the repository root):
	// it is resolved, kept inside the repository, and counts among the
	// files the manifest depends on.
	RepoFile bool
}

// Entry is one spec.secrets entry as written.
type Entry struct {
	Name  string
	Store string
	// Fields holds the store's fields that were written, and the defaults
	// of the others.
	Fields map[string]string
}

// Field returns the value of a field ("" when absent).
func (e Entry) Field(name string) string { return e.Fields[name] }

// Has reports whether a field was written or has a default.
func (e Entry) Has(name string) bool {
	_, ok := e.Fields[name]
	return ok
}

// Problem is one thing wrong with an entry: a field that is missing, or a
// value that cannot be used.
type Problem struct {
	Field   string // the field it is about
	Missing bool   // the field is missing (Message is then unused)
	Hint    string
	Message string
}

// Config is everything any store is built from, once per run.
type Config struct {
	// Getenv reads the gate's environment (never nil): the env store's
	// secrets and the stores' settings (VAULT_ADDR, ...).
	Getenv func(string) string
	// GitHubToken, GitHubAPIURL and GitHubRepository configure the github
	// store; empty ones fall back to UPGRADEGATE_GITHUB_TOKEN,
	// GITHUB_API_URL and GITHUB_REPOSITORY.
	GitHubToken, GitHubAPIURL, GitHubRepository string
	// HTTPClient's Transport sends the HTTP stores' requests and its
	// Timeout, when set, bounds each answer; nil means the defaults.
	HTTPClient *http.Client
	// Timeout bounds each answer of an HTTP store; 0 means 10 s.
	Timeout time.Duration
	// Meter bounds the time of all the run's store requests.
	Meter *github.Meter
	// Sleep waits between GitHub API retries; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock (Vault's scheduled deletions); nil means time.Now.
	Now func() time.Time
	// Files parses repository files once per run, shared with the config
	// checks.
	Files *configfile.Cache
}

// or returns v, or the environment variable env when v is empty.
func (c Config) or(v, env string) string {
	if v != "" {
		return v
	}
	return c.Getenv(env)
}

// Kinds returns every store, in the order documentation lists them.
func Kinds() []Kind { return append([]Kind(nil), kinds...) }

// Lookup returns the store called name.
func Lookup(name string) (Kind, bool) {
	for _, k := range kinds {
		if k.Name == name {
			return k, true
		}
	}
	return Kind{}, false
}

// Names returns the stores' names, in order.
func Names() []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = k.Name
	}
	return out
}

// FieldNames returns the fields any store reads, each once, in the stores'
// order (name and store not included).
func FieldNames() []string {
	var out []string
	seen := map[string]bool{}
	for _, k := range kinds {
		for _, f := range k.Fields {
			if !seen[f.Name] {
				seen[f.Name] = true
				out = append(out, f.Name)
			}
		}
	}
	return out
}

// FieldOwner returns the first store that reads field.
func FieldOwner(field string) (string, bool) {
	for _, k := range kinds {
		if k.Reads(field) {
			return k.Name, true
		}
	}
	return "", false
}

// Reads reports whether the store reads field.
func (k Kind) Reads(field string) bool {
	_, ok := k.Field(field)
	return ok
}

// Field returns the store's field called name.
func (k Kind) Field(name string) (Field, bool) {
	for _, f := range k.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}

// Check validates an entry of this store: required fields, then Validate.
// The caller has checked that no field of another store is present.
func (k Kind) Check(e Entry) []Problem {
	var out []Problem
	for _, f := range k.Fields {
		if f.Required && e.Field(f.Name) == "" {
			out = append(out, Problem{Field: f.Name, Missing: true, Hint: f.Hint})
		}
	}
	if k.Validate != nil {
		out = append(out, k.Validate(e)...)
	}
	return out
}

// Ref returns what the store's Check asks about an entry. File fields are
// set by the caller, once resolved.
func (e Entry) Ref() Ref {
	return Ref{Name: e.Name, Scope: e.Field("scope"), Environment: e.Field("environment"),
		Path: e.Field("path"), Key: e.Field("key"), Namespace: e.Field("namespace"), Fields: e.Fields}
}
