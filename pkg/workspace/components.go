package workspace

import (
	"bytes"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// hasKindPolicyLine finds the files worth decoding as policies: a line
// that starts `kind:`, then white space (line breaks too), the word Policy
// with or without a quote on either side, and nothing but white space or a
// comment to the end of its line. It is the regular expression
// (?m)^kind:\s*["']?Policy["']?\s*(#.*)?$ (the test holds it to it) at the
// speed of a byte search: the index looks at every file of the repository.
func hasKindPolicyLine(data []byte) bool {
	const key, word = "kind:", "Policy"
	for i := 0; ; {
		k := bytes.Index(data[i:], []byte(key))
		if k < 0 {
			return false
		}
		at := i + k
		i = at + len(key)
		if at > 0 && data[at-1] != '\n' {
			continue
		}
		j := i
		for j < len(data) && isSpace(data[j]) {
			j++
		}
		if j < len(data) && (data[j] == '"' || data[j] == '\'') {
			j++
		}
		if !bytes.HasPrefix(data[j:], []byte(word)) {
			continue
		}
		j += len(word)
		if j < len(data) && (data[j] == '"' || data[j] == '\'') {
			j++
		}
		for j < len(data) && isSpace(data[j]) && data[j] != '\n' {
			j++
		}
		if j == len(data) || data[j] == '\n' || data[j] == '#' {
			return true
		}
	}
}

// isSpace is RE2's \s: tab, line feed, form feed, carriage return, space.
func isSpace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

// components is the index of the repository's policies by component,
// built once, on first use.
type components struct {
	once  sync.Once
	hold  bool               // keep what the walk read for Read (Index)
	byKey map[string]*Policy // the first policy of each component, in path order
	all   []*Policy          // every policy with a component, in path order
}

// indexPolicies walks the root once and decodes the files with a line
// `kind: Policy` (manifest v1, Additions: policies are found in the whole
// repository, whatever paths a run checks). One policy per component: the
// second and later ones, in path order, are broken with a UG004 finding at
// their spec.component that names the first. The files are read on every
// CPU as the walk finds them; after Index, what Read needs of each file is
// held (held.go), so that a run reads every file once.
func (w *Workspace) indexPolicies() {
	w.comps.once.Do(func() {
		w.comps.byKey = map[string]*Policy{}
		var mu sync.Mutex
		found := map[string]*Policy{}
		cands, err := w.feedRoot(func(c Candidate) {
			if c.WalkErr != nil || inTestdata(c.Rel) {
				return
			}
			data, size, err := w.repo.ReadPrefix(c.Rel, MaxFileSize+1)
			if err != nil {
				return // Read reports it
			}
			var pre *parsed
			if size <= MaxFileSize && hasKindPolicyLine(data) {
				// parsed once: the policy is decoded from the documents
				// Read then sorts
				docs, syntax := yamldoc.Parse(c.Rel, data)
				pre = &parsed{docs: docs, syntax: syntax}
				p := w.policyParsed(c.Rel, pre)
				mu.Lock()
				found[c.Rel] = p
				mu.Unlock()
			}
			if w.comps.hold {
				w.held.put(c.Rel, data, size, pre)
			}
		})
		if err != nil {
			return
		}
		for _, c := range cands {
			p := found[c.Rel]
			if p == nil || p.Policy == nil || p.Policy.Component == "" {
				continue
			}
			w.comps.all = append(w.comps.all, p)
			first, dup := w.comps.byKey[p.Policy.Component]
			if !dup {
				w.comps.byKey[p.Policy.Component] = p
				continue
			}
			pos := p.Policy.Loc.Locate("spec.component")
			fp := first.Policy.Loc.Locate("spec.component")
			f := finding.New(rules.UG004, p.Rel, pos.Line, pos.Column,
				fmt.Sprintf("component %q already has a policy: %s:%d:%d; a component has one policy in the repository", p.Policy.Component, first.Rel, fp.Line, fp.Column),
				"merge the two policies into one, or name another component")
			f.Node = "spec.component"
			p.Findings = append(p.Findings, f)
			p.Policy.Broken = true
		}
	})
}

// feedBatch is how many files the walk hands the readers at once: one
// channel handoff per batch, not per file.
const feedBatch = 16

// feedRoot lists the YAML files of the root as Discover(nil) does and runs
// fn on every one of them on every CPU, each file as soon as the walk has
// found it (the walk's own goroutine shares the CPUs with the readers), or
// over the earlier walk's list when the root was walked before. It returns
// once fn has returned for every file.
func (w *Workspace) feedRoot(fn func(Candidate)) ([]Candidate, error) {
	rel, err := w.repo.Rel(w.repo.Root())
	if err != nil {
		return nil, err
	}
	batches := make(chan []Candidate, 2*runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range batches {
				for _, c := range b {
					fn(c)
				}
			}
		}()
	}
	var batch []Candidate
	send := func(c Candidate) {
		batch = append(batch, c)
		if len(batch) == feedBatch {
			batches <- batch
			batch = nil
		}
	}
	cands, walked, err := w.walk(rel, send)
	if err == nil && !walked {
		for _, c := range cands {
			send(c)
		}
	}
	if len(batch) > 0 {
		batches <- batch
	}
	close(batches)
	wg.Wait()
	return cands, err
}

// inTestdata reports whether a file is under a directory named testdata:
// test fixtures (Go's convention), not policies of the repository. A
// manifest there still names its policy with spec.policy.
func inTestdata(rel string) bool {
	return strings.HasPrefix(rel, "testdata/") || strings.Contains(rel, "/testdata/")
}

// ComponentPolicy returns the policy of a component found anywhere under
// the root (the first one in path order), loaded as Policy loads it, or nil
// when the repository has none or it is broken. The index is built on first
// use (Index builds it at once): one walk of the root, and only files with
// a line `kind: Policy` are decoded.
func (w *Workspace) ComponentPolicy(component string) *Policy {
	w.indexPolicies()
	p := w.comps.byKey[component]
	if p == nil || p.Policy.Broken {
		return nil
	}
	return p
}

// ComponentPolicyFile returns the file of the component's policy found in
// the repository, broken or not, "" when there is none.
func (w *Workspace) ComponentPolicyFile(component string) string {
	w.indexPolicies()
	if p := w.comps.byKey[component]; p != nil {
		return p.Rel
	}
	return ""
}

// Index builds the index of the repository's policies now: a run calls it
// before checking manifests concurrently, since it may add findings to the
// policies it loads (duplicates). The walk reads every file of the root,
// and Index keeps what Read needs of each (the bytes of a file that may
// hold a manifest, within a budget; that another holds none) until Release:
// a run reads every file once.
func (w *Workspace) Index() {
	w.comps.hold = true
	w.indexPolicies()
}

// DuplicatePolicies returns the repository's second and later policies of
// a component, in path order, each broken by its UG004.
func (w *Workspace) DuplicatePolicies() []*Policy {
	w.indexPolicies()
	var out []*Policy
	for _, p := range w.comps.all {
		if w.comps.byKey[p.Policy.Component] != p {
			out = append(out, p)
		}
	}
	return out
}

// Components lists the components that have a usable policy, sorted.
func (w *Workspace) Components() []string {
	w.indexPolicies()
	var out []string
	for c, p := range w.comps.byKey {
		if !p.Policy.Broken {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
