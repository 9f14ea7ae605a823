package policy

import (
	"fmt"
	"strconv"
	"strings"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/internal/jsonpos"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// FormatCincinnatiGraph is the name of the OpenShift/OKD update graph format.
const FormatCincinnatiGraph = "cincinnati-graph"

// MaxGraphEdges bounds the edges (plain and conditional) of one update
// graph: OpenShift's largest channels have tens of thousands.
const MaxGraphEdges = 1_000_000

// MaxFindingsPerFile bounds the findings one vendor file gives: past it
// one more finding says how many were left out.
const MaxFindingsPerFile = 100

// ReadCincinnatiGraph reads an update graph as the Cincinnati update
// service serves it (manifest v1 section 7): {"nodes": [{version, payload,
// metadata}], "edges": [[from, to], …] as indexes into nodes,
// "conditionalEdges": [{"edges": [{from, to}], "risks": [{url, name,
// message, matchingRules}]}]}, conditional edges naming versions. The nodes
// are releases and the edges the only legal hops (UG207); a conditional
// edge's risks warn (UG208). A file that is not such a graph is UG706 where
// reading stopped; a bad version, a duplicate node, an edge pointing past
// the nodes or naming no node is UG706 at it, and left out.
func ReadCincinnatiGraph(file string, data []byte) (Rules, []finding.Finding) {
	var r Rules
	var fs []finding.Finding
	dropped := 0
	bad := func(p jsonpos.Pos, hint, format string, args ...any) {
		if len(fs) >= MaxFindingsPerFile {
			dropped++
			return
		}
		fs = append(fs, finding.New(rules.UG706, file, max(p.Line, 1), max(p.Column, 1), fmt.Sprintf(format, args...), hint))
	}
	const fix = "import the update service's answer (https://api.openshift.com/api/upgrades_info/v1/graph?channel=NAME, Accept: application/json)"
	const shape = `an update graph ({"nodes": […], "edges": [[from, to], …], "conditionalEdges": […]})`
	if len(data) > MaxImportSize {
		bad(jsonpos.Pos{Line: 1, Column: 1}, fix, "update graph %q is %d bytes, over the limit of %d MiB", file, len(data), MaxImportSize>>20)
		return Rules{}, fs
	}
	root, err := jsonpos.Parse(data)
	if err != nil {
		p := jsonpos.Pos{Line: 1, Column: 1}
		msg := err.Error()
		if je, ok := err.(*jsonpos.Error); ok {
			p, msg = je.Pos, je.Msg
		}
		bad(p, fix, "update graph %q is not JSON: %s", file, msg)
		return Rules{}, fs
	}
	nodes := root.Get("nodes")
	switch {
	case root.Kind != jsonpos.Object:
		bad(root.Pos, fix, "update graph %q holds %s, not %s", file, root.Kind, shape)
		return Rules{}, fs
	case nodes == nil:
		bad(root.Pos, fix, "update graph %q has no nodes: it is not %s", file, shape)
		return Rules{}, fs
	case nodes.Kind != jsonpos.Array:
		bad(nodes.Pos, fix, "nodes of %q is %s, not a list of releases", file, nodes.Kind)
		return Rules{}, fs
	}
	pos := func(p jsonpos.Pos) Pos { return Pos{File: file, Line: p.Line, Column: p.Column} }
	str := func(n *jsonpos.Node) (string, bool) {
		if n == nil || n.Kind != jsonpos.String {
			return "", false
		}
		return n.Str, true
	}

	// nodes: the index of each becomes its version (nil when left out)
	byIndex := make([]*version.Version, len(nodes.Items))
	seen := map[string]int{} // canonical version -> first node index
	for i, n := range nodes.Items {
		if n.Kind != jsonpos.Object {
			bad(n.Pos, "", "node %d of %q is %s, not {version, payload, metadata}", i, file, n.Kind)
			continue
		}
		raw, ok := str(n.Get("version"))
		if !ok {
			bad(n.Pos, "each node names its release: {\"version\": \"4.16.2\", …}", "node %d of %q has no version", i, file)
			continue
		}
		v, err := yamldoc.ParseVersion(raw)
		if err != nil {
			bad(n.Get("version").Pos, "", "version %s of node %d of %q is not a version", yamldoc.Quote(raw), i, file)
			continue
		}
		c := v.String()
		if j, dup := seen[c]; dup {
			bad(n.Pos, "each release is one node; edges name nodes by index", "node %d of %q repeats version %q of node %d", i, file, raw, j)
			byIndex[i] = byIndex[j]
			continue
		}
		seen[c] = i
		byIndex[i] = v
		r.Releases = append(r.Releases, Release{Ver: upgradepath.FromGo(v), Pos: pos(n.Pos)})
	}
	r.Graphs = []string{file}

	count := 0
	room := func(p jsonpos.Pos) bool {
		count++
		if count > MaxGraphEdges {
			if count == MaxGraphEdges+1 {
				bad(p, "import one channel's graph", "update graph %q has more than %d edges: the rest are left out", file, MaxGraphEdges)
			}
			return false
		}
		return true
	}
	if edges := root.Get("edges"); edges != nil {
		if edges.Kind != jsonpos.Array {
			bad(edges.Pos, "", "edges of %q is %s, not a list of [from, to] node indexes", file, edges.Kind)
		} else {
			for k, ed := range edges.Items {
				if !room(ed.Pos) {
					break
				}
				if ed.Kind != jsonpos.Array || len(ed.Items) != 2 {
					bad(ed.Pos, "an edge is a pair of node indexes such as [3, 7]", "edge %d of %q is not a pair of node indexes", k, file)
					continue
				}
				var ends [2]*version.Version
				ok := true
				for e, n := range ed.Items {
					idx, err := strconv.Atoi(n.Str)
					switch {
					case n.Kind != jsonpos.Number || err != nil || idx < 0:
						bad(n.Pos, "", "edge %d of %q: %s is not a node index", k, file, yamldoc.Quote(n.Str))
						ok = false
					case idx >= len(byIndex):
						bad(n.Pos, "download the graph again: the edges name nodes the file does not have",
							"edge %d of %q points past the nodes: index %d of %d nodes", k, file, idx, len(byIndex))
						ok = false
					case byIndex[idx] == nil:
						ok = false // the node is reported already
					default:
						ends[e] = byIndex[idx]
					}
				}
				if ok {
					r.Edges = append(r.Edges, upgradepath.Edge{From: ends[0], To: ends[1], Pos: pos(ed.Pos)})
				}
			}
		}
	}
	cond := root.Get("conditionalEdges")
	if cond != nil && cond.Kind != jsonpos.Array {
		bad(cond.Pos, "", "conditionalEdges of %q is %s, not a list of {edges, risks}", file, cond.Kind)
		cond = nil
	}
	if cond != nil {
		lookup := func(n *jsonpos.Node, what string, at jsonpos.Pos) *version.Version {
			raw, ok := str(n)
			if !ok {
				bad(at, "a conditional edge names versions: {\"from\": \"4.15.3\", \"to\": \"4.16.2\"}", "%s has no %s version", "conditional edge in "+file, what)
				return nil
			}
			v, err := yamldoc.ParseVersion(raw)
			if err != nil {
				bad(n.Pos, "", "%s version %s of a conditional edge in %q is not a version", what, yamldoc.Quote(raw), file)
				return nil
			}
			i, known := seen[v.String()]
			if !known {
				bad(n.Pos, "download the graph again: its conditional edges name releases it does not list",
					"conditional edge %s %q in %q is no node of the graph", what, raw, file)
				return nil
			}
			return byIndex[i]
		}
		for g, group := range cond.Items {
			if group.Kind != jsonpos.Object {
				bad(group.Pos, "", "conditionalEdges[%d] of %q is %s, not {edges, risks}", g, file, group.Kind)
				continue
			}
			var risks []upgradepath.Risk
			rs := group.Get("risks")
			if rs == nil || rs.Kind != jsonpos.Array || len(rs.Items) == 0 {
				bad(group.Pos, "a conditional edge has at least one risk: {name, message, url, matchingRules}", "conditionalEdges[%d] of %q has no risks", g, file)
				continue
			}
			for _, rk := range rs.Items {
				if rk.Kind != jsonpos.Object {
					bad(rk.Pos, "", "a risk of conditionalEdges[%d] of %q is %s, not {name, message, url}", g, file, rk.Kind)
					continue
				}
				name, ok := str(rk.Get("name"))
				if !ok || name == "" {
					bad(rk.Pos, "each risk has a name such as \"EtcdBug\"", "a risk of conditionalEdges[%d] of %q has no name", g, file)
					continue
				}
				msg, _ := str(rk.Get("message"))
				url, _ := str(rk.Get("url"))
				if url != "" {
					if err := yamldoc.ParseURL(url); err != nil {
						bad(rk.Get("url").Pos, "", "risk %s of %q: %v", yamldoc.Quote(name), file, err)
						url = ""
					}
				}
				risks = append(risks, upgradepath.Risk{Name: name, Message: strings.Join(strings.Fields(msg), " "), URL: url, Pos: pos(rk.Pos)})
			}
			if len(risks) == 0 {
				continue // every risk is reported
			}
			es := group.Get("edges")
			if es == nil || es.Kind != jsonpos.Array {
				bad(group.Pos, "", "conditionalEdges[%d] of %q has no list of edges", g, file)
				continue
			}
			for _, ed := range es.Items {
				if !room(ed.Pos) {
					break
				}
				if ed.Kind != jsonpos.Object {
					bad(ed.Pos, "", "an edge of conditionalEdges[%d] of %q is %s, not {from, to}", g, file, ed.Kind)
					continue
				}
				from := lookup(ed.Get("from"), "from", ed.Pos)
				to := lookup(ed.Get("to"), "to", ed.Pos)
				if from != nil && to != nil {
					r.Edges = append(r.Edges, upgradepath.Edge{From: from, To: to, Risks: risks, Pos: pos(ed.Pos)})
				}
			}
		}
	}
	if dropped > 0 {
		fs = append(fs, finding.New(rules.UG706, file, 1, 1, fmt.Sprintf("update graph %q: %d more findings left out", file, dropped), fix))
	}
	return r, fs
}
