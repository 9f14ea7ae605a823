package upgradepath

import (
	"strings"

	version "github.com/hashicorp/go-version"
)

// A term is one comparison of a constraint (">= 1.6.34") read back from its
// text without go-version, so that checking it compares segments instead of
// formatting both versions as strings, as go-version's Compare does on every
// call. readTerm accepts only a term whose version has no pre-release; a
// term with one, and any version with one, are left to go-version, whose
// pre-release rules they need.
type term struct {
	op   byte // opEq, opNe, opGt, opGe, opLt, opLe or opTilde
	si   int  // segments written: ~> 1.2 keeps the major, ~> 1.2.0 the minor
	n    int  // segments compared: si, at least 3, as go-version pads them
	segs [maxTermSegments]int64
}

// Operators of a term.
const (
	opEq byte = iota + 1
	opNe
	opGt
	opGe
	opLt
	opLe
	opTilde
)

// maxTermSegments bounds the segments readTerm reads; a longer version is
// left to go-version.
const maxTermSegments = 8

// termOps are the operators as go-version's constraint pattern tries them:
// the two-character ones first; no operator means equality.
var termOps = [...]struct {
	text string
	op   byte
}{{"<=", opLe}, {">=", opGe}, {"!=", opNe}, {"~>", opTilde}, {"<", opLt}, {">", opGt}, {"=", opEq}}

// readTerm reads the operator and the version of c from its text, which
// go-version accepted as `\s*OP\s*VERSION\s*`. ok is false when the version
// has a pre-release, more than maxTermSegments segments or a segment beyond
// int64, or the text is not of that shape; c.Check then decides.
func readTerm(c *version.Constraint) (t term, ok bool) {
	return readTermText(c.String())
}

// readTermText is readTerm on a term's text.
func readTermText(s string) (t term, ok bool) {
	s = strings.TrimSpace(s)
	t.op = opEq
	for _, o := range termOps {
		if strings.HasPrefix(s, o.text) {
			t.op, s = o.op, strings.TrimSpace(s[len(o.text):])
			break
		}
	}
	s = strings.TrimPrefix(s, "v")
	for {
		i, x := 0, int64(0)
		for ; i < len(s) && isDigit(s[i]); i++ {
			d := int64(s[i] - '0')
			if x > (1<<63-1-d)/10 {
				return term{}, false // beyond int64: go-version refuses it
			}
			x = 10*x + d
		}
		if i == 0 || t.si == maxTermSegments {
			return term{}, false
		}
		t.segs[t.si], t.si, s = x, t.si+1, s[i:]
		if len(s) < 2 || s[0] != '.' || !isDigit(s[1]) {
			break
		}
		s = s[1:]
	}
	// what follows the segments is metadata (+build.7), which never
	// counts, or a pre-release, which go-version's rules decide
	if s != "" && s[0] != '+' {
		return term{}, false
	}
	t.n = max(t.si, 3)
	return t, true
}

// holds reports whether a version without a pre-release, whose segments
// are vs (as go-version pads them: at least 3), satisfies t. Both without a
// pre-release, go-version orders the versions by their segments, missing
// ones counting as 0.
func (t *term) holds(vs []int64) bool {
	c := comparePadded(vs, t.segs[:t.n])
	switch t.op {
	case opEq:
		return c == 0
	case opNe:
		return c != 0
	case opGt:
		return c > 0
	case opGe:
		return c >= 0
	case opLt:
		return c < 0
	case opLe:
		return c <= 0
	}
	// ~>: at least the term's version, with as many segments, and the same
	// segments but the last one written (at least the term's version with
	// that prefix implies at least its last segment)
	if c < 0 || t.n > len(vs) {
		return false
	}
	for i := 0; i < t.si-1; i++ {
		if vs[i] != t.segs[i] {
			return false
		}
	}
	return true
}

// checkTerm reports whether v satisfies c, as c.Check(v) does; vs is v's
// segments when v has no pre-release, else nil.
func checkTerm(c *version.Constraint, v *version.Version, vs []int64) bool {
	if vs != nil {
		if t, ok := readTerm(c); ok {
			return t.holds(vs)
		}
	}
	return c.Check(v)
}

// plainSegments returns v's segments when v has no pre-release, else nil.
func plainSegments(v *version.Version) []int64 {
	if v.Prerelease() != "" {
		return nil
	}
	return v.Segments64()
}
