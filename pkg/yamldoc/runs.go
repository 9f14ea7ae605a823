package yamldoc

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/internal/vertext"
)

// A long list of plain versions (a policy's 20,000 releases) costs yaml.v3
// a token, an event, a node and a tag resolution per item, most of the time
// `upgradegate path` takes. Parse reads such lists itself: a run is at least
// minRun consecutive lines "INDENT- VALUE" with the same indentation and a
// value isRunValue accepts, which yaml.v3 reads as a plain !!str scalar
// equal to the text. yaml.v3 parses the file with the lines between a run's
// first and last item left empty (so that every line keeps its number),
// and the items are put back between those two, as the nodes yaml.v3 makes
// for them. Nothing else of the file changes, so yaml.v3 decides what the
// lines are: only when both ends come back as adjacent plain items of one
// block list, where the run says they are, is the run taken; otherwise, or
// on any error, the file is parsed as it is.
const minRun = 64

// run is one run of list items: the lines from first to last (1-based),
// their values starting at column col; the lines are src[start:end] (no
// newline after the last). The values are read from the lines when they
// are put back (values): an array of 20,000 strings was fresh memory
// for nothing.
type run struct {
	first, last int
	col         int
	start, end  int
}

// values returns the run's values, substrings of src.
func (r *run) values(src string) []string {
	out := make([]string, 0, r.last-r.first+1)
	for line := range strings.SplitSeq(src[r.start:r.end], "\n") {
		out = append(out, line[r.col-1:])
	}
	return out
}

// value returns the value on the run's line (first to last).
func (r *run) value(src string, line int) string {
	at := r.start
	for range line - r.first {
		at += strings.IndexByte(src[at:], '\n') + 1
	}
	text := src[at:]
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		text = text[:i]
	}
	return text[r.col-1:]
}

// findRuns returns the runs of src in order.
func findRuns(src string) []run {
	var runs []run
	var cur run
	n := 0 // cur's items
	end := func() {
		if n >= minRun {
			cur.last = cur.first + n - 1
			runs = append(runs, cur)
		}
		cur, n = run{}, 0
	}
	line, at := 0, 0
	for rest := src; rest != ""; {
		line++
		text, next := rest, at+len(rest)
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			text, rest, next = rest[:i], rest[i+1:], at+i+1
		} else {
			rest = ""
		}
		col, _, ok := runItem(text)
		switch {
		case ok && n > 0 && col == cur.col:
			n++
			cur.end = at + len(text)
		default:
			end()
			if ok {
				cur = run{first: line, col: col, start: at, end: at + len(text)}
				n = 1
			}
		}
		at = next
	}
	end()
	return runs
}

// runItem reads a line "INDENT- VALUE": the 1-based column of VALUE and
// VALUE, when isRunValue accepts it.
func runItem(line string) (col int, value string, ok bool) {
	i := 0
	for i < len(line) && line[i] == ' ' {
		i++
	}
	if !strings.HasPrefix(line[i:], "- ") || !isRunValue(line[i+2:]) {
		return 0, "", false
	}
	return i + 3, line[i+2:], true
}

// isRunValue reports whether yaml.v3 reads s, written plain as a list item,
// as the !!str scalar s: letters, digits and ".+~-" only (no space, quote,
// comment or indicator), an optional v, digits, then a dot, and at least
// two dots in all. Such a value is no number (at most one dot), no
// timestamp (digits then "-"), no null or boolean, and none of yaml.v3's
// special values (.inf, .nan, <<).
func isRunValue(s string) bool {
	i := 0
	if strings.HasPrefix(s, "v") {
		i = 1
	}
	j := vertext.SkipDigits(s, i)
	if j == i || j == len(s) || s[j] != '.' {
		return false
	}
	dots := 0
	for k := j; k < len(s); k++ {
		c := s[k]
		switch {
		case c == '.':
			dots++
		case c == '+', vertext.IsPart(c):
		default:
			return false
		}
	}
	return dots >= 2
}

// parseRuns parses data reading its runs itself (see minRun); ok is false
// when data has none, or yaml.v3 does not read the lines as runs, or the
// file does not parse: the caller then parses data as it is.
func parseRuns(data []byte) (docs []*yaml.Node, ok bool) {
	if bytes.IndexByte(data, '\r') >= 0 {
		return nil, false // lines end otherwise than findRuns counts them
	}
	if bytes.Count(data, []byte{'\n'})+1 < minRun {
		// too few lines for a run: a manifest is a few dozen (spares
		// the copy of the file and the scan of its lines)
		return nil, false
	}
	src := string(data)
	runs := findRuns(src)
	if len(runs) == 0 {
		return nil, false
	}
	docs, err := decodeAll(blankRuns(src, runs))
	if err != nil {
		return nil, false
	}
	for _, r := range runs {
		if !r.putBack(src, docs) {
			return nil, false
		}
	}
	return docs, true
}

// blankRuns returns src with every line strictly inside a run emptied.
func blankRuns(src string, runs []run) []byte {
	out := make([]byte, 0, len(src))
	line, k := 0, 0
	for rest := src; rest != ""; {
		line++
		text, nl := rest, ""
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			text, nl, rest = rest[:i], "\n", rest[i+1:]
		} else {
			rest = ""
		}
		for k < len(runs) && runs[k].last < line {
			k++
		}
		if k < len(runs) && runs[k].first < line && line < runs[k].last {
			text = ""
		}
		out = append(append(out, text...), nl...)
	}
	return out
}

// decodeAll parses every document of data with yaml.v3.
func decodeAll(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &n)
	}
}

// putBack finds the run's first and last item among docs, adjacent in a
// block list, and puts the items between them back; it reports whether it
// found them, once.
func (r *run) putBack(src string, docs []*yaml.Node) bool {
	firstValue, lastValue := r.value(src, r.first), r.value(src, r.last)
	var list *yaml.Node
	at, found := 0, 0
	stack := slices.Clone(docs)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		stack = append(stack, n.Content...)
		if n.Kind != yaml.SequenceNode || n.Style&yaml.FlowStyle != 0 {
			continue
		}
		for i := 0; i+1 < len(n.Content); i++ {
			if r.isItem(n.Content[i], r.first, firstValue) && r.isItem(n.Content[i+1], r.last, lastValue) {
				list, at = n, i
				found++
			}
		}
	}
	if found != 1 {
		return false
	}
	inner := r.last - r.first - 1
	nodes := make([]yaml.Node, inner)
	content := make([]*yaml.Node, 0, len(list.Content)+inner)
	content = append(content, list.Content[:at+1]...)
	lines := src[r.start:r.end]
	lines = lines[strings.IndexByte(lines, '\n')+1:] // the first item is there already
	for i := range nodes {
		text, _, _ := strings.Cut(lines, "\n")
		lines = lines[len(text)+1:]
		nodes[i] = yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: text[r.col-1:], Line: r.first + 1 + i, Column: r.col}
		content = append(content, &nodes[i])
	}
	list.Content = append(content, list.Content[at+1:]...)
	return true
}

// isItem reports whether n is the plain item value at the run's column on
// the given line.
func (r *run) isItem(n *yaml.Node, line int, value string) bool {
	return n.Kind == yaml.ScalarNode && n.Style == 0 && n.Tag == "!!str" && n.Value == value &&
		n.Line == line && n.Column == r.col && n.Anchor == "" && n.LineComment == ""
}
