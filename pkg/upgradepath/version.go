package upgradepath

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/internal/vertext"
)

// Version is a release as the engine reads it: go-version's segments,
// pre-release and metadata, read by ParseVersion without go-version's
// regular expression (a policy lists thousands of releases, and that
// expression was most of reading them). The *version.Version is made only
// when a caller asks for it (Go), once: most releases are only ordered and
// counted, which the segments decide. A Version is never changed once
// made, and safe for concurrent use.
type Version struct {
	text string
	pre  string
	buf  [3]int64 // the segments of a version of up to three (missing ones are 0)
	more *[]int64 // the segments of a longer one, else nil (a slice here was 16 bytes more per release)
	gv   atomic.Pointer[version.Version]
	// the metadata is not held: metadata reads it from the text (a policy
	// lists thousands of releases, and 16 bytes each are fresh memory)
}

// ParseVersion reads s exactly as go-version's version.NewVersion does: it
// accepts the same strings, with the same segments, pre-release and
// metadata, and fails with the same error text ("malformed version: …",
// "error parsing version: …" for a segment out of range). That is: an
// optional v; numbers separated by dots; then an optional pre-release,
// either "-" and a part starting with a digit, or an optional "-" and a
// part starting with a letter, "-" or "~" (so "1.0a" and "1.0-" are
// versions); then optional metadata after "+"; every part of letters,
// digits, "-" and "~", parts separated by dots.
func ParseVersion(s string) (*Version, error) {
	v := &Version{}
	if err := v.parse(s); err != nil {
		return nil, err
	}
	return v, nil
}

// A Batch makes the Versions of many texts with one allocation (a policy's
// releases): NewBatch(n) holds n. Not for concurrent use.
type Batch struct{ free []Version }

// NewBatch returns a Batch of n Versions.
func NewBatch(n int) *Batch { return &Batch{free: make([]Version, max(n, 0))} }

// Parse is ParseVersion, the Version taken from the batch (a new one once
// the batch is used up). A nil Batch is ParseVersion.
func (b *Batch) Parse(s string) (*Version, error) {
	if b == nil || len(b.free) == 0 {
		return ParseVersion(s)
	}
	v := &b.free[0]
	if err := v.parse(s); err != nil {
		return nil, err
	}
	b.free = b.free[1:]
	return v, nil
}

// parse reads s into the zero Version v; on an error v is unchanged.
func (v *Version) parse(s string) error {
	i := 0
	if i < len(s) && s[i] == 'v' {
		i++
	}
	segStart := i
	if i = vertext.SkipDigits(s, i); i == segStart {
		return malformed(s)
	}
	segEnd, n := i, 1
	for i+1 < len(s) && s[i] == '.' && isDigit(s[i+1]) {
		i = vertext.SkipDigits(s, i+1)
		segEnd = i
		n++
	}
	var pre string
	if i < len(s) && s[i] != '+' {
		start := -1
		switch c := s[i]; {
		case c == '-' && i+1 < len(s) && isDigit(s[i+1]):
			start = i + 1 // "-" and a part starting with a digit
		case c == '-' && i+1 < len(s) && isLead(s[i+1]):
			start = i + 1 // the optional "-" taken, the part starts with a letter, "-" or "~"
		case isLead(c):
			start = i // no "-", or a lone "-" that starts the part itself
		}
		if start < 0 {
			return malformed(s)
		}
		if i = vertext.SkipParts(s, start); i < 0 {
			return malformed(s)
		}
		pre = s[start:i]
	}
	if i < len(s) && s[i] == '+' {
		if i = vertext.SkipParts(s, i+1); i < 0 {
			return malformed(s)
		}
	}
	if i != len(s) {
		return malformed(s)
	}
	segs := v.buf[:]
	var more *[]int64 // only a longer version allocates
	if n > len(v.buf) {
		long := make([]int64, n)
		segs, more = long, &long
	}
	k := 0
	for j := segStart; j < segEnd; k++ {
		e := vertext.SkipDigits(s, j)
		if e-j <= 18 { // no overflow: strconv.ParseInt was a third of the time
			var x int64
			for _, c := range []byte(s[j:e]) {
				x = x*10 + int64(c-'0')
			}
			segs[k] = x
		} else if x, err := strconv.ParseInt(s[j:e], 10, 64); err == nil {
			segs[k] = x
		} else {
			clear(v.buf[:])
			return fmt.Errorf("error parsing version: %s", err)
		}
		j = e + 1
	}
	v.text, v.pre, v.more = s, pre, more
	return nil
}

