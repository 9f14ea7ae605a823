package workspace

import (
	"regexp"
	"sync"
)

// kindPolicyLine finds the files worth decoding as policies.
var kindPolicyLine = regexp.MustCompile(`(?m)^kind:\s*["']?Policy["']?\s*(#.*)?$`)

// components is the index of the repository's policies by component,
// built once, on first use.
type components struct {
	once  sync.Once
	byKey map[string]*Policy
}

// ComponentPolicy returns the policy of a component found anywhere under
// the root (the first one in path order), loaded as Policy loads it, or nil
// when the repository has none. The index is built on first use: one walk
// of the root, and only files with a line `kind: Policy` are decoded.
func (w *Workspace) ComponentPolicy(component string) *Policy {
	w.comps.once.Do(func() {
		w.comps.byKey = map[string]*Policy{}
		cands, err := w.Discover(nil)
		if err != nil {
			return
		}
		for _, c := range cands {
			if c.WalkErr != nil {
				continue
			}
			data, size, err := w.repo.ReadPrefix(c.Rel, MaxFileSize+1)
			if err != nil || size > MaxFileSize || !kindPolicyLine.Match(data) {
				continue
			}
			p := w.Policy(c.Rel)
			if p.Policy == nil || p.Policy.Broken || p.Policy.Component == "" {
				continue
			}
			if _, dup := w.comps.byKey[p.Policy.Component]; !dup {
				w.comps.byKey[p.Policy.Component] = p
			}
		}
	})
	return w.comps.byKey[component]
}
