package check

import (
	"fmt"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// maxListed bounds the successors a UG207 hint lists.
const maxListed = 8

// notAnEdge reports a hop that no edge of the policy's update graphs
// allows (UG207) at the hop's target: the message names the graph and the
// line of the hop's start among its nodes, the hint where its edges lead.
func notAnEdge(e *emitter, pol *policy.Policy, node, hop string, from *version.Version) {
	eng := pol.Engine
	graphs := strings.Join(eng.Graphs(), ", ")
	where := ""
	if p, ok := graphNode(pol, from); ok {
		where = fmt.Sprintf(" (%s is its node at %s:%d)", from.Original(), p.File, p.Line)
	}
	next := eng.Successors(from)
	var hint string
	switch {
	case len(next) == 0 && where == "":
		hint = fmt.Sprintf("%s is no node of the graph: upgrade from a release the graph lists, or pull a newer copy of the graph", from.Original())
	case len(next) == 0:
		hint = fmt.Sprintf("the graph has no edge out of %s", from.Original())
	default:
		names := make([]string, 0, maxListed)
		for _, v := range next[:min(len(next), maxListed)] {
			names = append(names, v.Original())
		}
		hint = fmt.Sprintf("the graph's edges from %s lead to %s", from.Original(), strings.Join(names, ", "))
		if len(next) > maxListed {
			hint += fmt.Sprintf(" and %d more", len(next)-maxListed)
		}
		hint += "; the suggested path follows the edges"
	}
	e.add(rules.UG207, node, hint, "hop %s is not an edge of the update graph %s%s", hop, graphs, where)
}

// graphNode returns where an imported update graph lists v as a node.
func graphNode(pol *policy.Policy, v *version.Version) (policy.Pos, bool) {
	for _, r := range pol.Releases {
		if r.Pos.File != pol.File && r.Version().Equal(v) {
			for _, g := range pol.Engine.Graphs() {
				if r.Pos.File == g {
					return r.Pos, true
				}
			}
		}
	}
	return policy.Pos{}, false
}

// conditionalEdges warns (UG208) at each declared hop that is a
// conditional edge of the graph, naming every risk with its message and
// URL, and the vendor file and line of the edge.
func conditionalEdges(e *emitter, s *manifest.Spec, pol *policy.Policy, stops []*version.Version) {
	eng := pol.Engine
	if !eng.HasGraph() {
		return
	}
	nodes := append(append([]manifest.Version{s.From}, s.Path...), s.To)
	vs := append(append([]*version.Version{s.From.V}, stops...), s.To.V)
	for i := 0; i+1 < len(vs) && i+1 < len(nodes); i++ {
		ed, ok := eng.Edge(vs[i], vs[i+1])
		if !ok || len(ed.Risks) == 0 {
			continue
		}
		at := ""
		if o := imported(ed.Pos, pol.File); o != "" {
			at = " (" + o + ")"
		}
		var urls []string
		for _, r := range ed.Risks {
			if r.URL != "" {
				urls = append(urls, r.URL)
			}
		}
		hint := "check that the cluster is not exposed to each risk, or route the upgrade around the hop"
		if len(urls) > 0 {
			hint += "; see " + strings.Join(urls, ", ")
		}
		e.add(rules.UG208, nodes[i+1].Path, hint, "hop %q -> %q is a conditional edge of the update graph%s: %s",
			nodes[i].Raw, nodes[i+1].Raw, at, describeRisks(ed.Risks))
	}
}

// describeRisks names each risk with its message and URL.
func describeRisks(risks []upgradepath.Risk) string {
	parts := make([]string, len(risks))
	for i, r := range risks {
		p := "risk " + r.Name
		if r.Message != "" {
			p += ": " + r.Message
		}
		if r.URL != "" {
			p += " (" + r.URL + ")"
		}
		parts[i] = p
	}
	return strings.Join(parts, "; ")
}

// suggestedRisks names the conditional edges of a suggested path, for the
// UG204 message: the suggestion follows the graph, risks and all.
func suggestedRisks(eng *upgradepath.Engine, from *version.Version, stops []*version.Version, to *version.Version) string {
	if !eng.HasGraph() {
		return ""
	}
	vs := append(append([]*version.Version{from}, stops...), to)
	var parts []string
	for i := 0; i+1 < len(vs); i++ {
		if ed, ok := eng.Edge(vs[i], vs[i+1]); ok && len(ed.Risks) > 0 {
			names := make([]string, len(ed.Risks))
			for k, r := range ed.Risks {
				names[k] = r.Name
			}
			parts = append(parts, fmt.Sprintf("%s -> %s (%s)", vs[i].Original(), vs[i+1].Original(), strings.Join(names, ", ")))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "; conditional edges on it: " + strings.Join(parts, ", ")
}
