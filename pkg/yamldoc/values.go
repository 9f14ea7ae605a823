package yamldoc

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/internal/vertext"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

var durationPart = regexp.MustCompile(`(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w)`)

// ParseDuration reads a Go duration extended with d (24h) and w (7d):
// "45m", "14d", "1w2d", "36h".
func ParseDuration(s string) (time.Duration, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return 0, fmt.Errorf("empty duration")
	}
	if t == "0" {
		return 0, nil
	}
	rest := t
	var total time.Duration
	for rest != "" {
		loc := durationPart.FindStringSubmatchIndex(rest)
		if loc == nil || loc[0] != 0 {
			return 0, fmt.Errorf("invalid duration %q: write a number and a unit (s, m, h, d, w), like 45m or 14d", s)
		}
		num, unit := rest[loc[2]:loc[3]], rest[loc[4]:loc[5]]
		var d time.Duration
		switch unit {
		case "d", "w":
			f, err := strconv.ParseFloat(num, 64)
			if err != nil {
				return 0, fmt.Errorf("invalid duration %q", s)
			}
			day := 24 * time.Hour
			if unit == "w" {
				day *= 7
			}
			d = time.Duration(f * float64(day))
		default:
			var err error
			d, err = time.ParseDuration(num + unit)
			if err != nil {
				return 0, fmt.Errorf("invalid duration %q", s)
			}
		}
		total += d
		rest = rest[loc[1]:]
	}
	if total < 0 || total > 100*365*24*time.Hour {
		return 0, fmt.Errorf("duration %q is out of range", s)
	}
	return total, nil
}

// ParseTime reads a date (2006-01-02, taken as midnight UTC) or an RFC 3339
// timestamp.
func ParseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, ok := parseDate(s); ok {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid date %q: write YYYY-MM-DD or an RFC 3339 time like 2026-12-01T22:00:00Z", s)
}

// IsDateOnly reports whether s is a plain YYYY-MM-DD date.
func IsDateOnly(s string) bool {
	_, ok := parseDate(strings.TrimSpace(s))
	return ok
}

// parseDate reads a plain YYYY-MM-DD date. Only ten bytes can be one, so
// another length is refused without time.Parse's error (an RFC 3339 time
// is tried as a date first).
func parseDate(s string) (time.Time, bool) {
	if len(s) != len("2006-01-02") {
		return time.Time{}, false
	}
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// ParseURL accepts absolute http and https URLs.
func ParseURL(s string) error {
	if plainHTTPURL(strings.TrimSpace(s)) {
		return nil
	}
	return parseURL(s)
}

// parseURL is ParseURL by net/url alone.
func parseURL(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid URL %q: expected an absolute http(s) URL", s)
	}
	return nil
}

// plainHTTPURL reports whether s is a URL that ParseURL accepts, judged
// without net/url (whose parse allocates) for the URLs manifests are full
// of: "http://" or "https://", a host of letters, digits, dots and dashes,
// then nothing or a path of letters, digits and "-._~/". Anything else
// (a query, a port, escapes, upper case in the scheme) is left to net/url.
func plainHTTPURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		if rest, ok = strings.CutPrefix(s, "http://"); !ok {
			return false
		}
	}
	host := true
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '.', c == '-':
		case c == '/':
			if i == 0 {
				return false // no host
			}
			host = false
		case !host && (c == '_' || c == '~'):
		default:
			return false
		}
	}
	return rest != ""
}

// VersionPattern is a version as the gate reads it, the schemas' version
// pattern: an optional v, numbers separated by dots, then an optional
// pre-release after "-" and optional build metadata after "+", each of
// dot-separated parts of letters, digits, "-" and "~". go-version alone is
// laxer: it reads "1e400" as 1 with the pre-release "e400" and "0x10" as 0
// with "x10".
const VersionPattern = `^v?[0-9]+(\.[0-9]+)*(-[0-9A-Za-z~-]+(\.[0-9A-Za-z~-]+)*)?(\+[0-9A-Za-z~-]+(\.[0-9A-Za-z~-]+)*)?$`

// isVersion reports whether s matches VersionPattern. It reads s once,
// byte by byte: a policy lists thousands of releases, and the pattern's
// regular expression cost more than go-version's own parse.
func isVersion(s string) bool {
	s = strings.TrimPrefix(s, "v")
	i := vertext.SkipDigits(s, 0)
	if i == 0 {
		return false
	}
	for i < len(s) && s[i] == '.' {
		j := vertext.SkipDigits(s, i+1)
		if j == i+1 {
			return false
		}
		i = j
	}
	if i < len(s) && s[i] == '-' {
		if i = vertext.SkipParts(s, i+1); i < 0 {
			return false
		}
	}
	if i < len(s) && s[i] == '+' {
		if i = vertext.SkipParts(s, i+1); i < 0 {
			return false
		}
	}
	return i == len(s)
}

