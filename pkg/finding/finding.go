// Package finding holds the one type every check produces: a rule's verdict
// about a node of a file, with its 1-based line and column.
package finding

import (
	"fmt"
	"sort"
	"strings"
)

// Severity orders findings. Off is the zero value: a finding at Off is never
// reported.
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

// Finding is one rule's verdict about one node of one file.
type Finding struct {
	Rule       string   `json:"rule"`
	Severity   Severity `json:"severity"`
	File       string   `json:"file"` // relative to the repository root, with '/'
	Line       int      `json:"line"`
	Column     int      `json:"column"`
	Message    string   `json:"message"`
	Hint       string   `json:"hint"`
	Suppressed bool     `json:"suppressed"`

	// Node is the path of the YAML node the finding is about ("spec.path[1]"),
	// stable across edits that move lines; printers use it for fingerprints.
	Node string `json:"-"`
	// Manifest is the metadata.name of the manifest the finding belongs to, if any.
	Manifest string `json:"-"`
	// SuppressedBy describes the exception that suppressed the finding.
	SuppressedBy string `json:"-"`
}

// String formats the finding as file:line:col: severity: message [rule].
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
}

// Less orders findings by file, line, column, rule, then message.
func Less(a, b Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	if a.Rule != b.Rule {
		return a.Rule < b.Rule
	}
	return a.Message < b.Message
}

// Sort sorts findings in place by file, line, column and rule, and drops exact
// duplicates (same rule, place and message). It returns the shortened slice.
func Sort(fs []Finding) []Finding {
	sort.SliceStable(fs, func(i, j int) bool { return Less(fs[i], fs[j]) })
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := out[len(out)-1]
			if p.Rule == f.Rule && p.File == f.File && p.Line == f.Line && p.Column == f.Column && p.Message == f.Message {
				if f.Severity > p.Severity {
					out[len(out)-1].Severity = f.Severity
				}
				continue
			}
		}
		out = append(out, f)
	}
	return out
}

// BySeverity orders findings most severe first, then by place; it does not
// modify its input.
func BySeverity(fs []Finding) []Finding {
	out := append([]Finding(nil), fs...)
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Severity != out[j].Severity {
			return out[i].Severity > out[j].Severity
		}
		return Less(out[i], out[j])
	})
	return out
}

// Quote returns s in double quotes, the way messages quote values.
func Quote(s string) string { return fmt.Sprintf("%q", s) }

// JoinQuoted quotes each item and joins them with ", ".
func JoinQuoted(items []string) string {
	q := make([]string, len(items))
	for i, s := range items {
		q[i] = Quote(s)
	}
	return strings.Join(q, ", ")
}
