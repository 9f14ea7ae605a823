// Package yamldoc decodes YAML documents strictly, node by node, so that every
// problem becomes a finding with the 1-based line and column of its node, and
// every decoded field keeps its position for the rules that run later.
package yamldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/internal/textpos"
	"github.com/upgradegate/upgradegate/pkg/internal/typo"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// MaxAliasDepth bounds alias chains (a document with aliases of aliases is
// suspicious; a cycle is impossible in yaml.v3's output, depth is not).
const MaxAliasDepth = 32

var lineRe = regexp.MustCompile(`line (\d+)(?:, column (\d+))?`)

// Parse splits data into YAML documents. A syntax error, invalid UTF-8 or an
// empty input produce a UG001 finding (and no documents); file is the
// repository-relative name used in findings.
//
// The YAML manifests are made of is read by fastParse, into the nodes
// yaml.v3's Decoder gives but without comments (HeadComment, LineComment
// and FootComment stay empty): nothing reads a node's comments but
// parseRuns' own check of yaml.v3's nodes (runs.go), so no caller sees the
// difference. Whatever fastParse declines goes to yaml.v3, with long lists
// of plain versions read without its per-item work (see minRun), into the
// same nodes.
func Parse(file string, data []byte) ([]*yaml.Node, *finding.Finding) {
	if docs, ok := fastParse(data); ok {
		return docs, nil // fastParse accepts valid UTF-8 only
	}
	if !utf8.Valid(data) {
		line, col := textpos.Of(data, textpos.InvalidUTF8(data))
		f := finding.New(rules.UG001, file, line, col, "file is not valid UTF-8", "save the file as UTF-8")
		return nil, &f
	}
	if docs, ok := parseRuns(data); ok {
		return docs, nil
	}
	docs, err := decodeAll(data)
	if err != nil {
		return nil, syntaxFinding(file, data, err)
	}
	return docs, nil
}

// syntaxFinding places a YAML error. yaml.v3 names the line where the
// enclosing block starts rather than where the problem is, so the problem's
// line is found as the shortest prefix of whole lines that fails to parse.
func syntaxFinding(file string, data []byte, err error) *finding.Finding {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line, col := 1, 1
	if m := lineRe.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		if m[2] != "" {
			col, _ = strconv.Atoi(m[2])
		}
		msg = strings.TrimSpace(strings.Replace(msg, m[0]+":", "", 1))
	}
	if first := firstFailingLine(data); first > line {
		msg = fmt.Sprintf("%s (in the block that starts at line %d)", msg, line)
		line, col = first, 1
	}
	if tab := tabInIndent(data, line); tab > 0 {
		if !strings.Contains(msg, "tab") {
			msg = "a tab character in the indentation: " + msg
		}
		f := finding.New(rules.UG001, file, line, tab, "YAML syntax error: "+msg, "indent YAML with spaces: tabs are not allowed there")
		return &f
	}
	if line > 0 && col == 1 {
		col = firstNonBlank(data, line)
	}
	f := finding.New(rules.UG001, file, line, col, "YAML syntax error: "+msg, "fix the YAML syntax; the file is not checked further until it parses")
	return &f
}

// tabInIndent returns the 1-based column of the first tab in the leading
// white space of the given line, or 0.
func tabInIndent(data []byte, line int) int {
	for i, c := range lineAt(data, line) {
		switch c {
		case '\t':
			return i + 1
		case ' ', '-':
		default:
			return 0
		}
	}
	return 0
}

// firstFailingLine returns the smallest k such that the first k lines of data
// do not parse, or 0 when every prefix parses (an error at the very end).
func firstFailingLine(data []byte) int {
	var ends []int // ends[i] is the offset just past line i+1
	for i, c := range data {
		if c == '\n' {
			ends = append(ends, i+1)
		}
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(data) {
		ends = append(ends, len(data))
	}
	fails := func(k int) bool {
		dec := yaml.NewDecoder(bytes.NewReader(data[:ends[k-1]]))
		for {
			var n yaml.Node
			err := dec.Decode(&n)
			if errors.Is(err, io.EOF) {
				return false
			}
			if err != nil {
				return true
			}
		}
	}
	lo, hi := 1, len(ends)
	if !fails(hi) {
		return 0
	}
	for lo < hi {
		mid := (lo + hi) / 2
		if fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// lineAt returns data from the start of the given 1-based line (nil past the
// end).
func lineAt(data []byte, line int) []byte {
	for i := 1; i < line; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			return nil
		}
		data = data[j+1:]
	}
	return data
}

func firstNonBlank(data []byte, line int) int {
	data = lineAt(data, line)
	for i, c := range data {
		if c != ' ' && c != '\t' {
			if c == '\n' {
				return 1
			}
			return utf8.RuneCount(data[:i]) + 1
		}
	}
	return 1
}

// Content returns a document's top node (resolving the document wrapper), or
// nil for an empty document.
func Content(doc *yaml.Node) *yaml.Node {
	if doc == nil {
		return nil
	}
	if doc.Kind == yaml.DocumentNode {
		if len(doc.Content) == 0 {
			return nil
		}
		return Resolve(doc.Content[0])
	}
	return Resolve(doc)
}

// Resolve follows aliases to the node they stand for.
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < MaxAliasDepth; i++ {
		n = n.Alias
	}
	return n
}

// TopScalar returns the value of a top-level key of a mapping node, or "".
func TopScalar(n *yaml.Node, key string) string {
	if n == nil || n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			v := Resolve(n.Content[i+1])
			if v != nil && v.Kind == yaml.ScalarNode {
				return v.Value
			}
		}
	}
	return ""
}

// Nearest returns the candidate closest to s by edit distance, if it is close
// enough to be a plausible typo (case is ignored).
func Nearest(s string, candidates []string) (string, bool) {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		d := typo.Distance(ls, strings.ToLower(c))
		if d < bestD {
			best, bestD = c, d
		}
	}
	limit := len(s)/3 + 1
	if limit > 4 {
		limit = 4
	}
	if bestD <= limit || (best != "" && (strings.Contains(strings.ToLower(best), ls) && len(ls) >= 3)) {
		return best, true
	}
	return "", false
}

// Kind names a node's kind for messages without its value ("a single value"
// for a scalar): for files that may hold passwords and tokens.
func Kind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!null" {
			return "null"
		}
		return "a single value"
	case yaml.AliasNode:
		return "an alias"
	}
	return "empty"
}

// KindName names a node's kind for messages, quoting a scalar's value.
func KindName(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
		return Quote(n.Value)
	}
	return Kind(n)
}

// maxQuoted bounds the values messages repeat: a finding names the value, it
// does not reprint a file.
const maxQuoted = 80

// Quote returns s quoted for a message, shortened to its first runes with
// "..." when it is long.
func Quote(s string) string {
	if utf8.RuneCountInString(s) > maxQuoted {
		s = string([]rune(s)[:maxQuoted]) + "..."
	}
	return fmt.Sprintf("%q", s)
}
