package yamldoc

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// The fast path. yaml.v3 turns every token into an event, every event into
// a node, allocating each, and spent about a third of a check there. The
// YAML upgrade manifests are made of is a small part of YAML: block
// mappings and sequences, flow sequences and mappings, plain scalars,
// quoted scalars on one line, literal and folded block scalars, comments and
// "---" between documents. fastParse reads that part itself in one pass
// over the text, into the nodes yaml.v3 would give (same Kind, Style, Tag,
// Value, Line, Column and Content; no comments), and declines everything
// else: a construct it does not know, or any doubt about what yaml.v3
// would make of the text. yaml.v3 stays the authority: the caller parses a
// declined file with it, and the differential tests and FuzzFastParse
// hold fastParse to yaml.v3's nodes.
//
// What it declines (non-exhaustive): control characters (tabs, CR), a BOM,
// invalid UTF-8, the line breaks NEL, LS and PS, a non-ASCII first
// character of a plain scalar, anchors, aliases, tags, block scalars kept
// (|+), with an indentation indicator, with lines of spaces only or, when
// folded, with more indented lines, plain and quoted scalars over more
// than one line (but a plain value's continuation lines, see plainMore),
// flow collections over lines flowGap does not take,
// complex keys ("?"), directives and "...", empty documents, empty list
// items, nested lists on one line ("- - x"), merge keys, escapes other
// than \\ \" \n \t, keys over 1,000 bytes, nesting deeper than
// maxFastDepth, and any line at an indentation that no open block
// collection has.

// maxFastDepth bounds the nesting fastParse follows (yaml.v3 allows more;
// a manifest is a handful of levels deep).
const maxFastDepth = 64

// maxFastKey bounds a block key's length: yaml.v3 forgets a possible
// simple key 1,024 characters on and then rejects the ':'.
const maxFastKey = 1000

// fastParser reads src; i is the current offset, ls the offset of the
// current line's start and line its 1-based number. After skipBlank, the
// parser stands at the first character of a content line (neither blank
// nor a comment) of indentation ind, or at the end (eof), and marker is
// '-' or '.' when that line is a document marker ("---" or "...").
type fastParser struct {
	src    string
	i, ls  int
	line   int
	ind    int
	eof    bool
	marker byte
	depth  int
	fail   bool
	wide   bool // src has characters of more than one byte

	nodes    []yaml.Node  // slab the nodes are taken from
	ptrs     []*yaml.Node // slab the Content slices are cut from
	stack    []*yaml.Node // the children of the collections being read
	chunk    int          // the size of the next node slab
	ptrChunk int          // and of the next Content slab
}

// fastParse parses data as yaml.v3's Decoder would, document by document;
// ok is false when data holds anything it does not fully understand.
func fastParse(data []byte) (docs []*yaml.Node, ok bool) {
	est := 4 // the nodes to expect: a document, its top node, ...
	wide := false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if c >= 0x80 {
			// a character yaml.v3 reads as one, not a line break, a BOM or a
			// control character; columns are then counted in characters
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError || r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r >= 0xfffe && r <= 0xffff {
				return nil, false
			}
			wide = true
			i += size - 1
			continue
		}
		if c == 0x7f || c < ' ' && c != '\n' {
			return nil, false
		}
		switch c {
		case ':': // a key and its value
			if i+1 == len(data) || data[i+1] == ' ' || data[i+1] == '\n' {
				est += 2
			}
		case '-': // a list item
			if i+1 < len(data) && data[i+1] == ' ' {
				est++
			}
		case ',', '{': // a flow item, a flow mapping
			est++
		case '[': // a flow sequence and its first item
			est += 2
		}
	}
	// est counts the bytes that may start a node, in comments, quotes and
	// block scalars too, and a declined file pays for its first slab as
	// well: the first slabs are small and grow by doubling up to maxSlab,
	// so that a 1 MiB file of commas costs a few slabs, not 160 MB of
	// nodes held by whoever keeps the documents
	est = min(est, maxFirstSlab)
	p := &fastParser{src: string(data), line: 1, wide: wide, chunk: est, ptrChunk: est}
	// the stack holds at most the nodes not yet collected: sized like the
	// Content slab, it is made once (growing it by doubling to a long
	// list's 20,000 items made 0.7 MB of copies)
	p.stack = make([]*yaml.Node, 0, max(32, est))
	p.skipBlank()
	for !p.eof && !p.fail {
		doc := p.node()
		doc.Kind = yaml.DocumentNode
		explicit := p.marker == '-'
		switch p.marker {
		case '-':
			doc.Line, doc.Column = p.line, 1
			p.i += 3
			p.endLine()
			p.skipBlank()
			if p.eof || p.marker != 0 {
				return nil, false // an empty document
			}
		case '.':
			return nil, false
		default:
			if len(docs) > 0 {
				return nil, false // unreachable: a document ends at a marker
			}
		}
		root := p.block(-1)
		if p.fail || !p.eof && p.marker != '-' {
			return nil, false
		}
		if !explicit {
			doc.Line, doc.Column = root.Line, root.Column
		}
		p.stack = append(p.stack, root)
		doc.Content = p.collect(len(p.stack) - 1)
		docs = append(docs, doc)
	}
	if p.fail {
		return nil, false
	}
	return docs, true
}

