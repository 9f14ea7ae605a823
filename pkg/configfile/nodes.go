package configfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pelletier/go-toml/v2/unstable"
	"github.com/upgradegate/upgradegate/pkg/internal/textpos"
	"gopkg.in/yaml.v3"
)

// maxDepth bounds the nesting of the JSON and TOML trees Nodes builds.
const maxDepth = 512

// Nodes parses data in the given format into YAML node trees whose every
// node has the 1-based line and column of its text in data: YAML's own
// documents, one tree for a JSON or TOML file, and for a .env file one
// mapping of the variables to their values. Find looks key paths up in
// them, for readers that need the value and where it is written (the
// deployed versions of manifest v1 section 6). A syntax error is a
// *SyntaxError, as ParseAs gives it.
func Nodes(name string, format Format, data []byte) ([]*yaml.Node, error) {
	if len(data) > MaxFileSize {
		se := tooLarge(int64(len(data)))
		se.File, se.Format = name, format
		return nil, se
	}
	var docs []*yaml.Node
	var err error
	switch format {
	case YAML:
		docs, err = parseYAML(name, data)
	case JSON:
		if _, err = parseJSON(data); err == nil { // its errors have positions
			var n *yaml.Node
			n, err = jsonNodes(data)
			docs = []*yaml.Node{n}
		}
	case TOML:
		var n *yaml.Node
		if n, err = tomlNodes(data); err == nil {
			docs = []*yaml.Node{n}
		}
	case Dotenv:
		var n *yaml.Node
		if n, err = dotenvNodes(data); err == nil {
			docs = []*yaml.Node{n}
		}
	default:
		return nil, fmt.Errorf("%w: format %q", ErrUnsupported, format)
	}
	if err != nil {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.File, se.Format = name, format
		}
		return nil, err
	}
	return docs, nil
}

func scalar(value string, line, col int) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: value, Line: line, Column: col}
}

// jsonNodes builds the tree of a JSON file that parseJSON accepted.
func jsonNodes(data []byte) (*yaml.Node, error) {
	body := bytes.TrimPrefix(data, []byte("\ufeff"))
	skipped := len(data) - len(body)
	l := textpos.New(data)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	// start finds where the token after offset off begins
	start := func(off int) int {
		for off < len(body) && strings.IndexByte(" \t\r\n,:", body[off]) >= 0 {
			off++
		}
		return off + skipped
	}
	var value func(depth int) (*yaml.Node, error)
	value = func(depth int) (*yaml.Node, error) {
		if depth > maxDepth {
			return nil, &SyntaxError{Line: 1, Column: 1, Msg: fmt.Sprintf("the file nests deeper than %d levels", maxDepth)}
		}
		line, col := l.At(start(int(dec.InputOffset())))
		tok, err := dec.Token()
		if err != nil {
			return nil, &SyntaxError{Line: line, Column: col, Msg: "unexpected end of the file"}
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '[' {
				n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Column: col}
				for dec.More() {
					item, err := value(depth + 1)
					if err != nil {
						return nil, err
					}
					n.Content = append(n.Content, item)
				}
				_, err := dec.Token()
				return n, err
			}
			n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
			for dec.More() {
				kl, kc := l.At(start(int(dec.InputOffset())))
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				v, err := value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Content = append(n.Content, scalar(key, kl, kc), v)
			}
			_, err := dec.Token()
			return n, err
		case string:
			return scalar(t, line, col), nil
		case json.Number:
			return scalar(t.String(), line, col), nil
		case bool:
			return scalar(fmt.Sprint(t), line, col), nil
		default:
			n := scalar("", line, col)
			n.Tag = "!!null"
			return n, nil
		}
	}
	n, err := value(0)
	if errors.Is(err, io.EOF) {
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: "unexpected end of the file"}
	}
	return n, err
}

