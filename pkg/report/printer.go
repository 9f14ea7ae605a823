package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Options carries what some printers need beyond the report.
type Options struct {
	// ToolVersion is upgradegate's version, for SARIF and summaries.
	ToolVersion string
	// ServerURL, Repository and SHA make links to manifest lines
	// (ServerURL/Repository/blob/SHA/file#Lline) in Markdown reports.
	ServerURL  string
	Repository string
	SHA        string
	// Color enables ANSI colours in the text format.
	Color bool
	// Untrusted marks a report read back from a file that code under
	// review could write (the fork setup's artifact): the Markdown report
	// heads it "Reported by the pull request's run", without a verdict's
	// mark, and neutralises issue references and bare URLs in its texts.
	Untrusted bool
	// Excerpt returns line (1-based) of a repository file, for the formats
	// that show the source under a finding (html); nil or false for none.
	Excerpt func(file string, line int) (string, bool)
}

// Printer writes a report in one format. Printers never modify the report.
type Printer func(w io.Writer, r *Report, o Options) error

var printers = map[string]Printer{
	"text":     Text,
	"json":     JSON,
	"markdown": Markdown,
	"sarif":    SARIF,
	"gitlab":   GitLab,
	"github":   GitHub,
	"junit":    JUnit,
	"html":     HTML,
}

// planPrinters are the formats of `upgradegate plan`.
var planPrinters = map[string]Printer{
	"text":     PlanText,
	"json":     PlanJSON,
	"markdown": Markdown,
}

// ForPlan returns the plan printer with the given name, or an error listing
// the valid ones.
func ForPlan(name string) (Printer, error) {
	p, ok := planPrinters[name]
	if !ok {
		return nil, fmt.Errorf("unknown plan format %q: expected one of json, markdown, text", name)
	}
	return p, nil
}

// For returns the printer with the given name, or an error listing the valid ones.
func For(name string) (Printer, error) {
	p, ok := printers[name]
	if !ok {
		return nil, fmt.Errorf("unknown format %q: expected one of %s", name, strings.Join(Names(), ", "))
	}
	return p, nil
}

// Names lists the formats, sorted.
func Names() []string {
	out := make([]string, 0, len(printers))
	for n := range printers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