// The slabs: the first holds the nodes the file's bytes promise, at most
// maxFirstSlab; each next one twice the last, at least 64 and at most
// maxSlab (a slab is kept whole while any of its nodes is).
const (
	maxFirstSlab = 1024
	maxSlab      = 8192
)

// nextSlab returns the size of the slab after one of size n.
func nextSlab(n int) int { return min(max(64, 2*n), maxSlab) }

// node returns a zero node from the slab.
func (p *fastParser) node() *yaml.Node {
	if len(p.nodes) == 0 {
		p.nodes = make([]yaml.Node, p.chunk)
		p.chunk = nextSlab(p.chunk)
	}
	n := &p.nodes[0]
	p.nodes = p.nodes[1:]
	return n
}

// collect returns the children pushed since base as a Content slice of
// their exact length (nil for none, as yaml.v3 leaves it).
func (p *fastParser) collect(base int) []*yaml.Node {
	n := len(p.stack) - base
	if n == 0 {
		return nil
	}
	if len(p.ptrs) < n {
		p.ptrs = make([]*yaml.Node, max(n, p.ptrChunk))
		p.ptrChunk = nextSlab(p.ptrChunk)
	}
	out := p.ptrs[:n:n]
	p.ptrs = p.ptrs[n:]
	copy(out, p.stack[base:])
	clear(p.stack[base:])
	p.stack = p.stack[:base]
	return out
}

// col returns the 1-based column of offset i on the current line, in
// characters as yaml.v3 counts them.
func (p *fastParser) col(i int) int {
	if p.wide {
		return utf8.RuneCountInString(p.src[p.ls:i]) + 1
	}
	return i - p.ls + 1
}

// at returns the byte at offset i, or 0 at the end.
func (p *fastParser) at(i int) byte {
	if i < len(p.src) {
		return p.src[i]
	}
	return 0
}

// blankz reports whether offset i holds a space, a newline or the end.
func (p *fastParser) blankz(i int) bool {
	c := p.at(i)
	return c == ' ' || c == '\n' || c == 0
}

// skipBlank moves from the start of a line to the first content line.
func (p *fastParser) skipBlank() {
	for {
		p.ls = p.i
		for p.i < len(p.src) && p.src[p.i] == ' ' {
			p.i++
		}
		if p.i == len(p.src) {
			p.eof = true
			return
		}
		switch p.src[p.i] {
		case '\n':
			p.i++
			p.line++
			continue
		case '#':
			p.skipToEOL()
			if p.i < len(p.src) {
				p.i++
				p.line++
			}
			continue
		}
		p.ind = p.i - p.ls
		p.marker = 0
		if p.ind == 0 && len(p.src)-p.i >= 3 && (p.src[p.i:p.i+3] == "---" || p.src[p.i:p.i+3] == "...") && p.blankz(p.i+3) {
			p.marker = p.src[p.i]
		}
		return
	}
}

func (p *fastParser) skipToEOL() {
	if j := strings.IndexByte(p.src[p.i:], '\n'); j >= 0 {
		p.i += j
	} else {
		p.i = len(p.src)
	}
}

