package upgradepath

import (
	"cmp"
	"slices"
	"sort"

	version "github.com/hashicorp/go-version"
)

// Edge is one hop an imported update graph allows (a Cincinnati graph's
// edge). With a graph (Rules.Graphs), a hop is legal only along an edge,
// besides the other path rules.
type Edge struct {
	From, To *version.Version
	// Risks, when there are any, make the edge conditional: taking it is
	// legal, and a warning (UG208) names each risk.
	Risks []Risk
	// Pos is where the edge was written.
	Pos Pos
}

// Risk is one known risk of a conditional edge.
type Risk struct {
	Name, Message, URL string
	// Pos is where the risk was written.
	Pos Pos
}

// graph is the engine's form of the edges: compressed adjacency over the
// release indexes, both ways, each list ascending.
type graph struct {
	files    []string
	outStart []int32 // edges from release u: outTo[outStart[u]:outStart[u+1]]
	outTo    []int32
	outEdge  []int32 // the merged edge of outTo[k], in edges
	inStart  []int32 // edges into release v: inFrom[inStart[v]:inStart[v+1]]
	inFrom   []int32
	inRisky  []bool // whether the edge inFrom[k] -> v is conditional (nil: no edge is)
	edges    []Edge // one per distinct (from, to), its ends the releases
	// conditional is whether any edge has risks (then the suggestion
	// ranks routes by their conditional edges too)
	conditional bool
}

// edgeEndpoints returns the edges' ends that are not among releases (by
// go-version pointer), for New to add to the releases: an edge's ends are
// releases.
func edgeEndpoints(releases []*Version, edges []Edge) []*Version {
	if len(edges) == 0 {
		return nil
	}
	seen := make(map[*version.Version]struct{}, len(releases))
	for _, v := range releases {
		if gv := v.gv.Load(); gv != nil {
			seen[gv] = struct{}{}
		}
	}
	var out []*Version
	for _, ed := range edges {
		for _, v := range [2]*version.Version{ed.From, ed.To} {
			if _, ok := seen[v]; !ok && v != nil {
				seen[v] = struct{}{}
				out = append(out, FromGo(v))
			}
		}
	}
	return out
}

// buildGraph indexes the edges over the engine's releases. index maps the
// release pointers New saw to their release index; other versions are
// looked up by their key. Edges with a nil end are ignored; an edge listed
// several times is one, unconditional when any listing is, else with the
// risks of every listing.
func (e *Engine) buildGraph(files []string, edges []Edge, index map[*version.Version]int32) {
	g := &graph{files: slices.Clone(files)}
	e.g = g
	n := len(e.rel)
	lookup := func(v *version.Version) int32 {
		if i, ok := index[v]; ok {
			return i
		}
		k := keyOf(v)
		return e.releaseIndex(&k)
	}
	type pair struct{ u, v, k int32 }
	pairs := make([]pair, 0, len(edges))
	for k, ed := range edges {
		if ed.From == nil || ed.To == nil {
			continue
		}
		u, v := lookup(ed.From), lookup(ed.To)
		if u >= 0 && v >= 0 {
			pairs = append(pairs, pair{u, v, int32(k)})
		}
	}
	slices.SortFunc(pairs, func(a, b pair) int {
		if c := cmp.Compare(a.u, b.u); c != 0 {
			return c
		}
		if c := cmp.Compare(a.v, b.v); c != 0 {
			return c
		}
		return cmp.Compare(a.k, b.k)
	})
	g.outStart = make([]int32, n+1)
	g.outTo = make([]int32, 0, len(pairs))
	g.outEdge = make([]int32, 0, len(pairs))
	g.edges = make([]Edge, 0, len(pairs))
	inCount := make([]int32, n+1)
	for i := 0; i < len(pairs); {
		p := pairs[i]
		ed := edges[p.k]
		cond := len(ed.Risks) > 0
		merged := Edge{From: e.rel[p.u].Go(), To: e.rel[p.v].Go(), Pos: ed.Pos}
		if cond {
			merged.Risks = slices.Clone(ed.Risks)
		}
		j := i + 1
		for ; j < len(pairs) && pairs[j].u == p.u && pairs[j].v == p.v; j++ {
			switch r := edges[pairs[j].k].Risks; {
			case len(r) == 0:
				cond, merged.Risks = false, nil
			case cond:
				merged.Risks = append(merged.Risks, r...)
			}
		}
		g.conditional = g.conditional || cond
		g.outTo = append(g.outTo, p.v)
		g.outEdge = append(g.outEdge, int32(len(g.edges)))
		g.edges = append(g.edges, merged)
		g.outStart[p.u+1]++
		inCount[p.v+1]++
		i = j
	}
	for i := range n {
		g.outStart[i+1] += g.outStart[i]
		inCount[i+1] += inCount[i]
	}
	g.inStart = slices.Clone(inCount)
	g.inFrom = make([]int32, len(g.outTo))
	if g.conditional {
		g.inRisky = make([]bool, len(g.outTo))
	}
	fill := inCount[:n]
	for u := range n {
		for k := g.outStart[u]; k < g.outStart[u+1]; k++ {
			v := g.outTo[k]
			g.inFrom[fill[v]] = int32(u)
			if g.inRisky != nil {
				g.inRisky[fill[v]] = len(g.edges[g.outEdge[k]].Risks) > 0
			}
			fill[v]++
		}
	}
}

