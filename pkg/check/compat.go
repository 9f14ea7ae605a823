package check

import (
	"fmt"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// compatChecks applies the compatibility rules UG301–UG303 of a policy with
// compatibility rows, at every stop (declared, else suggested) and at to.
func compatChecks(e *emitter, s *subject) {
	if !s.ordered || s.pol == nil || len(s.pol.Compatibility) == 0 {
		return
	}
	sp := &s.m.Spec
	var targets []compatTarget
	switch {
	case s.m.Loc.Has("spec.path"):
		for _, st := range sp.Path {
			if st.V != nil {
				targets = append(targets, compatTarget{st.V, fmt.Sprintf("%q", st.Raw), st.Path})
			}
		}
	case s.suggestErr == nil:
		for _, v := range s.suggested {
			targets = append(targets, compatTarget{v, fmt.Sprintf("%q (a suggested stop)", v.Original()), "spec.to"})
		}
	}
	targets = append(targets, compatTarget{sp.To.V, fmt.Sprintf("%q", sp.To.Raw), "spec.to"})
	compatibilityRules(e, sp, s.pol, targets)
}

// compatTarget is a version the environment must support: a stop or to.
type compatTarget struct {
	v    *version.Version
	raw  string // quoted, for messages
	node string
}

// compatibilityRules applies UG301–UG303 at every target.
func compatibilityRules(e *emitter, s *manifest.Spec, pol *policy.Policy, targets []compatTarget) {
	env := map[string]manifest.Env{}
	for _, en := range s.Environment {
		env[en.Name] = en
	}
	missing := map[string]bool{}
	type violation struct {
		row *policy.Row
		req policy.Requirement
		env manifest.Env
		at  []string
	}
	var incompatible []*violation
	byKey := map[string]*violation{}
	uncovered := map[string][]string{} // node -> versions no row covers
	var nodes []string
	for _, t := range targets {
		covered := false
		for ri := range pol.Compatibility {
			row := &pol.Compatibility[ri]
			if !row.Versions.Check(t.v) {
				continue
			}
			covered = true
			for _, req := range row.Requires {
				en, ok := env[req.Component]
				if !ok {
					if !missing[req.Component] {
						missing[req.Component] = true
						hint := fmt.Sprintf("add %s's production version to spec.environment", req.Component)
						for name := range env {
							if strings.EqualFold(name, req.Component) {
								hint = fmt.Sprintf("spec.environment lists %q: names are case-sensitive, write %q", name, req.Component)
							}
						}
						e.add(rules.UG302, "spec.environment", hint,
							"compatibility row %d of policy %q requires %s %q, but spec.environment does not list %q",
							row.Index, pol.File, req.Component, req.Raw, req.Component)
					}
					continue
				}
				if en.Version.V == nil || req.Constraint.Check(en.Version.V) {
					continue
				}
				k := fmt.Sprintf("%d/%s", row.Index, req.Component)
				if byKey[k] == nil {
					byKey[k] = &violation{row: row, req: req, env: en}
					incompatible = append(incompatible, byKey[k])
				}
				byKey[k].at = append(byKey[k].at, t.raw)
			}
		}
		if !covered {
			if uncovered[t.node] == nil {
				nodes = append(nodes, t.node)
			}
			uncovered[t.node] = append(uncovered[t.node], t.raw)
		}
	}
	// one UG303 per node: the suggested stops all stand at spec.to
	for _, node := range nodes {
		hint := "add a compatibility row for the version to the policy"
		if len(pol.InvalidRows) > 0 {
			hint = fmt.Sprintf("fix the constraints of compatibility row %s of the policy first (UG105): an invalid row covers nothing", andList(intStrings(pol.InvalidRows)))
		}
		e.add(rules.UG303, node, hint,
			"no compatibility row of policy %q covers %s %s", pol.File, s.Component, andList(uncovered[node]))
	}
	for _, v := range incompatible {
		hint := fmt.Sprintf("upgrade %s first, or choose %s versions that row %d allows", v.req.Component, s.Component, v.row.Index)
		if tooNew(v.req.Constraint, v.env.Version.V) {
			hint = fmt.Sprintf("%s %q is newer than row %d allows: choose %s versions whose row accepts it (an older %s would be a downgrade)",
				v.req.Component, v.env.Version.Raw, v.row.Index, s.Component, v.req.Component)
		}
		e.add(rules.UG301, v.env.Version.Path, hint,
			"%s %q does not satisfy %q, which compatibility row %d (versions %q) of policy %q requires at %s %s",
			v.req.Component, v.env.Version.Raw, v.req.Raw, v.row.Index, v.row.VersionsRaw, pol.File, s.Component, andList(v.at))
	}
}

// tooNew reports whether v fails c only through upper bounds (< or <=): the
// environment is newer than the row allows, not older.
func tooNew(c version.Constraints, v *version.Version) bool {
	upper := false
	for _, one := range c {
		if one.Check(v) {
			continue
		}
		op := strings.TrimSpace(one.String())
		if !strings.HasPrefix(op, "<") {
			return false
		}
		upper = true
	}
	return upper
}

func intStrings(ns []int) []string {
	out := make([]string, len(ns))
	for i, n := range ns {
		out[i] = fmt.Sprint(n)
	}
	return out
}

func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