// endLine reads the rest of a line after its last token: spaces and a
// comment after at least one space, then the newline (or the end).
func (p *fastParser) endLine() {
	sp := p.i
	for p.i < len(p.src) && p.src[p.i] == ' ' {
		p.i++
	}
	if p.i == len(p.src) {
		return
	}
	switch p.src[p.i] {
	case '\n':
		p.i++
		p.line++
	case '#':
		if p.i == sp {
			p.no() // "x#": yaml.v3 may read it otherwise
			return
		}
		p.skipToEOL()
		if p.i < len(p.src) {
			p.i++
			p.line++
		}
	default:
		p.no()
	}
}

// isEntry reports whether the content line starts with a block sequence
// entry ("-" then a blank).
func (p *fastParser) isEntry() bool {
	return p.src[p.i] == '-' && p.blankz(p.i+1)
}

// block reads the block collection starting on the current content line,
// which is indented more than parent.
func (p *fastParser) block(parent int) *yaml.Node {
	if p.ind <= parent || p.marker != 0 {
		p.no()
		return nil
	}
	if p.depth++; p.depth > maxFastDepth {
		p.no()
		return nil
	}
	defer func() { p.depth-- }()
	if p.isEntry() {
		return p.blockSeq(p.ind, false)
	}
	return p.blockMap(p.ind, nil)
}

// blockMap reads a block mapping whose keys stand at indentation c; the
// first key is at the current offset, at the start of a content line, or
// it is first, read by seqItem after a sequence entry's "- " (the offset
// is then past its ':').
func (p *fastParser) blockMap(c int, first *yaml.Node) *yaml.Node {
	m := p.node()
	m.Kind, m.Tag, m.Line, m.Column = yaml.MappingNode, "!!map", p.line, c+1
	base := len(p.stack)
	for !p.fail {
		k := first
		first = nil
		if k == nil {
			if p.isEntry() {
				p.no() // a list item among keys
				break
			}
			k = p.blockKey()
			if p.fail {
				break
			}
		}
		v := p.blockValue(c)
		p.stack = append(p.stack, k, v)
		if p.fail || p.eof || p.marker != 0 || p.ind < c {
			break
		}
		if p.ind > c {
			p.no()
		}
	}
	m.Content = p.collect(base)
	return m
}

// blockKey reads a key and the ':' after it.
func (p *fastParser) blockKey() *yaml.Node {
	start := p.i
	var k *yaml.Node
	switch c := p.src[p.i]; {
	case c == '"' || c == '\'':
		k = p.quoted()
		if p.fail {
			return nil
		}
		for p.at(p.i) == ' ' {
			p.i++
		}
	case p.plainStart():
		k = p.plain(false)
	default:
		p.no()
		return nil
	}
	if p.fail || p.at(p.i) != ':' || !p.blankz(p.i+1) || p.i-start > maxFastKey {
		p.no()
		return nil
	}
	p.i++
	return k
}

// blockValue reads the value after a block mapping's key at indentation c
// (the offset is just past the ':') and moves to the next content line.
func (p *fastParser) blockValue(c int) *yaml.Node {
	colonLine, colonEnd := p.line, p.col(p.i)
	sp := p.i
	for p.at(p.i) == ' ' {
		p.i++
	}
	if ch := p.at(p.i); ch == '\n' || ch == 0 || ch == '#' && p.i > sp {
		p.i = sp
		p.endLine()
		p.skipBlank()
		if !p.eof && p.marker == 0 {
			if p.ind > c {
				return p.block(c)
			}
			if p.ind == c && p.isEntry() {
				if p.depth++; p.depth > maxFastDepth {
					p.no()
					return nil
				}
				s := p.blockSeq(c, true)
				p.depth--
				return s
			}
		}
		// nothing: a null where the ':' ends, as yaml.v3 places it
		n := p.node()
		n.Kind, n.Tag, n.Line, n.Column = yaml.ScalarNode, "!!null", colonLine, colonEnd
		return n
	}
	if ch := p.src[p.i]; ch == '|' || ch == '>' {
		v := p.blockScalar(c)
		if !p.fail {
			p.skipBlank()
		}
		return v
	}
	v := p.inline(c)
	if p.fail {
		return nil
	}
	p.endLine()
	if p.fail {
		return nil
	}
	p.skipBlank()
	return v
}

