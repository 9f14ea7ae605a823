package configfile

import (
	"fmt"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// maxVisits bounds the nodes one lookup visits: list selectors branch, and
// YAML aliases can repeat a list many times over.
const maxVisits = 1 << 16

// Hit is one place a key path reaches: the key node (for a path ending in
// a list index or selector, the item) and its value.
type Hit struct {
	Key, Value *yaml.Node
}

// yamlWalk follows a key path through a YAML tree, every list item a
// selector matches, and collects where it ends.
type yamlWalk struct {
	p      KeyPath
	budget int
	one    bool // stop at the first hit
	hits   []Hit
	best   *Match // the first miss, for the explanation
	spent  bool
}

func (w *yamlWalk) note(m Match) {
	if w.best == nil {
		w.best = &m
	}
}

func (w *yamlWalk) missed() Match {
	if w.best == nil {
		if w.spent {
			return Match{Reason: fmt.Sprintf("the file is too large to search for the key (over %d nodes)", maxVisits)}
		}
		return Match{Reason: "the key is not set"}
	}
	return *w.best
}

func (w *yamlWalk) walk(n *yaml.Node, i int, key *yaml.Node) {
	if w.one && len(w.hits) > 0 {
		return
	}
	if w.budget--; w.budget < 0 {
		w.spent = true
		return
	}
	if i == len(w.p) {
		w.hits = append(w.hits, Hit{Key: key, Value: n})
		return
	}
	p, seg := w.p, w.p[i]
	n = yamldoc.Resolve(n)
	if n == nil {
		w.note(miss(p, i, "is empty"))
		return
	}
	switch {
	case seg.IsIndex:
		if n.Kind != yaml.SequenceNode {
			w.note(miss(p, i, "is "+yamldoc.Kind(n)))
			return
		}
		if seg.Index >= len(n.Content) {
			w.note(miss(p, i, fmt.Sprintf("is a list of %d", len(n.Content))))
			return
		}
		item := n.Content[seg.Index]
		w.walk(item, i+1, item)
		return
	case seg.IsSelector:
		if n.Kind != yaml.SequenceNode {
			w.note(miss(p, i, "is "+yamldoc.Kind(n)))
			return
		}
		selected := false
		for _, item := range n.Content {
			budget := maxMerges
			_, v := yamlChild(item, seg.Field, &budget)
			if v = yamldoc.Resolve(v); v == nil || v.Kind != yaml.ScalarNode || v.Value != seg.Value {
				continue
			}
			selected = true
			w.walk(item, i+1, item)
		}
		if !selected {
			w.note(miss(p, i, fmt.Sprintf("is a list of %d without an item whose %q is %q", len(n.Content), seg.Field, seg.Value)))
		}
		return
	}
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		// a string of name = value lines (postgresql.conf in Helm values):
		// the rest of the path goes on in it; any other value ends the path
		if conf, ok := confNode(n, key); ok {
			w.walk(conf, i, key)
			return
		}
		m := miss(p, i, "is "+yamldoc.Kind(n))
		m.IntoValue = true
		w.note(m)
		return
	}
	if n.Kind != yaml.MappingNode {
		m := miss(p, i, "is "+yamldoc.Kind(n))
		if n.Kind == yaml.SequenceNode && isDigits(seg.Key) {
			m.Reason += fmt.Sprintf("; index a list with [%s]", seg.Key)
		}
		w.note(m)
		return
	}
	budget := maxMerges
	k, v := yamlChild(n, seg.Key, &budget)
	if v == nil {
		w.note(suggest(miss(p, i, "is a mapping without that key"), seg.Key, yamlKeys(n)))
		return
	}
	w.walk(v, i+1, k)
}

// Find returns every place the key path reaches in the documents (YAML
// documents, or the trees Nodes makes of the other formats), in document
// order, or, when there is none, why not. A selector reaches every list item
// it matches.
func Find(docs []*yaml.Node, p KeyPath) ([]Hit, Match) {
	if len(p) == 0 {
		return nil, Match{Reason: "the key is empty"}
	}
	var hits []Hit
	var best Match
	for _, doc := range docs {
		w := &yamlWalk{p: p, budget: maxVisits}
		w.walk(yamldoc.Content(doc), 0, nil)
		hits = append(hits, w.hits...)
		if len(w.hits) == 0 && best.Reason == "" {
			best = w.missed()
		}
	}
	if len(hits) > 0 {
		return hits, Match{Found: true, Line: hits[0].Key.Line}
	}
	if len(docs) == 0 {
		return nil, Match{Reason: "the file has no documents"}
	}
	if len(docs) > 1 {
		best.Reason += fmt.Sprintf(" (in any of the %d documents)", len(docs))
	}
	return nil, best
}
