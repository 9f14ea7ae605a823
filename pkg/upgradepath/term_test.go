package upgradepath

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	version "github.com/hashicorp/go-version"
)

func oneTerm(s string) *version.Constraint {
	cs, err := version.NewConstraint(s)
	if err != nil || len(cs) != 1 {
		panic(fmt.Sprintf("term %q: %v", s, err))
	}
	return cs[0]
}

// TestReadTerm reads each operator, the segments as written and padded, and
// leaves to go-version what it cannot read exactly.
func TestReadTerm(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text   string
		op     byte
		si, n  int
		segs   []int64
		refuse bool
	}{
		{text: "1.2.3", op: opEq, si: 3, n: 3, segs: []int64{1, 2, 3}},
		{text: "= 1.2.3", op: opEq, si: 3, n: 3, segs: []int64{1, 2, 3}},
		{text: "!= 1.2", op: opNe, si: 2, n: 3, segs: []int64{1, 2, 0}},
		{text: "> 1", op: opGt, si: 1, n: 3, segs: []int64{1, 0, 0}},
		{text: ">= 0.0.0", op: opGe, si: 3, n: 3, segs: []int64{0, 0, 0}},
		{text: "< 10.20.30", op: opLt, si: 3, n: 3, segs: []int64{10, 20, 30}},
		{text: "<= 1.2.3.4", op: opLe, si: 4, n: 4, segs: []int64{1, 2, 3, 4}},
		{text: "~> 14.0", op: opTilde, si: 2, n: 3, segs: []int64{14, 0, 0}},
		{text: "  >=v1.2  ", op: opGe, si: 2, n: 3, segs: []int64{1, 2, 0}},
		{text: "<1.2.3+build.7", op: opLt, si: 3, n: 3, segs: []int64{1, 2, 3}},
		{text: "1.2.3.4.5.6.7.8", op: opEq, si: 8, n: 8, segs: []int64{1, 2, 3, 4, 5, 6, 7, 8}},
		{text: "= 9223372036854775807", op: opEq, si: 1, n: 3, segs: []int64{1<<63 - 1, 0, 0}},
		{text: "007.08", op: opEq, si: 2, n: 3, segs: []int64{7, 8, 0}},
		{text: "1.2.3.4.5.6.7.8.9", refuse: true}, // more segments than a term holds
		{text: ">= 1.2.3-rc.1", refuse: true},     // pre-releases are go-version's
		{text: "1.2.3beta", refuse: true},
		{text: "~> 1.0-1", refuse: true},
	} {
		got, ok := readTerm(oneTerm(tc.text))
		if ok == tc.refuse {
			t.Errorf("readTerm(%q): ok = %v, want %v", tc.text, ok, !tc.refuse)
			continue
		}
		if tc.refuse {
			continue
		}
		want := term{op: tc.op, si: tc.si, n: tc.n}
		copy(want.segs[:], tc.segs)
		if got != want {
			t.Errorf("readTerm(%q) = %+v, want %+v", tc.text, got, want)
		}
	}
}

// TestReadTermRefusesOddText: text go-version would not have kept for a
// term it parsed is refused rather than misread.
func TestReadTermRefusesOddText(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", ">=", "v", "1.", "1..2", ".1", "1.2.x", "1 2", "92233720368547758070", "9223372036854775808", "1.9223372036854775808"} {
		if got, ok := readTermText(s); ok {
			t.Errorf("readTermText(%q) = %+v, want refused", s, got)
		}
	}
	if got, ok := readTermText("1.9223372036854775807"); !ok || got.segs[1] != 1<<63-1 {
		t.Errorf("readTermText of the largest segment = %+v, %v", got, ok)
	}
}