// inline reads the value of a key of a block mapping of indentation ind:
// a flow collection, a quoted or a plain scalar (not a key: a ':' after it
// is declined).
func (p *fastParser) inline(ind int) *yaml.Node {
	switch c := p.src[p.i]; {
	case c == '[' || c == '{':
		return p.flow(ind)
	case c == '"' || c == '\'':
		return p.quoted()
	case p.plainStart():
		n := p.plain(false)
		if p.at(p.i) == ':' {
			p.no() // "a: b: c"
		}
		if !p.fail {
			p.plainMore(n, ind)
		}
		return n
	}
	p.no()
	return nil
}

// blockSeq reads a block sequence whose entries stand at indentation c;
// indentless is true for one at its key's indentation, which ends at the
// first line of indentation c that is no entry.
func (p *fastParser) blockSeq(c int, indentless bool) *yaml.Node {
	s := p.node()
	s.Kind, s.Tag, s.Line, s.Column = yaml.SequenceNode, "!!seq", p.line, c+1
	base := len(p.stack)
	for !p.fail {
		p.i++ // the '-'
		if p.at(p.i) != ' ' {
			p.no() // "-" alone: an empty item or one on the next lines
			break
		}
		for p.at(p.i) == ' ' {
			p.i++
		}
		item := p.seqItem(c)
		if p.fail {
			break
		}
		p.stack = append(p.stack, item)
		if p.eof || p.marker != 0 || p.ind < c {
			break
		}
		if p.ind > c {
			p.no()
			break
		}
		if !p.isEntry() {
			if !indentless {
				p.no() // a key among list items
			}
			break
		}
	}
	s.Content = p.collect(base)
	return s
}

// seqItem reads an item of a block sequence of indentation ind after its
// "- " and moves to the next content line.
func (p *fastParser) seqItem(ind int) *yaml.Node {
	start := p.i
	switch c := p.at(p.i); {
	case c == '[' || c == '{':
		n := p.flow(ind)
		if !p.fail {
			p.endLine()
			p.skipBlank()
		}
		return n
	case c == '|' || c == '>':
		n := p.blockScalar(ind)
		if !p.fail {
			p.skipBlank()
		}
		return n
	case c == '"' || c == '\'' || p.plainStart():
		var n *yaml.Node
		if c == '"' || c == '\'' {
			n = p.quoted()
			for !p.fail && p.at(p.i) == ' ' {
				p.i++
			}
		} else {
			n = p.plain(false)
		}
		if p.fail {
			return nil
		}
		if p.at(p.i) == ':' && p.blankz(p.i+1) {
			// "- key: value": a mapping at the key's column
			if p.i-start > maxFastKey {
				p.no()
				return nil
			}
			p.i++
			if p.depth++; p.depth > maxFastDepth {
				p.no()
				return nil
			}
			m := p.blockMap(start-p.ls, n)
			p.depth--
			return m
		}
		if n.Style == 0 {
			p.plainMore(n, ind)
		}
		p.endLine()
		if p.fail {
			return nil
		}
		p.skipBlank()
		return n
	}
	p.no() // "- - x", "- # c", "- &a", "- |", ...
	return nil
}

// plainStart reports whether a plain scalar starts at the offset: not an
// indicator; '-' only before a letter, digit or '.'; not '<' (the merge
// key "<<"), '?' or ':'.
func (p *fastParser) plainStart() bool {
	c := p.at(p.i)
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '-':
		d := p.at(p.i + 1)
		return 'a' <= d && d <= 'z' || 'A' <= d && d <= 'Z' || '0' <= d && d <= '9' || d == '.'
	}
	return strings.IndexByte("./_~$^+=();\\", c) >= 0
}

// plain reads a plain scalar on one line; it stops before ": ", " #", the
// end of the line (trailing spaces dropped) and, in a flow collection,
// before ",[]{}". Where yaml.v3's scanner would do something else (a '?'
// or a ':' before a flow indicator in a flow collection) it fails.
func (p *fastParser) plain(flow bool) *yaml.Node {
	n := p.node()
	n.Kind, n.Line, n.Column = yaml.ScalarNode, p.line, p.col(p.i)
	end, stop, ok := p.scanPlain(p.i, flow)
	if !ok {
		p.no()
		return nil
	}
	n.Value = p.src[p.i:end]
	p.i = stop // at what ends it: a ':', a space, a newline, a flow indicator
	if n.Value == "<<" {
		p.no()
		return nil
	}
	n.Tag = plainTag(n.Value)
	return n
}

