// Package jsonpos reads JSON into a tree whose every value knows its line
// and column, so that findings about a vendor file (an endoflife.date
// product, an update graph) can point at the entry they are about. A file
// that is not JSON is an *Error with the line where reading stopped.
package jsonpos

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/upgradegate/upgradegate/pkg/internal/textpos"
)

// MaxDepth bounds the nesting of objects and arrays.
const MaxDepth = 64

// Kind is a JSON value's kind.
type Kind int

// The kinds of JSON values.
const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

var kindNames = [...]string{"null", "a boolean", "a number", "a string", "an array", "an object"}

func (k Kind) String() string { return kindNames[k] }

// Pos is a 1-based line and column (in characters).
type Pos struct{ Line, Column int }

// Node is one JSON value.
type Node struct {
	Kind   Kind
	Pos    Pos
	Str    string // a string's value, a number's text, "true"/"false"
	Fields []Field
	Items  []*Node
}

// Field is one member of an object.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Node
}

// Get returns the value of an object's member key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil || n.Kind != Object {
		return nil
	}
	for _, f := range n.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// Error is a file that is not JSON, with where reading stopped.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Pos.Line, e.Pos.Column, e.Msg)
}

type parser struct {
	data  []byte
	lines *textpos.Lines
	dec   *json.Decoder
}

// Parse reads one JSON value (and nothing after it but white space).
func Parse(data []byte) (*Node, error) {
	p := &parser{data: data, lines: textpos.New(data)}
	if !utf8.Valid(data) {
		return nil, &Error{Pos: p.pos(textpos.InvalidUTF8(data)), Msg: "invalid UTF-8"}
	}
	p.dec = json.NewDecoder(bytes.NewReader(data))
	p.dec.UseNumber()
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	after := p.start(int(p.dec.InputOffset()))
	if _, err := p.dec.Token(); err != io.EOF {
		return nil, &Error{Pos: p.pos(after), Msg: "data after the JSON value"}
	}
	return n, nil
}

// start is the offset of the token that follows off.
func (p *parser) start(off int) int {
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

func (p *parser) pos(off int) Pos {
	line, col := p.lines.At(off)
	return Pos{Line: line, Column: col}
}

func (p *parser) fail(err error) error {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off := int(se.Offset)
		// the decoder's offset is sometimes at the character it names,
		// sometimes just after it
		if c, ok := strings.CutPrefix(se.Error(), "invalid character '"); ok && off > 0 && off <= len(p.data) && len(c) > 0 && p.data[off-1] == c[0] {
			off--
		}
		return &Error{Pos: p.pos(off), Msg: se.Error()}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &Error{Pos: p.pos(len(p.data)), Msg: "unexpected end of file (truncated?)"}
	}
	return &Error{Pos: p.pos(int(p.dec.InputOffset())), Msg: err.Error()}
}

func (p *parser) token() (json.Token, Pos, error) {
	off := p.start(int(p.dec.InputOffset()))
	tok, err := p.dec.Token()
	if err != nil {
		return nil, Pos{}, p.fail(err)
	}
	return tok, p.pos(off), nil
}

func (p *parser) value(depth int) (*Node, error) {
	tok, at, err := p.token()
	if err != nil {
		return nil, err
	}
	return p.valueOf(tok, at, depth)
}

func (p *parser) valueOf(tok json.Token, at Pos, depth int) (*Node, error) {
	n := &Node{Pos: at}
	switch t := tok.(type) {
	case nil:
		n.Kind = Null
	case bool:
		n.Kind, n.Str = Bool, fmt.Sprint(t)
	case json.Number:
		n.Kind, n.Str = Number, t.String()
	case string:
		n.Kind, n.Str = String, t
	case json.Delim:
		if depth >= MaxDepth {
			return nil, &Error{Pos: at, Msg: fmt.Sprintf("nested deeper than %d levels", MaxDepth)}
		}
		switch t {
		case '{':
			n.Kind = Object
			for p.dec.More() {
				ktok, kat, err := p.token()
				if err != nil {
					return nil, err
				}
				key, _ := ktok.(string)
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Fields = append(n.Fields, Field{Key: key, KeyPos: kat, Value: v})
			}
		case '[':
			n.Kind = Array
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, v)
			}
		default:
			return nil, &Error{Pos: at, Msg: fmt.Sprintf("unexpected %q", rune(t))}
		}
		if _, _, err := p.token(); err != nil { // the closing delimiter
			return nil, err
		}
	}
	return n, nil
}