// TestTermHoldsAtTheEnds checks each operator on the versions just below,
// at and just above the term's, and ~> at the ends of its range.
func TestTermHoldsAtTheEnds(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		term string
		yes  []string
		no   []string
	}{
		{"= 1.2.3", []string{"1.2.3", "1.2.3.0", "v1.2.3+meta"}, []string{"1.2.2", "1.2.4", "1.2.3.1"}},
		{"!= 1.2.3", []string{"1.2.2", "1.2.4", "1.2.3.1"}, []string{"1.2.3", "1.2.3.0"}},
		{"> 1.2.3", []string{"1.2.4", "1.2.3.1", "2"}, []string{"1.2.3", "1.2.3.0", "1.2.2"}},
		{">= 1.2.3", []string{"1.2.3", "1.2.3.0", "1.2.4"}, []string{"1.2.2", "1.2.2.9"}},
		{"< 1.2.3", []string{"1.2.2", "1.2.2.9"}, []string{"1.2.3", "1.2.3.0", "1.2.3.1"}},
		{"<= 1.2.3", []string{"1.2.3", "1.2.3.0", "1.2.2"}, []string{"1.2.3.1", "1.2.4"}},
		{"~> 1.2", []string{"1.2", "1.2.0", "1.9.9", "1.2.0.1"}, []string{"1.1.9", "2.0.0", "0.9"}},
		{"~> 1.2.3", []string{"1.2.3", "1.2.9", "1.2.3.1"}, []string{"1.2.2", "1.3.0", "2.2.3"}},
		{"~> 1.2.3.4", []string{"1.2.3.4", "1.2.3.5", "1.2.3.4.1"}, []string{"1.2.3", "1.2.3.3", "1.2.4.4", "1.2.4"}},
		{"~> 1", []string{"1", "1.0.0", "9.9"}, []string{"0.9.9"}},
		{"~> 1.2.3.0", []string{"1.2.3.0", "1.2.3.5"}, []string{"1.2.3", "1.2.4"}}, // as many segments as the term
	} {
		c := oneTerm(tc.term)
		tm, ok := readTerm(c)
		if !ok {
			t.Fatalf("readTerm(%q) refused", tc.term)
		}
		for _, s := range tc.yes {
			if !tm.holds(v(s).Segments64()) || !c.Check(v(s)) {
				t.Errorf("%q should hold for %s (go-version: %v)", tc.term, s, c.Check(v(s)))
			}
		}
		for _, s := range tc.no {
			if tm.holds(v(s).Segments64()) || c.Check(v(s)) {
				t.Errorf("%q should not hold for %s (go-version: %v)", tc.term, s, c.Check(v(s)))
			}
		}
	}
}

// TestCheckMatchesGoVersion compares Constraint.Check with go-version's
// Check on random constraints and versions of every form go-version
// accepts: short and long segment lists, trailing zeros, v prefixes,
// pre-releases, metadata, spaces.
func TestCheckMatchesGoVersion(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(12, 34))
	ver := func() string {
		var b strings.Builder
		if r.IntN(5) == 0 {
			b.WriteString("v")
		}
		for i := range 1 + r.IntN(5) {
			if i > 0 {
				b.WriteString(".")
			}
			fmt.Fprint(&b, r.IntN(3))
		}
		switch r.IntN(8) {
		case 0:
			b.WriteString("-rc.1")
		case 1:
			b.WriteString("-1")
		case 2:
			b.WriteString("beta")
		}
		if r.IntN(6) == 0 {
			b.WriteString("+build.7")
		}
		return b.String()
	}
	ops := []string{"", "=", "!=", ">", ">=", "<", "<=", "~>"}
	for range 20000 {
		var alts []string
		for range 1 + r.IntN(2) {
			var terms []string
			for range 1 + r.IntN(2) {
				terms = append(terms, strings.Repeat(" ", r.IntN(2))+ops[r.IntN(len(ops))]+strings.Repeat(" ", r.IntN(2))+ver())
			}
			alts = append(alts, strings.Join(terms, ","))
		}
		text := strings.Join(alts, "||")
		c, err := alternatives(text)
		if err != nil {
			t.Fatalf("%q: %v", text, err)
		}
		for range 4 {
			x := v(ver())
			if got, want := c.Check(x), goCheck(c, x); got != want {
				t.Fatalf("%q.Check(%s) = %v, go-version says %v", text, x.Original(), got, want)
			}
		}
	}
}

// TestCheckDoesNotFormat: a check of a plain version allocates at most its
// segments, however many terms the constraint has, where go-version's
// Compare formats both versions on every term (12 allocations here).
func TestCheckDoesNotFormat(t *testing.T) {
	c := constraint(">= 1.6.34, < 1.7 || >= 1.7.20, < 2.0 || ~> 2.1, != 2.1.5")
	x := v("2.1.7")
	if !c.Check(x) {
		t.Fatalf("%q should hold for 2.1.7", c)
	}
	if n := testing.AllocsPerRun(100, func() { c.Check(x) }); n > 1 {
		t.Errorf("Check allocates %v times per call, want at most 1", n)
	}
}

// TestCompareMatchesGoVersion: Compare (and CompareKeys) is go-version's order on versions
// of every form (short and long, trailing zeros, pre-releases, metadata).
func TestCompareMatchesGoVersion(t *testing.T) {
	t.Parallel()
	pool := append(vs("1.2.0.0", "1.2.0.1", "1.2", "1", "2.0.0.0.0", "1.2.3.4", "0.9.9.9", "1.0.0-rc.10", "1.0.0-rc.9"), setUniverse...)
	for _, a := range pool {
		for _, b := range pool {
			if got, want := Compare(a, b), a.Compare(b); got != want {
				t.Errorf("Compare(%s, %s) = %d, want %d", a.Original(), b.Original(), got, want)
			}
			ka, kb := KeyOf(a), KeyOf(b)
			if got, want := CompareKeys(&ka, &kb), a.Compare(b); got != want {
				t.Errorf("CompareKeys(%s, %s) = %d, want %d", a.Original(), b.Original(), got, want)
			}
		}
	}
}
