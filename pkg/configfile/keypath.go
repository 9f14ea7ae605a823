package configfile

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment is one step of a key path: a mapping key, or a list index when
// IsIndex is set.
type Segment struct {
	Key     string
	Index   int
	IsIndex bool
}

// KeyPath is a parsed key such as global.psql.pool, servers[0].port or
// global."app.kubernetes.io/name".
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
			end := strings.IndexByte(s[i:], ']')
			if end < 0 {
				return fail(i, "'[' is not closed with ']'")
			}
			digits := s[i+1 : i+end]
			if digits == "" {
				return fail(i, "empty index: write a number like [0]")
			}
			for j := 0; j < len(digits); j++ {
				if digits[j] < '0' || digits[j] > '9' {
					return fail(i+1+j, "index %q is not a number: write [0], [1], ...", digits)
				}
			}
			n, err := strconv.Atoi(digits)
			if err != nil || n > MaxIndex {
				return fail(i+1, "index %q is too large", digits)
			}
			p = append(p, Segment{Index: n, IsIndex: true})
			i += end + 1
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
