package configfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment is one step of a key path: a mapping key, a list index when
// IsIndex is set, or a list selector [Field=Value] when IsSelector is set:
// every item of the list that is a mapping whose Field is the scalar Value.
type Segment struct {
	Key     string
	Index   int
	IsIndex bool

	IsSelector bool
	Field      string
	Value      string
}

// KeyPath is a parsed key such as global.psql.pool, servers[0].port,
// dependencies[name=gitlab].version or global."app.kubernetes.io/name".
type KeyPath []Segment

// MaxIndex bounds list indexes in key paths; no config file has lists this long.
const MaxIndex = 1 << 20

// KeyPathError says where a key path stops making sense. Offset is the 0-based
// byte offset in the key; Column the 1-based character column.
type KeyPathError struct {
	Key    string
	Offset int
	Column int
	Reason string
}

func (e *KeyPathError) Error() string {
	return fmt.Sprintf("invalid key %q at character %d: %s", e.Key, e.Column, e.Reason)
}

// ParseKeyPath reads a key path: segments separated by dots, [n] to index a
// list, and "double quotes" around a segment that contains dots, brackets or
// quotes (\" and \\ escape inside them).
func ParseKeyPath(s string) (KeyPath, error) {
	fail := func(off int, format string, args ...any) (KeyPath, error) {
		return nil, &KeyPathError{Key: s, Offset: off, Column: utf8.RuneCountInString(s[:off]) + 1,
			Reason: fmt.Sprintf(format, args...)}
	}
	if s == "" {
		return fail(0, "the key is empty")
	}
	if !utf8.ValidString(s) {
		return fail(0, "the key is not valid UTF-8")
	}
	var p KeyPath
	i := 0
	needKey := true // at the start or after a dot, a key must follow
	for i < len(s) {
		c := s[i]
		switch {
		case c == '[':
			if needKey && len(p) > 0 {
				return fail(i, "expected a key after '.', found '['")
			}
			seg, n, off, reason := bracket(s[i:])
			if reason != "" {
				return fail(i+off, "%s", reason)
			}
			p = append(p, seg)
			i += n
			needKey = false
			if i < len(s) && s[i] != '.' && s[i] != '[' {
				return fail(i, "expected '.' or '[' after ']'")
			}
		case c == '.':
			if needKey {
				return fail(i, "empty key segment: remove the extra '.'")
			}
			needKey = true
			i++
			if i == len(s) {
				return fail(i-1, "the key ends with '.'")
			}
		case c == '"':
			if !needKey {
				return fail(i, "a quoted segment must follow '.'")
			}
			key, n, reason := unquote(s[i:])
			if reason != "" {
				return fail(i, "%s", reason)
			}
			p = append(p, Segment{Key: key})
			i += n
			needKey = false
			if i < len(s) && s[i] != '.' && s[i] != '[' {
				return fail(i, "expected '.' or '[' after the closing quote")
			}
		case c == ']':
			return fail(i, "']' without '['")
		default:
			if !needKey {
				return fail(i, "expected '.' or '['")
			}
			start := i
			for i < len(s) && !strings.ContainsRune(".[]\"", rune(s[i])) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if unicode.IsControl(r) {
					return fail(i, "control character %q in the key", r)
				}
				i += size
			}
			if i < len(s) && s[i] == '"' {
				return fail(i, "a quote inside a key segment: quote the whole segment, like \"a.b\"")
			}
			p = append(p, Segment{Key: s[start:i]})
			needKey = false
		}
	}
	return p, nil
}