// tomlNodes builds the tree of a TOML file: tables and arrays of tables
// become mappings and lists, every key and scalar keeps its position.
func tomlNodes(data []byte) (*yaml.Node, error) {
	if _, err := parseTOML(data); err != nil { // its errors have positions
		return nil, err
	}
	l := textpos.New(data)
	var p unstable.Parser
	p.Reset(data)
	pos := func(r unstable.Range) (int, int) { return l.At(int(r.Offset)) }
	root := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	child := func(m *yaml.Node, key string) *yaml.Node {
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == key {
				return m.Content[i+1]
			}
		}
		return nil
	}
	// descend follows (and makes) the tables of keys under m; in an array
	// of tables it goes into the last one
	descend := func(m *yaml.Node, keys []*unstable.Node) *yaml.Node {
		for _, k := range keys {
			c := child(m, string(k.Data))
			if c == nil {
				line, col := pos(k.Raw)
				c = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
				m.Content = append(m.Content, scalar(string(k.Data), line, col), c)
			}
			if c.Kind == yaml.SequenceNode && len(c.Content) > 0 {
				c = c.Content[len(c.Content)-1]
			}
			m = c
		}
		return m
	}
	keysOf := func(n *unstable.Node) []*unstable.Node {
		var keys []*unstable.Node
		for it := n.Key(); it.Next(); {
			keys = append(keys, it.Node())
		}
		return keys
	}
	var value func(n *unstable.Node, depth int) *yaml.Node
	value = func(n *unstable.Node, depth int) *yaml.Node {
		line, col := pos(n.Raw)
		switch n.Kind {
		case unstable.Array:
			s := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Column: col}
			if depth < maxDepth {
				for it := n.Children(); it.Next(); {
					if c := it.Node(); c.Kind != unstable.Comment {
						s.Content = append(s.Content, value(c, depth+1))
					}
				}
			}
			return s
		case unstable.InlineTable:
			m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
			if depth < maxDepth {
				for it := n.Children(); it.Next(); {
					if kv := it.Node(); kv.Kind == unstable.KeyValue {
						keys := keysOf(kv)
						if len(keys) == 0 {
							continue
						}
						t := descend(m, keys[:len(keys)-1])
						kl, kc := pos(keys[len(keys)-1].Raw)
						t.Content = append(t.Content, scalar(string(keys[len(keys)-1].Data), kl, kc), value(kv.Value(), depth+1))
					}
				}
			}
			return m
		}
		return scalar(string(n.Data), line, col)
	}
	current := root
	for p.NextExpression() {
		e := p.Expression()
		keys := keysOf(e)
		switch e.Kind {
		case unstable.Table:
			current = descend(root, keys)
		case unstable.ArrayTable:
			if len(keys) == 0 {
				continue
			}
			parent := descend(root, keys[:len(keys)-1])
			last := keys[len(keys)-1]
			line, col := pos(last.Raw)
			seq := child(parent, string(last.Data))
			if seq == nil || seq.Kind != yaml.SequenceNode {
				seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: line, Column: col}
				parent.Content = append(parent.Content, scalar(string(last.Data), line, col), seq)
			}
			current = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
			seq.Content = append(seq.Content, current)
		case unstable.KeyValue:
			if len(keys) == 0 {
				continue
			}
			t := descend(current, keys[:len(keys)-1])
			last := keys[len(keys)-1]
			line, col := pos(last.Raw)
			t.Content = append(t.Content, scalar(string(last.Data), line, col), value(e.Value(), 0))
		}
	}
	if err := p.Error(); err != nil {
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: tomlMessage(err.Error())}
	}
	return root, nil
}

// dotenvNodes is a .env file's variables as one mapping: each name to its
// value (unquoted), both with their positions; the first definition wins.
func dotenvNodes(data []byte) (*yaml.Node, error) {
	vars, err := readDotenv(data, true)
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(vars))
	for name := range vars {
		names = append(names, name)
	}
	sort.Slice(names, func(i, j int) bool { return vars[names[i]].Line < vars[names[j]].Line })
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	for _, name := range names {
		v := vars[name]
		m.Content = append(m.Content, scalar(name, v.Line, v.Column), scalar(v.Value, v.ValueLine, v.ValueColumn))
	}
	return m, nil
}
