// Package refs checks what an upgrade manifest references outside itself:
// config keys in repository files (UG401-UG403), secrets in their stores
// (UG411, UG412), documentation files (UG421, UG422), and that every such
// file stays inside the repository (UG006). It implements check.References.
package refs

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/github"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/secrets"
)

// DefaultTimeout bounds each request to a secret store.
const DefaultTimeout = 10 * time.Second

// Options configure a Checker. Empty GitHub fields fall back to the
// environment (GITHUB_API_URL, GITHUB_REPOSITORY, UPGRADEGATE_GITHUB_TOKEN);
// Vault is configured from VAULT_ADDR, VAULT_TOKEN, VAULT_NAMESPACE and
// VAULT_CACERT.
type Options struct {
	// Getenv reads the gate's environment: the env store's secrets and the
	// stores' settings. nil means os.Getenv.
	Getenv func(string) string
	// GitHubToken may list Actions secret names (--github-token).
	GitHubToken string
	// GitHubAPIURL is the REST API's base URL; "" means GITHUB_API_URL,
	// then github.com.
	GitHubAPIURL string
	// GitHubRepository is "owner/name"; "" means GITHUB_REPOSITORY.
	GitHubRepository string
	// HTTPClient sends the stores' requests; nil means a new client.
	HTTPClient *http.Client
	// Timeout bounds each store request; 0 means DefaultTimeout.
	Timeout time.Duration
	// ChangedFiles are the pull request's changed files, repository-relative.
	// nil means the run is not about a pull request, and UG422 is off.
	ChangedFiles []string
	// Now is the clock (Vault's scheduled deletions); nil means time.Now.
	Now func() time.Time
	// Meter bounds the time of all the stores' requests in the run (share
	// the Action's, so that one deadline covers all API work); nil means a
	// new one of github.DefaultRunLimit.
	Meter *github.Meter
	// Sleep waits between GitHub API retries; nil means a timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Checker checks the references of manifests. One Checker serves one run: it
// parses each file and asks each secret scope once, and its Check is safe to
// call concurrently.
type Checker struct {
	files   *configfile.Cache
	stores  map[string]secrets.Store
	changed map[string]bool // nil: not a pull request
	redact  []string        // tokens that must never be printed
}

// New returns a Checker for one run.
func New(opts Options) *Checker {
	getenv := opts.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	files := &configfile.Cache{}
	meter := opts.Meter
	if meter == nil {
		meter = github.NewMeter(0)
	}
	cfg := secrets.Config{Getenv: getenv, GitHubToken: opts.GitHubToken, GitHubAPIURL: opts.GitHubAPIURL,
		GitHubRepository: opts.GitHubRepository, HTTPClient: opts.HTTPClient, Timeout: opts.Timeout, Meter: meter,
		Sleep: opts.Sleep, Now: opts.Now, Files: files}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	c := &Checker{files: files, stores: map[string]secrets.Store{}}
	for _, kind := range secrets.Kinds() {
		store, tokens := kind.New(cfg)
		c.stores[kind.Name] = store
		c.redact = append(c.redact, tokens...)
	}
	if opts.ChangedFiles != nil {
		c.changed = make(map[string]bool, len(opts.ChangedFiles))
		for _, f := range opts.ChangedFiles {
			if p, ok := normalize(f); ok {
				c.changed[p] = true
			}
		}
	}
	return c
}

// Check returns the findings about m's config keys, secrets and docs. File
// references are repository paths, relative to r's root.
func (c *Checker) Check(ctx context.Context, r *repo.Repo, m *manifest.Manifest) []finding.Finding {
	k := &run{c: c, r: r, m: m, broken: map[string]bool{}}
	k.config()
	k.secrets(ctx)
	k.docs()
	for i := range k.out {
		k.out[i].Message = secrets.Redact(k.out[i].Message, c.redact...)
		k.out[i].Hint = secrets.Redact(k.out[i].Hint, c.redact...)
	}
	return k.out
}

// run is one manifest's check.
type run struct {
	c      *Checker
	r      *repo.Repo
	m      *manifest.Manifest
	out    []finding.Finding
	broken map[string]bool // files already reported as unparseable (UG403)
}

// report adds a finding about the manifest node at path.
func (k *run) report(rule rules.ID, path, hint, format string, args ...any) {
	p := k.m.Loc.Locate(path)
	f := finding.New(rule, k.m.File, p.Line, p.Column, fmt.Sprintf(format, args...), hint)
	f.Node, f.Manifest = path, k.m.Name
	k.out = append(k.out, f)
}

// syntax reports a file that does not parse at its own position, once per
// manifest, naming the manifest entry that needs it.
func (k *run) syntax(se *configfile.SyntaxError, what, node string) {
	if k.broken[se.File] {
		return
	}
	k.broken[se.File] = true
	f := finding.New(rules.UG403, se.File, se.Line, se.Column,
		fmt.Sprintf("%s %q cannot be parsed as %s: %s (needed by %s of manifest %q in %q)",
			what, se.File, formatName(se.Format), se.Msg, node, k.m.Label(), k.m.File),
		"fix the syntax at the position given; the keys in this file are not checked until it parses")
	f.Node, f.Manifest = node, k.m.Name
	k.out = append(k.out, f)
}

func formatName(f configfile.Format) string {
	switch f {
	case configfile.YAML:
		return "YAML"
	case configfile.JSON:
		return "JSON"
	case configfile.TOML:
		return "TOML"
	case configfile.Dotenv:
		return ".env"
	}
	return string(f)
}

const pathHint = "config, docs and kubernetes secret files are repository paths, relative to the repository root: " +
	"no '..' above the root, no absolute path, no symlink out"

// resolve turns a file reference at node into a repository-relative path;
// UG006 (or UG004 for an unusable path) and false when it cannot be used.
func (k *run) resolve(ref, node, what string) (string, bool) {
	rel, err := k.r.Resolve("", ref)
	if err == nil {
		return rel, true
	}
	var out *repo.OutsideError
	if errors.As(err, &out) {
		k.report(rules.UG006, node, pathHint, "%s %q leaves the repository: %s", what, ref, out.Reason)
	} else {
		k.report(rules.UG004, node, pathHint, "%s %q is not a usable path: %v", what, ref, err)
	}
	return "", false
}

// cause drops the absolute path from file system errors.
func cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func ownerNote(owner string) string {
	if owner == "" {
		return ""
	}
	return " (owner " + owner + ")"
}

func (k *run) config() {
	for _, cfg := range k.m.Spec.Config {
		fileNode, keyNode := cfg.Path+".file", cfg.Path+".key"
		owner := ownerNote(k.m.OwnerOf(cfg.Owner))
		key, keyErr := configfile.ParseKeyPath(cfg.Key)
		if keyErr != nil {
			var kpe *configfile.KeyPathError
			reason := keyErr.Error()
			if errors.As(keyErr, &kpe) {
				reason = fmt.Sprintf("%s (at character %d)", kpe.Reason, kpe.Column)
			}
			k.report(rules.UG004, keyNode,
				`write a dotted path: global.psql.pool, servers[0].port, or global."app.kubernetes.io/name" for keys with dots`,
				"config key %q is not a valid key path: %s", cfg.Key, reason)
		}
		rel, ok := k.resolve(cfg.File, fileNode, "config file")
		if !ok {
			continue
		}
		f, ok := k.loadConfig(cfg, rel, owner)
		if !ok || keyErr != nil {
			continue
		}
		match := f.Lookup(key)
		switch {
		case cfg.Expect == "absent" && match.Found:
			at := ""
			if match.Line > 0 {
				at = fmt.Sprintf(" (line %d)", match.Line)
			}
			k.report(rules.UG402, keyNode, fmt.Sprintf("remove %s from %s: the new version no longer accepts it%s", cfg.Key, rel, owner),
				"config key %q is still set in %q%s, but it must be absent (expect: absent)", cfg.Key, cfg.File, at)
		case cfg.Expect == "absent" && match.IntoValue:
			// never a silent pass: the key could be set inside that value
			k.report(rules.UG402, keyNode, fmt.Sprintf("point the key at the mapping that holds the setting, or check %s by hand%s", rel, owner),
				"config key %q cannot be checked in %q: the path runs into a value that is neither a mapping nor name = value lines (%s), so the gate cannot tell that the key is absent (expect: absent)",
				cfg.Key, cfg.File, match.Reason)
		case cfg.Expect != "absent" && !match.Found:
			k.report(rules.UG402, keyNode, fmt.Sprintf("set %s in %s before the upgrade%s", cfg.Key, rel, owner),
				"config key %q is missing from %q: %s", cfg.Key, cfg.File, match.Reason)
		}
	}
}

// loadConfig parses a config file (once per run) and reports why it cannot
// be used: UG004, UG401, UG006 or UG403.
func (k *run) loadConfig(cfg manifest.Config, rel, owner string) (*configfile.File, bool) {
	fileNode := cfg.Path + ".file"
	f, err := k.c.files.Load(k.r, rel)
	var se *configfile.SyntaxError
	var out *repo.OutsideError
	switch {
	case err == nil:
		return f, true
	case errors.Is(err, configfile.ErrUnsupported):
		k.report(rules.UG004, fileNode, "name a file ending in "+configfile.Extensions,
			"config file %q has a type the gate cannot read: expected %s", cfg.File, configfile.Extensions)
	case errors.Is(err, fs.ErrNotExist):
		k.report(rules.UG401, fileNode, "create the file, or correct the path (relative to the repository root)"+owner,
			"config file %q does not exist", cfg.File)
	case errors.As(err, &out):
		k.report(rules.UG006, fileNode, pathHint, "config file %q leaves the repository: %s", cfg.File, out.Reason)
	case errors.As(err, &se):
		k.syntax(se, "config file", cfg.Path)
	default:
		k.report(rules.UG401, fileNode, "make the file readable, or correct the path"+owner,
			"config file %q cannot be read: %v", cfg.File, cause(err))
	}
	return nil, false
}

func (k *run) secrets(ctx context.Context) {
	for _, s := range k.m.Spec.Secrets {
		store, ok := k.c.stores[s.Store]
		kind, _ := secrets.Lookup(s.Store)
		if !ok {
			continue // the manifest's decoder reported the unknown store (UG004)
		}
		nameNode, storeNode := s.Path+".name", s.Path+".store"
		if kind.Refuse != nil {
			if p := kind.Refuse(s.Entry); p != nil {
				k.report(rules.UG004, s.Path+"."+p.Field, p.Hint, "%s", p.Message)
				continue
			}
		}
		ref := s.Ref()
		ref.Repo = k.r
		// the store's repository file, resolved inside the repository
		var fileField, fileWhat string
		for _, f := range kind.Fields {
			if f.RepoFile {
				fileField, fileWhat = f.Name, s.Store+" secret "+f.Name
			}
		}
		if fileField != "" {
			rel, ok := k.resolve(s.Field(fileField), s.Path+"."+fileField, fileWhat)
			if !ok {
				continue
			}
			ref.File = rel
		}
		res, err := store.Check(ctx, ref)
		var un *secrets.UnavailableError
		var se *configfile.SyntaxError
		var out *repo.OutsideError
		switch {
		case errors.As(err, &un):
			k.report(rules.UG412, storeNode, un.Hint, "cannot check secret %q in the %s store: %s", s.Name, s.Store, un.Reason)
		case errors.As(err, &se) && fileField != "":
			k.syntax(se, fileWhat, s.Path)
		case errors.As(err, &out) && fileField != "":
			k.report(rules.UG006, s.Path+"."+fileField, pathHint, "%s %q leaves the repository: %s", fileWhat, s.Field(fileField), out.Reason)
		case err != nil:
			k.report(rules.UG412, storeNode, "", "cannot check secret %q in the %s store: %v", s.Name, s.Store, cause(err))
		case !res.Exists:
			k.report(rules.UG411, nameNode, missingHint(kind, s.Entry), "secret %q is missing: %s", s.Name, res.Detail)
		}
	}
}

// missingHint says how to create a missing secret in its store.
func missingHint(kind secrets.Kind, e secrets.Entry) string {
	if kind.MissingHint != nil {
		return kind.MissingHint(e)
	}
	return rules.UG411.Rule().Hint()
}

func (k *run) docs() {
	for _, d := range k.m.Spec.Docs {
		rel, ok := k.resolve(d.File, d.Path, "documentation file")
		if !ok {
			continue
		}
		if !k.r.Exists(rel) {
			msg := fmt.Sprintf("documentation file %q does not exist", d.File)
			// a symlink loop or a permission problem is not a missing file
			if _, err := os.Stat(k.r.Abs(rel)); err != nil && !errors.Is(err, fs.ErrNotExist) {
				msg = fmt.Sprintf("documentation file %q cannot be read: %v", d.File, cause(err))
			}
			k.report(rules.UG421, d.Path, "write the runbook, or correct spec.docs (paths relative to the repository root)", "%s", msg)
			continue
		}
		if k.c.changed != nil && !k.c.changedAt(rel) {
			to := ""
			if k.m.Spec.To.Raw != "" {
				to = " " + k.m.Spec.To.Raw
			}
			k.report(rules.UG422, d.Path, fmt.Sprintf("update %s in this pull request for the upgrade to%s", rel, to),
				"documentation %q was not changed in this pull request", d.File)
		}
	}
}

// changedAt reports whether rel, or a file under it when it is a directory,
// is among the changed files.
func (c *Checker) changedAt(rel string) bool {
	if c.changed[rel] {
		return true
	}
	prefix := strings.TrimSuffix(rel, "/") + "/"
	if rel == "." {
		return len(c.changed) > 0
	}
	for f := range c.changed {
		if strings.HasPrefix(f, prefix) {
			return true
		}
	}
	return false
}
