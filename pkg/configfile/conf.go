package configfile

import (
	"strings"

	"gopkg.in/yaml.v3"
)

// maxConfLines bounds the lines of one embedded configuration string that a
// lookup reads.
const maxConfLines = 10000

// confNode reads a multi-line string of `name = value` lines, as Helm values
// embed postgresql.conf, my.cnf or an INI file (`extendedConfiguration: |`),
// into a mapping node, so that a key path can go on into it: keys before any
// `[section]` at the top, the others under their section. `name value`
// (postgresql.conf) and a bare `name` (my.cnf flags) are settings too;
// blank lines and lines starting with # or ; are comments, and so is a #
// after a value. Each key has the line it is on; its column is the string's
// own column for a quoted or plain string, and key.Column+2 (the usual
// indentation) for a block scalar whose content starts on the next line.
// It returns false for a string that is not such a file (no line with "=",
// a line that is no setting): the lookup then says that the path runs into
// a value.
func confNode(n, key *yaml.Node) (*yaml.Node, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || !strings.Contains(strings.TrimRight(n.Value, "\n"), "\n") {
		return nil, false
	}
	line, col := n.Line, n.Column
	if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		line++
		if key != nil {
			col = key.Column + 2
		}
	}
	top := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: line, Column: col}
	cur := top
	settings, assigned := 0, false
	for i, raw := range strings.Split(n.Value, "\n") {
		if i >= maxConfLines {
			return nil, false
		}
		s := strings.TrimSpace(raw)
		if s == "" || s[0] == '#' || s[0] == ';' {
			continue
		}
		at := line + i
		if s[0] == '[' {
			name, ok := strings.CutSuffix(s, "]")
			name = strings.TrimSpace(name[1:])
			if !ok || name == "" || strings.ContainsAny(name, "[]") {
				return nil, false
			}
			cur = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: at, Column: col}
			top.Content = append(top.Content, scalar(name, at, col), cur)
			continue
		}
		name, value := s, ""
		if k, v, ok := strings.Cut(s, "="); ok {
			name, value, assigned = strings.TrimSpace(k), strings.TrimSpace(v), true
		} else if k, v, ok := strings.Cut(s, " "); ok {
			name, value = k, strings.TrimSpace(v)
		}
		if name == "" || strings.ContainsAny(name, " \t\"'") {
			return nil, false
		}
		value = confValue(value)
		cur.Content = append(cur.Content, scalar(name, at, col), scalar(value, at, col))
		settings++
	}
	// one name = value line at least, so that a script or prose is not
	// taken for a configuration file
	return top, settings > 0 && assigned
}

// confValue drops a trailing # comment outside quotes and one pair of quotes.
func confValue(v string) string {
	if len(v) >= 2 && (v[0] == '\'' || v[0] == '"') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : 1+end]
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	} else if strings.HasPrefix(v, "#") {
		v = ""
	}
	return strings.TrimSpace(v)
}
