package rules

import "fmt"

// Severity orders findings. Off is the zero value: a finding at Off is never
// reported. It lives with the catalog, which gives every rule its default;
// package finding names it too (finding.Severity), for the code that handles
// findings.
type Severity int

// Severities, least severe first.
const (
	Off Severity = iota
	Notice
	Warning
	Error
)

var severityNames = [...]string{Off: "off", Notice: "notice", Warning: "warning", Error: "error"}

// String returns the lower-case name used in every output format.
func (s Severity) String() string {
	if s < Off || s > Error {
		return fmt.Sprintf("severity(%d)", int(s))
	}
	return severityNames[s]
}

// ParseSeverity reads "error", "warning", "notice" or "off".
func ParseSeverity(s string) (Severity, error) {
	for i, n := range severityNames {
		if n == s {
			return Severity(i), nil
		}
	}
	return Off, fmt.Errorf("unknown severity %q: expected one of error, warning, notice, off", s)
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a severity's name.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
