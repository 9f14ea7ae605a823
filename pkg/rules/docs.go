package rules

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RepositoryURL is the project's home; rule documentation links point into it.
const RepositoryURL = "https://github.com/upgradegate/upgradegate"

// Name is the rule's title in CamelCase, without its parenthesised remarks:
// "required stop skipped (warning when …)" is "RequiredStopSkipped". SARIF
// shows it as the rule's readable name.
func (r Rule) Name() string {
	if r.short != "" {
		return r.short
	}
	title := stripParens(strings.ReplaceAll(r.Title, "'s ", " "))
	var b strings.Builder
	for _, w := range strings.FieldsFunc(title, func(c rune) bool {
		return !unicode.IsLetter(c) && !unicode.IsDigit(c)
	}) {
		first, size := utf8.DecodeRuneInString(w)
		b.WriteRune(unicode.ToUpper(first))
		b.WriteString(w[size:])
	}
	return b.String()
}

func stripParens(s string) string {
	var b strings.Builder
	depth := 0
	for _, c := range s {
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		case depth == 0:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// Category is the short, lower-case name of the rule's family ("input",
// "upgrade-path", "checklist", …), used as a SARIF tag.
func (r Rule) Category() string {
	for _, f := range families {
		if strings.HasPrefix(r.ID.s, f.prefix) {
			return f.tag
		}
	}
	return "other" // unreachable for the catalog's rules: each is in its family
}

// HelpURI is the absolute address of the rule's section in docs/rules.md.
func (r Rule) HelpURI() string { return RepositoryURL + "/blob/main/" + r.DocURL() }

func (r Rule) configurability() string {
	if r.Configurable() {
		return "yes: a policy's `checklist` may change its severity or turn it off, and an exception may suppress it"
	}
	if r.fixedWhy != "" {
		return "no: " + r.fixedWhy
	}
	return "no: input, version-parsing and exception rules cannot be turned off or excepted: the path and compatibility checks depend on them"
}

func (r Rule) checklistItem() string {
	if r.Checklist == "" {
		return "none (input validation)"
	}
	return r.Checklist
}

// HelpText explains the rule in plain text, as upgradegate explain prints
// it: "UG201 (error): title", the help, the checklist item, whether a policy
// may change it, an example and the documentation's address.
func (r Rule) HelpText() string {
	plain := strings.NewReplacer("`", "").Replace // Markdown code marks
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n\n", r.ID.s, r.Severity, plain(r.Title))
	fmt.Fprintf(&b, "%s\n\n", plain(r.Help))
	fmt.Fprintf(&b, "Checklist item: %s\n", plain(r.checklistItem()))
	fmt.Fprintf(&b, "Configurable:   %s\n", plain(r.configurability()))
	if ex := r.example; ex != "" {
		b.WriteString("\nExample that triggers it:\n\n")
		for _, line := range strings.Split(strings.TrimRight(ex, "\n"), "\n") {
			if line == "" {
				b.WriteString("\n")
				continue
			}
			fmt.Fprintf(&b, "    %s\n", line)
		}
	}
	fmt.Fprintf(&b, "\nDocumentation: %s\n", r.HelpURI())
	return b.String()
}

// HelpMarkdown explains the rule in Markdown, without a heading and without a
// link to itself: the body of the rule's section in docs/rules.md and of
// SARIF's help.markdown.
func (r Rule) HelpMarkdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**\n\n", r.Title)
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Severity | %s |\n", r.Severity)
	fmt.Fprintf(&b, "| Configurable | %s |\n", r.configurability())
	fmt.Fprintf(&b, "| Checklist item | %s |\n", r.checklistItem())
	fmt.Fprintf(&b, "| SARIF name | `%s` |\n\n", r.Name())
	fmt.Fprintf(&b, "%s\n", r.Help)
	if ex := r.example; ex != "" {
		fmt.Fprintf(&b, "\nExample that triggers it:\n\n```yaml\n%s\n```\n", strings.TrimRight(ex, "\n"))
	}
	return b.String()
}

// Explain returns the plain-text explanation of a rule (id is
// case-insensitive), or false for an unknown id.
func Explain(id string) (string, bool) {
	r, ok := Lookup(id)
	if !ok {
		return "", false
	}
	return r.Rule().HelpText(), true
}

// markdownHeader opens docs/rules.md; the drift test in this package rewrites
// the file from Markdown with -update.
const markdownHeader = "<!-- Code generated from pkg/rules by `go test ./pkg/rules -update`. DO NOT EDIT. -->\n\n"

// Markdown returns docs/rules.md: an index of every rule, then one section
// per rule whose anchor is the lower-case id (#ug201).
func Markdown() string {
	all := All()
	var b strings.Builder
	b.WriteString(markdownHeader)
	b.WriteString("# Rules\n\n")
	b.WriteString("Every finding of `upgradegate check` names one of these rules. The severity shown is the default:\n")
	b.WriteString("a policy's `checklist` may change it for configurable rules, and an exception (`rule`, `reason`,\n")
	b.WriteString("`approvedBy`, `expires`) turns matching findings into suppressed ones, reported but never failing.\n")
	fmt.Fprintf(&b, "Rules %s cannot be changed or excepted. `upgradegate explain UG201` prints a rule's\n", FixedList())
	b.WriteString("section in the terminal.\n\n")
	b.WriteString("| Rule | Severity | What |\n|---|---|---|\n")
	for _, r := range all {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s |\n", r.ID.s, strings.ToLower(r.ID.s), r.Severity, strings.ReplaceAll(r.Title, "|", `\|`))
	}
	for _, f := range families {
		fmt.Fprintf(&b, "\n## %s\n", f.title)
		in := append([]Rule(nil), f.rules...)
		sort.Slice(in, func(i, j int) bool { return in[i].ID.s < in[j].ID.s })
		for _, r := range in {
			fmt.Fprintf(&b, "\n### %s\n\n%s", r.ID.s, r.HelpMarkdown())
		}
	}
	return b.String()
}