// bracket reads "[n]" or "[field=value]" at the start of s: the segment, the
// bytes it took, or why it is not one and at which offset in s. A field or a
// value that holds '=', ']', '.' or quotes is "double quoted".
func bracket(s string) (Segment, int, int, string) {
	i := 1
	field, ok, n, off, reason := selectorPart(s[i:], "=]")
	if reason != "" {
		return Segment{}, 0, i + off, reason
	}
	i += n
	if i >= len(s) {
		return Segment{}, 0, 0, "'[' is not closed with ']'"
	}
	if s[i] == ']' {
		if ok {
			return Segment{}, 0, 1, "a quoted text in brackets needs '=value': write [field=value]"
		}
		if field == "" {
			return Segment{}, 0, 0, "empty index: write a number like [0] or a selector like [name=web]"
		}
		for j := 0; j < len(field); j++ {
			if field[j] < '0' || field[j] > '9' {
				return Segment{}, 0, 1 + j, fmt.Sprintf("index %q is not a number: write [0], [1], ...", field)
			}
		}
		idx, err := strconv.Atoi(field)
		if err != nil || idx > MaxIndex {
			return Segment{}, 0, 1, fmt.Sprintf("index %q is too large", field)
		}
		return Segment{Index: idx, IsIndex: true}, i + 1, 0, ""
	}
	// s[i] == '='
	if field == "" {
		return Segment{}, 0, i, "a selector needs a field before '=': write [name=web]"
	}
	i++
	value, _, n, off, reason := selectorPart(s[i:], "]")
	if reason != "" {
		return Segment{}, 0, i + off, reason
	}
	i += n
	if i >= len(s) {
		return Segment{}, 0, 0, "'[' is not closed with ']'"
	}
	if value == "" {
		return Segment{}, 0, i, "a selector needs a value after '=': write [name=web]"
	}
	return Segment{IsSelector: true, Field: field, Value: value}, i + 1, 0, ""
}

// selectorPart reads a field or value of a bracket up to one of the stop
// bytes: plain text, or a double-quoted text. It returns the text, whether
// it was quoted, the bytes taken, or why it is not one and where.
func selectorPart(s, stops string) (string, bool, int, int, string) {
	if strings.HasPrefix(s, `"`) {
		text, n, reason := unquote(s)
		if reason != "" {
			return "", false, 0, 0, reason
		}
		if n < len(s) && !strings.ContainsRune(stops, rune(s[n])) {
			return "", false, 0, n, "expected " + describeStops(stops) + " after the closing quote"
		}
		return text, true, n, 0, ""
	}
	for i := 0; i < len(s); {
		c := s[i]
		if strings.IndexByte(stops, c) >= 0 {
			return s[:i], false, i, 0, ""
		}
		switch {
		case c == '[' || c == '"':
			return "", false, 0, i, fmt.Sprintf("%q inside brackets: quote the text, like [name=\"a[0]\"]", c)
		case c == '=':
			return "", false, 0, i, "a second '=' in a selector: quote the value, like [name=\"a=b\"]"
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsControl(r) {
			return "", false, 0, i, fmt.Sprintf("control character %q in the key", r)
		}
		i += size
	}
	return "", false, len(s), 0, ""
}

func describeStops(stops string) string {
	if stops == "]" {
		return "']'"
	}
	return "'=' or ']'"
}

// unquote reads a double-quoted segment at the start of s and returns its
// text, how many bytes it took, or why it is not one.
func unquote(s string) (string, int, string) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			if i == 1 {
				return "", 0, "empty quoted segment"
			}
			return b.String(), i + 1, ""
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '"' && s[i+1] != '\\') {
				return "", 0, `only \" and \\ can be escaped in a quoted segment`
			}
			b.WriteByte(s[i+1])
			i++
		default:
			if c < 0x20 || c == 0x7f {
				return "", 0, fmt.Sprintf("control character %q in the key", rune(c))
			}
			b.WriteByte(c)
		}
	}
	return "", 0, "the quote is not closed"
}

// String writes the path in the syntax ParseKeyPath reads, quoting segments
// only where needed.
func (p KeyPath) String() string {
	var b strings.Builder
	for i, seg := range p {
		if seg.IsIndex {
			fmt.Fprintf(&b, "[%d]", seg.Index)
			continue
		}
		if seg.IsSelector {
			fmt.Fprintf(&b, "[%s=%s]", quoteSelector(seg.Field), quoteSelector(seg.Value))
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(quoteSegment(seg.Key))
	}
	return b.String()
}

func quoteSegment(k string) string {
	if k != "" && !strings.ContainsAny(k, ".[]\"\\") {
		return k
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(k) + `"`
}

func quoteSelector(k string) string {
	if k != "" && !strings.ContainsAny(k, "=[]\"\\") {
		return k
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(k) + `"`
}