// ParseVersion reads a version: digits and dots (17.3.7, v1.29), with a
// pre-release and metadata as go-version allows them (1.30.0-rc.1,
// v1.29.4+k3s1). Surrounding space is ignored.
//
// A version once read is shared by every later caller that reads the same
// text (go-version's parse is a regular expression, and a run reads the
// same few thousand versions in every manifest): a *version.Version is
// never changed once made. The releases whose go-version version the path
// engine makes share them too (upgradepath.SharedGo).
func ParseVersion(s string) (*version.Version, error) {
	t := strings.TrimSpace(s)
	if !isVersion(t) {
		return nil, fmt.Errorf("%q is not a version: write numbers separated by dots, like 17.3.7", s)
	}
	v, err := upgradepath.SharedGo(t)
	if err != nil {
		return nil, fmt.Errorf("%q is not a version: %w", s, err)
	}
	return v, nil
}

// ParseRelease reads a version as ParseVersion does (the same texts, the
// same errors) into the path engine's own form, without go-version's
// regular expression: a policy lists thousands of releases, and most are
// only ordered, which their segments decide (upgradepath.Version makes the
// go-version version when a caller needs it). It does not share versions;
// it takes them from b when b is not nil.
func ParseRelease(b *upgradepath.Batch, s string) (*upgradepath.Version, error) {
	t := strings.TrimSpace(s)
	if !isVersion(t) {
		return nil, fmt.Errorf("%q is not a version: write numbers separated by dots, like 17.3.7", s)
	}
	v, err := b.Parse(t)
	if err != nil {
		return nil, fmt.Errorf("%q is not a version: %w", s, err)
	}
	return v, nil
}

var (
	errEmptyAlternative = errors.New("the alternative is empty: write a constraint on either side of ||")
	errMalformed        = errors.New("write operators and versions, like >= 1.7.20")
)

// Reason says in a few words why the alternative does not parse.
func (e *ConstraintError) Reason() string {
	if errors.Is(e.Err, errMalformed) {
		return errMalformed.Error()
	}
	return e.Err.Error()
}

// ConstraintError is a malformed alternative of a constraint: Offset is
// the byte offset in the constraint's text where the alternative starts
// (its first character after spaces), Index its 0-based position among the
// alternatives.
type ConstraintError struct {
	Constraint  string
	Alternative string
	Index       int
	Offset      int
	Err         error
}

func (e *ConstraintError) Error() string {
	if e.Index == 0 && !strings.Contains(e.Constraint, "||") {
		return e.Err.Error()
	}
	return fmt.Sprintf("alternative %d (%q) of constraint %q: %v", e.Index+1, e.Alternative, e.Constraint, e.Err)
}

func (e *ConstraintError) Unwrap() error { return e.Err }

// ParseConstraint reads a constraint of alternatives separated by "||"
// (">= 1.6.34, < 1.7 || >= 1.7.20"), each a go-version constraint (">= 14.9,
// < 17", "~> 1.2", comma is AND) whose every version is one ParseVersion
// reads. It returns one go-version constraint per alternative; a malformed
// or empty alternative is a *ConstraintError that says where it starts.
func ParseConstraint(s string) ([]version.Constraints, error) {
	var out []version.Constraints
	start := 0
	for i, alt := range strings.Split(s, "||") {
		off := start + len(alt) - len(strings.TrimLeftFunc(alt, unicode.IsSpace))
		start += len(alt) + len("||")
		c, err := parseAlternative(alt)
		if err != nil {
			return nil, &ConstraintError{Constraint: s, Alternative: strings.TrimSpace(alt), Index: i, Offset: off, Err: err}
		}
		out = append(out, c)
	}
	return out, nil
}

// parseAlternative reads one alternative of a constraint.
func parseAlternative(s string) (version.Constraints, error) {
	if strings.TrimSpace(s) == "" {
		return nil, errEmptyAlternative
	}
	c, err := version.NewConstraint(s)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errMalformed, err)
	}
	for _, part := range strings.Split(s, ",") {
		v := strings.TrimLeft(strings.TrimSpace(part), "<>=!~ ")
		if !isVersion(v) {
			return nil, fmt.Errorf("%q in constraint %q is not a version: write numbers separated by dots, like 17.3.7", v, s)
		}
	}
	return c, nil
}