// scanPlain scans the line of a plain scalar from offset i: its text ends
// at end, the scan stops at stop (see plain); ok is false where plain
// fails.
func (p *fastParser) scanPlain(i int, flow bool) (end, stop int, ok bool) {
	end = i
	for i < len(p.src) {
		switch c := p.src[i]; c {
		case '\n':
			return end, i, true
		case ' ':
			j := i + 1
			for j < len(p.src) && p.src[j] == ' ' {
				j++
			}
			if j == len(p.src) || p.src[j] == '\n' || p.src[j] == '#' {
				return end, i, true // at the first space: the caller reads the rest
			}
			i = j
		case ':':
			d := p.at(i + 1)
			if d == ' ' || d == '\n' || d == 0 {
				return end, i, true
			}
			if flow && strings.IndexByte(",[]{}", d) >= 0 {
				return 0, 0, false
			}
			i++
			end = i
		case ',', '[', ']', '{', '}':
			if flow {
				return end, i, true
			}
			i++
			end = i
		case '?':
			if flow {
				return 0, 0, false
			}
			i++
			end = i
		default:
			i++
			end = i
		}
	}
	return end, i, true
}

// plainMore reads the lines a plain scalar n in a block collection of
// indentation c continues on, as yaml.v3's scanner does: every following
// line indented more than c and not a comment, its text joined to the
// scalar's by a space, or by a line break for each empty line between
// them. It declines a line that starts with anything a plain scalar may
// not start with, or one with a ": " (yaml.v3 rejects it), and leaves the
// offset after the scalar's last line's text.
func (p *fastParser) plainMore(n *yaml.Node, c int) {
	j := p.i
	for p.at(j) == ' ' {
		j++
	}
	if p.at(j) != '\n' {
		return // a comment, the end
	}
	var b []byte
	empties := 0
	for line := p.line; p.at(j) == '\n'; {
		j++
		line++
		ls := j
		for p.at(j) == ' ' {
			j++
		}
		d := p.at(j)
		if d == '\n' {
			empties++
			continue
		}
		if d == 0 || d == '#' || j-ls <= c {
			break // the scalar ended on the line before
		}
		at := p.i
		p.i, p.ls, p.line = j, ls, line
		if !p.plainStart() {
			p.i = at
			p.no()
			return
		}
		end, stop, ok := p.scanPlain(j, false)
		if !ok || p.at(stop) == ':' {
			p.no() // "a: b\n  c: d"
			return
		}
		if b == nil {
			b = append(b, n.Value...)
		}
		if empties == 0 {
			b = append(b, ' ')
		}
		for range empties {
			b = append(b, '\n')
		}
		b = append(b, p.src[j:end]...)
		empties = 0
		p.i = stop
		for j = stop; p.at(j) == ' '; j++ {
		}
	}
	if b != nil {
		n.Value = string(b)
		n.Tag = plainTag(n.Value)
	}
}