// releaseIndex returns the index of the release that compares equal to k,
// or -1.
func (e *Engine) releaseIndex(k *key) int32 {
	i := e.releasesBelow(k)
	if i < len(e.rel) && e.compareRelease(i, k) == 0 {
		return int32(i)
	}
	return -1
}

// edgeIndex returns the index in g.edges of the edge u -> v between
// releases, or -1.
func (g *graph) edgeIndex(u, v int32) int32 {
	if u < 0 || v < 0 {
		return -1
	}
	lo, hi := g.outStart[u], g.outStart[u+1]
	k := lo + int32(sort.Search(int(hi-lo), func(j int) bool { return g.outTo[lo+int32(j)] >= v }))
	if k < hi && g.outTo[k] == v {
		return g.outEdge[k]
	}
	return -1
}

// edgeOK reports whether the hop between releases u and v (-1: not a
// release) is allowed by the graph: always without one.
func (e *Engine) edgeOK(u, v int32) bool {
	return e.g == nil || e.g.edgeIndex(u, v) >= 0
}

// HasGraph reports whether the policy imports an update graph, so that
// only its edges are legal hops.
func (e *Engine) HasGraph() bool { return e.g != nil }

// Graphs returns the files of the update graphs the edges came from.
func (e *Engine) Graphs() []string {
	if e.g == nil {
		return nil
	}
	return slices.Clone(e.g.files)
}

// Edge returns the graph's edge from -> to, its ends the releases they
// equal; false when there is no graph or no such edge. The caller owns the
// copy.
func (e *Engine) Edge(from, to *version.Version) (Edge, bool) {
	if e.g == nil || from == nil || to == nil {
		return Edge{}, false
	}
	fk, tk := keyOf(from), keyOf(to)
	k := e.g.edgeIndex(e.releaseIndex(&fk), e.releaseIndex(&tk))
	if k < 0 {
		return Edge{}, false
	}
	ed := e.g.edges[k]
	ed.Risks = slices.Clone(ed.Risks)
	return ed, true
}

// Successors returns the releases the graph's edges from from lead to,
// ascending (nil without a graph, or when from is no node of it).
func (e *Engine) Successors(from *version.Version) []*version.Version {
	if e.g == nil || from == nil {
		return nil
	}
	k := keyOf(from)
	u := e.releaseIndex(&k)
	if u < 0 {
		return nil
	}
	var out []*version.Version
	for _, v := range e.g.outTo[e.g.outStart[u]:e.g.outStart[u+1]] {
		out = append(out, e.rel[v].Go())
	}
	return out
}