// FromGo returns the Version of a go-version version (nil for nil), for
// releases that come as go-version versions (vendor files, tests).
func FromGo(gv *version.Version) *Version {
	if gv == nil {
		return nil
	}
	v := &Version{text: gv.Original(), pre: gv.Prerelease()}
	if segs := gv.Segments64(); len(segs) == len(v.buf) {
		copy(v.buf[:], segs)
	} else {
		v.more = &segs
	}
	v.gv.Store(gv)
	return v
}

// Go returns the version as go-version's, made on the first call (by
// version.NewVersion of the same text, which ParseVersion accepted, or
// shared with a caller that made it before: SharedGo).
func (v *Version) Go() *version.Version {
	if gv := v.gv.Load(); gv != nil {
		return gv
	}
	gv, err := SharedGo(v.text)
	if err != nil {
		// ParseVersion accepts what NewVersion accepts (TestParseVersion,
		// FuzzParseVersion); should they ever differ, the canonical text
		// of the same segments, pre-release and metadata is a version.
		gv, _ = version.NewVersion(v.String())
	}
	v.gv.CompareAndSwap(nil, gv)
	return v.gv.Load()
}

// String returns the version as go-version's String writes it: segments
// (at least three), then "-" and the pre-release, "+" and the metadata.
func (v *Version) String() string {
	var b []byte
	for i, x := range v.segments() {
		if i > 0 {
			b = append(b, '.')
		}
		b = strconv.AppendInt(b, x, 10)
	}
	if v.pre != "" {
		b = append(append(b, '-'), v.pre...)
	}
	if meta := v.metadata(); meta != "" {
		b = append(append(b, '+'), meta...)
	}
	return string(b)
}

// segments returns go-version's segments: at least three, missing ones 0.
func (v *Version) segments() []int64 {
	if v.more != nil {
		return *v.more
	}
	return v.buf[:]
}

// metadata returns the metadata ("k3s1" of 1.30.0+k3s1): what follows
// the first "+" of the text, as in parse and go-version's expression
// (neither the segments nor a pre-release hold a "+", and the metadata
// runs to the end), also for FromGo's text, go-version's original.
func (v *Version) metadata() string {
	if i := strings.IndexByte(v.text, '+'); i >= 0 {
		return v.text[i+1:]
	}
	return ""
}

// Original returns the text the version was read from.
func (v *Version) Original() string { return v.text }

// Prerelease returns the pre-release ("rc.1" of 1.30.0-rc.1), or "".
func (v *Version) Prerelease() string { return v.pre }

// SharedGo returns version.NewVersion(s), the same *version.Version for
// the same text to every caller while at most maxShared are held (about
// 1 MiB): a run reads the same few thousand versions in every manifest,
// and a path's stops are mostly its policy's required stops. A
// *version.Version is never changed once made.
func SharedGo(s string) (*version.Version, error) {
	if v, ok := shared.Load(s); ok {
		return v.(*version.Version), nil
	}
	v, err := version.NewVersion(s)
	if err != nil {
		return nil, err
	}
	if sharedHeld.Add(1) <= maxShared {
		got, _ := shared.LoadOrStore(s, v)
		return got.(*version.Version), nil
	}
	return v, nil
}

var (
	shared     sync.Map // text -> *version.Version
	sharedHeld atomic.Int64
)

const maxShared = 8192

func malformed(s string) error { return fmt.Errorf("malformed version: %s", s) }

// isLead reports whether c may start a pre-release part that does not
// start with a digit.
func isLead(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '~' }