// plainTag returns the tag yaml.v3 gives a plain scalar of value v, by
// yaml.v3's own resolution (Node.ShortTag), skipped only where it is sure
// to say "!!str" at the first byte: yaml.v3's resolve tries a plain scalar
// as anything but a string only when it starts with a sign, a digit, a
// dot or one of "yYnNtTfFoO~" (its resolveTable); the differential test
// and FuzzFastParse hold plainTag to yaml.v3's tags. The others are
// remembered in tagCache: yaml.v3 tries versions, dates and numbers as
// timestamps, integers and floats (a regular expression among them), and
// allocates for every answer.
func plainTag(v string) string {
	if v == "" {
		return "!!null"
	}
	if strings.IndexByte("+-0123456789.yYnNtTfFoO~", v[0]) < 0 {
		return "!!str"
	}
	if isRunValue(v) {
		return "!!str" // a version: see isRunValue (a policy's thousands of releases would churn tagCache)
	}
	if len(v) > maxCachedTag {
		return (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
	}
	slot := &tagCache[maphash.String(tagCacheSeed, v)%uint64(len(tagCache))]
	if c := slot.Load(); c != nil && c.value == v {
		return c.tag
	}
	tag := (&yaml.Node{Kind: yaml.ScalarNode, Value: v}).ShortTag()
	slot.Store(&cachedTag{strings.Clone(v), tag})
	return tag
}

// tagCache remembers the tags of plain scalars plainTag asked yaml.v3 for:
// a slot holds one value (a copy, not a piece of a file) and its tag; a
// value that finds its slot taken by another takes it over.
var (
	tagCache     [4096]atomic.Pointer[cachedTag]
	tagCacheSeed = maphash.MakeSeed()
)

type cachedTag struct{ value, tag string }

// maxCachedTag bounds the values tagCache keeps.
const maxCachedTag = 64

// quoted reads a single- or double-quoted scalar that ends on its line.
func (p *fastParser) quoted() *yaml.Node {
	n := p.node()
	n.Kind, n.Tag, n.Line, n.Column = yaml.ScalarNode, "!!str", p.line, p.col(p.i)
	q := p.src[p.i]
	p.i++
	start := p.i
	if q == '\'' {
		n.Style = yaml.SingleQuotedStyle
		var b []byte
		for {
			j := strings.IndexAny(p.src[p.i:], "'\n")
			if j < 0 || p.src[p.i+j] == '\n' {
				p.no()
				return nil
			}
			p.i += j
			if p.at(p.i+1) != '\'' {
				break
			}
			b = append(b, p.src[start:p.i+1]...)
			p.i += 2
			start = p.i
		}
		return p.endQuoted(n, b, start)
	}
	n.Style = yaml.DoubleQuotedStyle
	var b []byte
	for {
		j := strings.IndexAny(p.src[p.i:], "\"\\\n")
		if j < 0 || p.src[p.i+j] == '\n' {
			p.no()
			return nil
		}
		p.i += j
		if p.src[p.i] == '"' {
			break
		}
		var e byte
		switch p.at(p.i + 1) {
		case '\\':
			e = '\\'
		case '"':
			e = '"'
		case 'n':
			e = '\n'
		case 't':
			e = '\t'
		default:
			p.no()
			return nil
		}
		b = append(append(b, p.src[start:p.i]...), e)
		p.i += 2
		start = p.i
	}
	return p.endQuoted(n, b, start)
}

// endQuoted ends a quoted scalar at its closing quote (p.i): its value is
// b, what was unescaped before start, and the text from start on (a
// substring of src when nothing was unescaped).
func (p *fastParser) endQuoted(n *yaml.Node, b []byte, start int) *yaml.Node {
	if b == nil {
		n.Value = p.src[start:p.i]
	} else {
		n.Value = string(append(b, p.src[start:p.i]...))
	}
	p.i++
	return n
}

// blockScalar reads a literal (|) or folded (>) block scalar, the value of
// a block collection of indentation c, clipped or stripped (-) of its last
// line break, its indentation found from its first line. It declines a
// kept (+) or an indicated indentation, an empty scalar, a line of spaces
// only, and in a folded one a more indented line (yaml.v3 keeps its line
// breaks). It leaves the offset at the start of the line that ends it.
func (p *fastParser) blockScalar(c int) *yaml.Node {
	n := p.node()
	n.Kind, n.Tag, n.Line, n.Column = yaml.ScalarNode, "!!str", p.line, p.col(p.i)
	literal := p.src[p.i] == '|'
	n.Style = yaml.FoldedStyle
	if literal {
		n.Style = yaml.LiteralStyle
	}
	p.i++
	strip := p.at(p.i) == '-'
	if strip {
		p.i++
	}
	sp := p.i
	for p.at(p.i) == ' ' {
		p.i++
	}
	if p.at(p.i) == '#' && p.i > sp {
		p.skipToEOL()
	}
	if p.at(p.i) != '\n' {
		p.no() // "|+", "|2", "|x", "|#", the end of the file
		return nil
	}
	p.i++
	p.line++
	var b []byte
	ind, empties := -1, 0 // the content's indentation; empty lines since the last line
	started, broken := false, false
	for p.i < len(p.src) {
		ls := p.i
		j := ls
		for p.at(j) == ' ' {
			j++
		}
		switch p.at(j) {
		case '\n':
			if j > ls {
				p.no() // a line of spaces: yaml.v3 weighs their number
				return nil
			}
			empties++
			p.i = j + 1
			p.line++
			continue
		case 0:
			if j > ls {
				p.no()
				return nil
			}
			p.i = j
			continue
		}
		if ind < 0 {
			if j-ls <= c {
				p.no() // an empty block scalar
				return nil
			}
			ind = j - ls
		}
		if j-ls < ind {
			break // the line after the scalar
		}
		eol := strings.IndexByte(p.src[j:], '\n')
		if eol < 0 {
			eol = len(p.src)
		} else {
			eol += j
		}
		text := p.src[ls+ind : eol]
		if !literal && text[0] == ' ' {
			p.no() // a more indented line of a folded scalar
			return nil
		}
		switch {
		case !started:
		case literal || empties > 0:
			if literal {
				b = append(b, '\n')
			}
		default:
			b = append(b, ' ')
		}
		for range empties {
			b = append(b, '\n')
		}
		b = append(b, text...)
		started, empties = true, 0
		broken = eol < len(p.src)
		p.i = eol
		if broken {
			p.i++
			p.line++
		}
	}
	if !started {
		p.no() // an empty block scalar at the end
		return nil
	}
	if broken && !strip {
		b = append(b, '\n')
	}
	n.Value = string(b)
	return n
}

// flow reads a flow sequence or mapping inside a block collection of
// indentation c. It may span lines, between its items (not inside one,
// nor between a key and its value), when every line it continues on is
// indented more than c.
func (p *fastParser) flow(c int) *yaml.Node {
	if p.depth++; p.depth > maxFastDepth {
		p.no()
		return nil
	}
	defer func() { p.depth-- }()
	n := p.node()
	n.Line, n.Column, n.Style = p.line, p.col(p.i), yaml.FlowStyle
	mapping := p.src[p.i] == '{'
	closer := byte(']')
	n.Kind, n.Tag = yaml.SequenceNode, "!!seq"
	if mapping {
		n.Kind, n.Tag, closer = yaml.MappingNode, "!!map", '}'
	}
	p.i++
	base := len(p.stack)
	p.flowGap(c)
	if p.at(p.i) == closer {
		p.i++
		return n
	}
	for !p.fail {
		if mapping {
			start := p.i
			k := p.flowScalar()
			if p.fail {
				break
			}
			p.flowSpaces()
			if p.at(p.i) != ':' || p.at(p.i+1) != ' ' || p.i-start > maxFastKey {
				p.no() // "{a}", "{"a":b}", "{a:}"
				break
			}
			p.i++
			p.flowSpaces()
			p.stack = append(p.stack, k)
		}
		var v *yaml.Node
		if d := p.at(p.i); d == '[' || d == '{' {
			v = p.flow(c)
		} else {
			v = p.flowScalar()
		}
		if p.fail {
			break
		}
		p.stack = append(p.stack, v)
		p.flowGap(c)
		switch p.at(p.i) {
		case ',':
			p.i++
			p.flowGap(c)
			if p.at(p.i) != closer {
				continue
			}
			p.i++ // after a trailing comma
		case closer:
			p.i++
		default:
			p.no() // "[a: b]", a comment or the line's end
		}
		break
	}
	n.Content = p.collect(base)
	return n
}

// flowGap skips spaces, comments and line breaks between the tokens of a
// flow collection inside a block collection of indentation c; a line with
// anything on it must be indented more than c, or by c when it starts with
// the closing bracket (yaml.v3 does not require it, nor does it have to be
// taken: a document marker at the start of a line is not).
func (p *fastParser) flowGap(c int) {
	for {
		sp := p.i
		for p.at(p.i) == ' ' {
			p.i++
		}
		switch p.at(p.i) {
		case '#':
			if p.i == sp {
				p.no() // "[x,#c": a comment after no space
				return
			}
			p.skipToEOL()
			if p.i == len(p.src) {
				return
			}
		case '\n':
		default:
			return
		}
		p.i++
		p.line++
		p.ls = p.i
		j := p.i
		for p.at(j) == ' ' {
			j++
		}
		if d := p.at(j); d != '\n' && d != 0 && j-p.ls <= c && !(j-p.ls == c && (d == ']' || d == '}')) {
			p.no()
			return
		}
	}
}

// flowSpaces skips spaces inside a flow collection.
func (p *fastParser) flowSpaces() {
	for p.at(p.i) == ' ' {
		p.i++
	}
}

// flowScalar reads a quoted or plain scalar inside a flow collection.
func (p *fastParser) flowScalar() *yaml.Node {
	switch c := p.at(p.i); {
	case c == '"' || c == '\'':
		return p.quoted()
	case p.plainStart():
		return p.plain(true)
	}
	p.no()
	return nil
}

// no declines the file.
func (p *fastParser) no() { p.fail = true }
