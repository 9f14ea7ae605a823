// Package finding holds the one type every check produces: a rule's verdict
// about a node of a file, with its 1-based line and column.
package finding

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

// Severity is the catalog's severity (rules.Severity), named here for the
// code that handles findings.
type Severity = rules.Severity

// Severities, least severe first.
const (
	Off     = rules.Off
	Notice  = rules.Notice
	Warning = rules.Warning
	Error   = rules.Error
)

// ParseSeverity reads "error", "warning", "notice" or "off".
func ParseSeverity(s string) (Severity, error) { return rules.ParseSeverity(s) }

// Finding is one rule's verdict about one node of one file.
type Finding struct {
	Rule       rules.ID `json:"rule"`
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
	// Order ranks the findings one check makes of one rule at one place, in
	// their natural order (a hop's skipped stops by version): Less compares
	// it before the message, so "16.3.9" comes before "16.11.10". Zero for
	// findings that need no rank.
	Order int `json:"-"`
}

// New makes the finding of rule at file:line:column, at the rule's default
// severity from the catalog: every finding starts here, so none can name a
// rule the catalog lacks or take its severity from anywhere else. A policy's
// checklist changes the severity afterwards, in one place (policy.Apply).
func New(rule rules.ID, file string, line, column int, message, hint string) Finding {
	sev := rule.Rule().Severity
	if sev == Off {
		sev = Error // the zero ID: never silently dropped
	}
	return Finding{Rule: rule, Severity: sev, File: file, Line: line, Column: column, Message: message, Hint: hint}
}

// String formats the finding as file:line:col: severity: message [rule].
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File, f.Line, f.Column, f.Severity, f.Message, f.Rule)
}

// Less orders findings by file, line, column, rule, Order, then message.
func Less(a, b Finding) bool { return compare(&a, &b) < 0 }

// compare is Less as a three-way comparison, for slices' sorts (typed,
// where sort.SliceStable swaps the 152-byte findings through reflection).
func compare(a, b *Finding) int {
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Line, b.Line); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Column, b.Column); c != 0 {
		return c
	}
	if c := strings.Compare(a.Rule.String(), b.Rule.String()); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Order, b.Order); c != 0 {
		return c
	}
	return strings.Compare(a.Message, b.Message)
}

// Sort sorts findings in place by file, line, column, rule and Order, and drops exact
// duplicates (same rule, place and message). It returns the shortened slice.
func Sort(fs []Finding) []Finding {
	slices.SortStableFunc(fs, func(a, b Finding) int { return compare(&a, &b) })
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
	slices.SortStableFunc(out, func(a, b Finding) int {
		if a.Severity != b.Severity {
			return cmp.Compare(b.Severity, a.Severity)
		}
		return compare(&a, &b)
	})
	return out
}
