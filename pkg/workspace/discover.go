package workspace

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// Candidate is a file that may hold manifests.
type Candidate struct {
	Rel      string // repository-relative
	Explicit bool   // named on the command line
	WalkErr  error  // the search could not read this directory
}

// skipDirs are never searched: version control and dependency trees.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".terraform": true}

// Discover lists the YAML files under the given paths, in order, without
// duplicates; no paths means the root. The list is the workspace's: read
// it, do not change its elements. A path outside the repository or one
// that does not exist is an error (bad usage).
func (w *Workspace) Discover(paths []string) ([]Candidate, error) {
	r := w.repo
	if len(paths) == 0 {
		paths = []string{r.Root()}
	}
	seen := map[string]bool{}
	var out []Candidate
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", p, err)
		}
		rel, err := r.Rel(p)
		if err != nil {
			return nil, fmt.Errorf("path %q is outside the repository root %q (set --root)", p, r.Root())
		}
		if !st.IsDir() {
			if !seen[rel] {
				seen[rel] = true
				out = append(out, Candidate{Rel: rel, Explicit: true})
			}
			continue
		}
		found, _, err := w.walk(rel, nil)
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", p, err)
		}
		if len(paths) == 1 {
			// one walk lists each file once: nothing to drop, and the
			// walk's own answer, without room to append in place (callers
			// read it)
			return found[:len(found):len(found)], nil
		}
		for _, c := range found {
			if !seen[c.Rel] {
				seen[c.Rel] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// walk lists the YAML files under the repository directory rel, sorted,
// once per workspace: a run indexes the root's policies (Index) and then
// discovers its paths, and when its path is the root the second walk is
// the first one's answer. The walk that lists the directory hands each
// file to visit (when not nil) as it finds it, in the walk's order, so that
// reading can start before the walk ends; walked is false when the answer
// was the earlier walk's, and then visit is not called.
func (w *Workspace) walk(rel string, visit func(Candidate)) (found []Candidate, walked bool, err error) {
	w.walks.mu.Lock()
	found, ok := w.walks.done[rel]
	w.walks.mu.Unlock()
	if ok {
		return found, false, nil
	}
	r := w.repo
	emit := func(c Candidate) {
		found = append(found, c)
		if visit != nil {
			visit(c)
		}
	}
	err = filepath.WalkDir(r.Abs(rel), func(fp string, de fs.DirEntry, err error) error {
		if err != nil {
			if de != nil && de.IsDir() && fp != r.Abs(rel) {
				// an unreadable directory may hold manifests: report it
				if fr, rerr := filepath.Rel(r.Root(), fp); rerr == nil {
					emit(Candidate{Rel: filepath.ToSlash(fr), WalkErr: err})
				}
				return fs.SkipDir
			}
			return err
		}
		if de.IsDir() {
			if skipDirs[de.Name()] && fp != r.Abs(rel) {
				return fs.SkipDir
			}
			return nil
		}
		if !de.Type().IsRegular() {
			return nil // symlinks are not followed by discovery
		}
		name := de.Name()
		if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
			fr, err := filepath.Rel(r.Root(), fp)
			if err == nil {
				emit(Candidate{Rel: filepath.ToSlash(fr)})
			}
		}
		return nil
	})
	if err != nil {
		return nil, true, err
	}
	sort.Slice(found, func(i, j int) bool { return found[i].Rel < found[j].Rel })
	w.walks.mu.Lock()
	if w.walks.done == nil {
		w.walks.done = map[string][]Candidate{}
	}
	w.walks.done[rel] = found
	w.walks.mu.Unlock()
	return found, true, nil
}

var kindUpgradeLine = regexp.MustCompile(`(?m)^\s*kind\s*:\s*["']?Upgrade["']?\s*(#.*)?$`)

// mayHoldManifest is the cheap test that lets discovery skip the YAML of
// other tools without parsing it: a file that Read would find something in
// names Upgrade or upgradegate/, and has a key kind (a manifest, policy or
// Settings document, a misspelt kind, a broken file with a line kind:
// Upgrade) or apiVersion (a document of this gate's apiVersion without a
// kind). A workflow that runs the gate (uses: upgradegate/...) has neither
// key and is not parsed.
func mayHoldManifest(data []byte) bool {
	return (bytes.Contains(data, []byte("Upgrade")) || bytes.Contains(data, []byte("upgradegate/"))) &&
		(bytes.Contains(data, []byte("kind")) || bytes.Contains(data, []byte("apiVersion")))
}

// looksLikeManifest reports whether a file that does not parse should be
// reported: it has a line kind: Upgrade.
func looksLikeManifest(data []byte) bool {
	return kindUpgradeLine.Match(data)
}
