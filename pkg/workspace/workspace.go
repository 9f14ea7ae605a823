// Package workspace is what a run loads before any rule is evaluated: the
// YAML files found under the paths (Discover), their documents sorted into
// manifests and policies (Read), and each policy read, decoded, given the
// rules of its imports and built into its path engine once (Policy). Every
// file goes through one size limit. `check`, `path` and the commands that
// follow (plan, audit, vendor pull) load through it; the rules then
// evaluate what it holds.
package workspace

import (
	"errors"
	"fmt"
	"io/fs"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/settings"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// MaxFileSize is the largest manifest or policy file the gate reads; past
// it the file is a UG004 finding.
const MaxFileSize = 1 << 20

// Workspace loads the files of one repository for one run. It is safe for
// concurrent use.
type Workspace struct {
	repo *repo.Repo

	mu       sync.Mutex
	policies map[string]*Policy

	comps components
	held  held
	// walks holds what Discover found under each directory it walked
	walks struct {
		mu   sync.Mutex
		done map[string][]Candidate
	}

	settingsOnce sync.Once
	settings     *Settings
}

// New returns the workspace of a repository.
func New(r *repo.Repo) *Workspace {
	return &Workspace{repo: r, policies: map[string]*Policy{}}
}

// Repo returns the repository the workspace reads.
func (w *Workspace) Repo() *repo.Repo { return w.repo }

// Policy is one policy file as loaded: the policy and its own findings, or
// why it could not be read.
type Policy struct {
	// Rel is the file, repository-relative (or as named on the command line).
	Rel string
	// Policy is nil when the file could not be read, is too large or does
	// not parse; it is Broken when it has structural findings.
	Policy   *policy.Policy
	Findings []finding.Finding
	// Err says why the file could not be read, or is a
	// *policy.NotPolicyError when it holds no policy.
	Err error

	once sync.Once
}

// Policy loads a repository-relative policy file once per workspace: every
// manifest naming it shares the result.
func (w *Workspace) Policy(rel string) *Policy {
	w.mu.Lock()
	p, ok := w.policies[rel]
	if !ok {
		p = &Policy{Rel: rel}
		w.policies[rel] = p
	}
	w.mu.Unlock()
	p.once.Do(func() {
		data, size, err := w.repo.ReadPrefix(rel, MaxFileSize+1)
		p.load(w.repo, data, size, err)
	})
	return p
}

// policyParsed is Policy for a file (within MaxFileSize) that the caller
// has read and parsed already.
func (w *Workspace) policyParsed(rel string, pre *parsed) *Policy {
	w.mu.Lock()
	p, ok := w.policies[rel]
	if !ok {
		p = &Policy{Rel: rel}
		w.policies[rel] = p
	}
	w.mu.Unlock()
	p.once.Do(func() { p.decode(w.repo, pre) })
	return p
}

// Policies returns how many policy files the workspace has loaded.
func (w *Workspace) Policies() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.policies)
}

// ReadPolicyFile loads a policy file outside any repository (`upgradegate
// path --policy FILE`) with the same limit and steps as Workspace.Policy;
// findings name the file name. Only a regular file is opened
// (repo.ReadRegular): a FIFO or a device cannot block the run. Its imports
// cannot be read (UG706): they are repository paths; Workspace.Policy reads
// a policy inside a repository with them.
func ReadPolicyFile(path, name string) *Policy {
	p := &Policy{Rel: name}
	data, size, err := repo.ReadRegular(path, MaxFileSize+1)
	p.load(nil, data, size, err)
	return p
}

// load applies the size limit, decodes the policy and builds its engine.
// The rules of spec.import (manifest v1 section 7) join between the two:
// each import's file read through the workspace, its format's
// policy.Source, and Rules.Add, before Build.
func (p *Policy) load(r *repo.Repo, data []byte, size int64, err error) {
	if err != nil {
		p.Err = cleanErr(err)
		return
	}
	if size > MaxFileSize {
		p.Findings = []finding.Finding{policy.TooLarge(p.Rel, size)}
		return
	}
	docs, syntax := yamldoc.Parse(p.Rel, data)
	p.decode(r, &parsed{docs: docs, syntax: syntax})
}

// decode is load's second half, on the file's parsed documents: the
// policy, the rules of its imports, its engine.
func (p *Policy) decode(r *repo.Repo, pre *parsed) {
	if pre.syntax != nil {
		p.Findings = []finding.Finding{*pre.syntax}
		return
	}
	p.Policy, p.Findings, p.Err = policy.ReadDocs(p.Rel, pre.docs)
	if p.Policy != nil {
		if !p.Policy.Broken {
			p.Findings = append(p.Findings, loadImports(r, p.Policy)...)
		}
		p.Findings = append(p.Findings, p.Policy.Build()...)
	}
}

// cleanErr strips the absolute path from file errors: findings name
// repository-relative files.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Settings is the root's Settings document as loaded (manifest v1 section
// 9): nil Settings when the file is missing or holds none.
type Settings struct {
	Settings *settings.Settings
	// Findings are the document's own (and a file that cannot be read or
	// is too large); they are reported once per run.
	Findings []finding.Finding
}

// Settings reads the root's .upgradegate.yaml once per workspace. Only the
// root's is read; an empty file (the root marker) holds no settings.
func (w *Workspace) Settings() *Settings {
	w.settingsOnce.Do(func() {
		w.settings = &Settings{}
		data, size, err := w.repo.ReadPrefix(settings.File, MaxFileSize+1)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			w.settings.Findings = []finding.Finding{finding.New(rules.UG004, settings.File, 1, 1,
				fmt.Sprintf("cannot read %q: %v", settings.File, cleanErr(err)), "make it readable by the gate, or remove it")}
		case size > MaxFileSize:
			w.settings.Findings = []finding.Finding{finding.New(rules.UG004, settings.File, 1, 1,
				fmt.Sprintf("%s is %d bytes, over the 1 MiB limit", settings.File, size), "keep one kind: Settings document in it")}
		default:
			w.settings.Settings, w.settings.Findings = settings.Read(settings.File, data)
		}
	})
	return w.settings
}
