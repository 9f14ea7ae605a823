package workspace

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// kindPolicyLine finds the files worth decoding as policies.
var kindPolicyLine = regexp.MustCompile(`(?m)^kind:\s*["']?Policy["']?\s*(#.*)?$`)

// components is the index of the repository's policies by component,
// built once, on first use.
type components struct {
	once  sync.Once
	byKey map[string]*Policy // the first policy of each component, in path order
	all   []*Policy          // every policy with a component, in path order
}

// indexPolicies walks the root once and decodes the files with a line
// `kind: Policy` (manifest v1, Additions: policies are found in the whole
// repository, whatever paths a run checks). One policy per component: the
// second and later ones, in path order, are broken with a UG004 finding at
// their spec.component that names the first.
func (w *Workspace) indexPolicies() {
	w.comps.once.Do(func() {
		w.comps.byKey = map[string]*Policy{}
		cands, err := w.Discover(nil)
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.WalkErr != nil || inTestdata(c.Rel) {
				continue
			}
			data, size, err := w.repo.ReadPrefix(c.Rel, MaxFileSize+1)
			if err != nil || size > MaxFileSize || !kindPolicyLine.Match(data) {
				continue
			}
			p := w.Policy(c.Rel)
			if p.Policy == nil || p.Policy.Component == "" {
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
// policies it loads (duplicates).
func (w *Workspace) Index() { w.indexPolicies() }

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
