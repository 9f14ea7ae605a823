package yamldoc

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
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
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("invalid date %q: write YYYY-MM-DD or an RFC 3339 time like 2026-12-01T22:00:00Z", s)
}

// IsDateOnly reports whether s is a plain YYYY-MM-DD date.
func IsDateOnly(s string) bool {
	_, err := time.Parse("2006-01-02", strings.TrimSpace(s))
	return err == nil
}

// ParseURL accepts absolute http and https URLs.
func ParseURL(s string) error {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("invalid URL %q: expected an absolute http(s) URL", s)
	}
	return nil
}
