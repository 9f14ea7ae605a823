package check

import (
	"path"
	"strings"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

// selection chooses the manifests a set of changed files concerns (the
// changed-only mode of check and the Action): those whose own file, policy,
// config files, Kubernetes secret files or documentation changed. A file
// is compared with every file on its way (repo.Trail): a manifest naming
// conf/values.yaml, where conf links to deploy, is concerned by a change to
// deploy/values.yaml and by a change to the link conf itself. When a way
// cannot be followed (a symlink out of the repository, a loop), the manifest
// is checked.
type selection struct {
	repo    *repo.Repo
	changed map[string]bool

	mu   sync.Mutex
	deps map[string]bool // the files the chosen manifests depend on
}

func newSelection(r *repo.Repo, changed []string) *selection {
	s := &selection{repo: r, changed: make(map[string]bool, len(changed)), deps: map[string]bool{}}
	for _, f := range changed {
		s.changed[path.Clean(strings.ReplaceAll(f, `\`, "/"))] = true
	}
	return s
}

// choose reports whether m is concerned, and then remembers the files it
// depends on for keep. deps are more repository files m depends on (the
// policy the gate read for it). check calls it concurrently.
func (s *selection) choose(m *manifest.Manifest, deps ...string) bool {
	var names []string
	sure := true
	add := func(base, ref string) {
		ref = strings.ReplaceAll(ref, `\`, "/")
		if ref == "" || path.IsAbs(ref) {
			return // it names no repository file, whatever changed
		}
		lexical := path.Join(base, ref)
		if lexical == ".." || strings.HasPrefix(lexical, "../") {
			return // it leaves the repository, whatever changed
		}
		trail, ok := s.repo.Trail(lexical)
		names = append(names, trail...)
		sure = sure && ok
	}
	add("", m.File)
	if m.Spec.Policy != "" {
		add(dir(m.File), m.Spec.Policy)
	}
	for _, ref := range append(m.FileRefs(), deps...) {
		add("", ref)
	}
	chosen := !sure
	for _, n := range names {
		if chosen = chosen || s.touched(n); chosen {
			break
		}
	}
	if chosen {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, n := range names {
			s.deps[n] = true
		}
	}
	return chosen
}

// touched reports whether name or a directory above it changed (a changed
// entry above a file is a symlink or a file that became a directory).
func (s *selection) touched(name string) bool {
	for p := name; ; {
		if s.changed[p] {
			return true
		}
		i := strings.LastIndexByte(p, '/')
		if i < 0 {
			return false
		}
		p = p[:i]
	}
}

// keep drops the findings about files that neither changed nor are depended
// on by a chosen manifest: a broken YAML file elsewhere in the repository is
// not this change's business.
func (s *selection) keep(fs []finding.Finding) []finding.Finding {
	kept := make([]finding.Finding, 0, len(fs))
	for _, f := range fs {
		if s.concerns(f.File) {
			kept = append(kept, f)
		}
	}
	return kept
}

// concerns reports whether keep keeps the findings about file.
func (s *selection) concerns(file string) bool { return s.changed[file] || s.deps[file] }

// touchesDeployed reports whether a changed file is one a deployed location
// reads (its file, or one its glob matches: an added or deleted file too).
func (s *selection) touchesDeployed(locs []deployed.Location) bool {
	for f := range s.changed {
		for i := range locs {
			if locs[i].Covers(f) {
				return true
			}
		}
	}
	return false
}

// touchedAny reports whether any of the repository files changed, directly
// or along a symlink on its way.
func (s *selection) touchedAny(files []string) bool {
	for _, f := range files {
		trail, ok := s.repo.Trail(f)
		if !ok {
			return true
		}
		for _, n := range trail {
			if s.touched(n) {
				return true
			}
		}
	}
	return false
}

// remember adds files a chosen manifest or component depends on, for keep;
// it returns true, for use in a condition.
func (s *selection) remember(files []string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range files {
		s.deps[f] = true
	}
	return true
}
