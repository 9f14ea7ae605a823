package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

// The rules that compare the change with its base (manifest v1 section 6,
// "The base"): UG607, a policy relaxed by the pull request, and UG608, a
// base that cannot be read although the run needs one. Without a base (and
// without a reason it is missing) neither applies.

// baseFindings are the base's findings about one policy the run loaded.
func (g *gate) baseFindings(e *workspace.Policy) []finding.Finding {
	if e.Policy == nil || e.Policy.Broken {
		return nil // its own findings say why; nothing to compare
	}
	switch {
	case g.opts.Base != nil:
		return g.relaxed(e)
	case g.opts.NoBase != nil:
		node := "spec"
		pos := e.Policy.Loc.Locate(node)
		f := finding.New(rules.UG608, e.Rel, pos.Line, pos.Column,
			fmt.Sprintf("the base cannot be read (%s): what this pull request changes in policy %q (UG607) and in the versions "+
				"it deploys (UG602, UG603, UG606) is not checked", g.opts.NoBase.Reason, e.Rel), g.opts.NoBase.Fix)
		f.Node = node
		return []finding.Finding{f}
	}
	return nil
}

// relaxed is UG607 for one policy: what the head relaxes compared with the
// same policy at the base (the same file, or the file it was renamed from).
func (g *gate) relaxed(e *workspace.Policy) []finding.Finding {
	bp, from := g.basePolicy(e)
	if bp == nil {
		return nil // a new policy relaxes nothing
	}
	rs := policy.Relaxations(bp, e.Policy)
	if len(rs) == 0 {
		return nil
	}
	whats := make([]string, len(rs))
	for i, r := range rs {
		whats[i] = r.What
	}
	was := fmt.Sprintf("at the base %.7s", g.opts.Base.Commit)
	if from != e.Rel {
		was = fmt.Sprintf("as %s at the base %.7s", from, g.opts.Base.Commit)
	}
	f := finding.New(rules.UG607, e.Rel, rs[0].Pos.Line, rs[0].Pos.Column,
		fmt.Sprintf("this pull request relaxes policy %q, which it is checked against, compared with the policy %s: %s",
			e.Rel, was, strings.Join(whats, "; ")),
		"restore what the pull request removed or widened, or have the policy's owners review and land the relaxation on its own")
	f.Node = rs[0].Node
	return []finding.Finding{f}
}

// basePolicy reads the policy of e at the base: the same file, else a
// policy file of the same component the change removed (a rename).
func (g *gate) basePolicy(e *workspace.Policy) (*policy.Policy, string) {
	files := g.opts.Base.Files
	read := func(rel string) *policy.Policy {
		data, err := files.ReadFile(rel)
		if err != nil || len(data) > workspace.MaxFileSize {
			return nil
		}
		p, _, err := policy.Read(rel, data)
		if err != nil || p == nil || p.Broken || p.Component != e.Policy.Component {
			return nil
		}
		return p
	}
	if p := read(e.Rel); p != nil {
		return p, e.Rel
	}
	if _, err := files.ReadFile(e.Rel); !errors.Is(err, fs.ErrNotExist) {
		return nil, "" // there, but not a policy of this component
	}
	changed := g.opts.Base.Changed
	if changed == nil {
		changed = g.opts.ChangedFiles
	}
	for _, rel := range changed {
		if rel == e.Rel || !(strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml")) {
			continue
		}
		if c := path.Clean(rel); c == ".." || strings.HasPrefix(c, "../") || path.IsAbs(c) {
			continue
		}
		if _, err := os.Lstat(g.repo.Abs(path.Clean(rel))); !errors.Is(err, fs.ErrNotExist) {
			continue // still in the working tree: not where this policy came from
		}
		if p := read(rel); p != nil {
			return p, rel
		}
	}
	return nil, ""
}

// skipDeleted are the directories whose policy files are not the
// repository's (policy discovery skips them too).
var skipDeleted = []string{".git", "node_modules", "vendor", ".terraform", "testdata"}

// deletedPolicies is UG607 for each policy file of the base that the pull
// request deletes while no policy of its component is left in the
// repository: its stops, rules and deployed locations then apply to
// nothing, a relaxation as large as there is. A policy renamed (its
// component's policy still found) is compared as the policy it became
// (relaxed). The finding is at the deleted file's spec.component, at the
// base.
func (g *gate) deletedPolicies() []finding.Finding {
	if g.opts.Base == nil || g.opts.Base.Files == nil {
		return nil
	}
	changed := g.opts.Base.Changed
	if changed == nil {
		changed = g.opts.ChangedFiles
	}
	var out []finding.Finding
	seen := map[string]bool{}
	for _, rel := range changed {
		rel = path.Clean(strings.ReplaceAll(rel, `\`, "/"))
		if seen[rel] || !(strings.HasSuffix(rel, ".yaml") || strings.HasSuffix(rel, ".yml")) || rel == ".." ||
			strings.HasPrefix(rel, "../") || path.IsAbs(rel) || skippedDir(rel) {
			continue
		}
		seen[rel] = true
		if _, err := os.Lstat(g.repo.Abs(rel)); !errors.Is(err, fs.ErrNotExist) {
			continue // still in the working tree
		}
		data, err := g.opts.Base.Files.ReadFile(rel)
		if err != nil || len(data) > workspace.MaxFileSize {
			continue
		}
		bp, _, err := policy.Read(rel, data)
		if err != nil || bp == nil || bp.Broken || bp.Component == "" || g.ws.ComponentPolicyFile(bp.Component) != "" {
			continue
		}
		// what it held: everything it relaxes compared with an empty
		// policy of the same component
		empty, _, err := policy.Read(rel, []byte("apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: deleted}\nspec:\n  component: "+
			strconv.Quote(bp.Component)+"\n"))
		var whats []string
		if err == nil && empty != nil {
			for _, r := range policy.Relaxations(bp, empty) {
				whats = append(whats, r.What)
			}
		}
		held := ""
		if len(whats) > 0 {
			held = ": " + strings.Join(whats, "; ")
		}
		pos := bp.Loc.Locate("spec.component")
		f := finding.New(rules.UG607, rel, pos.Line, pos.Column,
			fmt.Sprintf("this pull request deletes policy %q (line %d at the base %.7s), and no policy of component %q is left in the repository: "+
				"nothing it required applies any more%s", rel, pos.Line, g.opts.Base.Commit, bp.Component, held),
			"restore the policy, or have the policy's owners review and land its removal on its own")
		f.Node = "spec.component"
		out = append(out, f)
	}
	return out
}

func skippedDir(rel string) bool {
	for _, seg := range strings.Split(path.Dir(rel), "/") {
		for _, d := range skipDeleted {
			if seg == d {
				return true
			}
		}
	}
	return false
}
