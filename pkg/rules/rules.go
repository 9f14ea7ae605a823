// Package rules is the catalog of the gate's rules: their ids, default
// severities and documentation. Every finding names one of them.
//
// A rule id is a value of type ID, and only this package makes them: each
// family's file (input.go for UG0xx, path.go for UG2xx, …) declares its ids
// next to their catalog entries, and families lists the files' families. A
// mistyped id does not compile; user-written ids (exceptions, checklists,
// upgradegate explain) are read with Lookup. Findings are made with
// finding.New, which takes the rule's default severity from here.
//
// Adding a rule: its id and entry (title, help, checklist item, example) in
// its family's file here; its check in the family's file of pkg/check (or
// in the package that reads what it checks); a golden case under
// testdata/check named after it; then `go test ./pkg/rules -update`
// regenerates docs/rules.md.
package rules

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/upgradegate/upgradegate/pkg/internal/typo"
)

// ID names one rule of the catalog ("UG201"). Its zero value names none.
type ID struct{ s string }

// String returns the id as written in every output format: "UG201".
func (id ID) String() string { return id.s }

// Rule returns the id's catalog entry (the zero Rule for the zero ID).
func (id ID) Rule() Rule { return byID[id.s] }

// Equal reports whether id and other name the same rule (for go-cmp, which
// compares values with unexported fields through it).
func (id ID) Equal(other ID) bool { return id == other }

// MarshalText writes the id.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.s), nil }

// UnmarshalText reads an id from a JSON report. A report written by another
// version of the gate may name a rule this catalog lacks: the id is kept as
// written (it prints as such, and its Rule is the zero Rule), the one way to
// an ID the catalog did not make. Findings are made only with the catalog's.
func (id *ID) UnmarshalText(b []byte) error {
	*id = ID{string(b)}
	return nil
}

// Rule describes one rule.
type Rule struct {
	ID       ID
	Severity Severity // default severity
	Title    string   // one line, as in the spec's table
	Help     string   // what to do about it
	// Checklist names the item of the production-upgrade checklist the rule
	// enforces, if any.
	Checklist string

	// fixed rules cannot be reconfigured or excepted (see Configurable).
	fixed bool
	// fixedWhy says why a fixed rule outside the input, version and
	// exception families is fixed, for docs/rules.md.
	fixedWhy string
	// short replaces the SARIF name derived from the title when that is too
	// long to read in a code-scanning list.
	short string
	// example is a short manifest (or policy) fragment that triggers the
	// rule, shown in docs/rules.md and by upgradegate explain. It shows only
	// what matters to the rule; "# policy" marks the policy's part.
	example string
}

// Configurable reports whether a policy may change the rule's severity or an
// exception may suppress it. A fixed rule guards the gate itself (the input
// rules, the version rules every later check depends on, the exceptions, the
// base, …): turning it off would not relax a check but silently skip others.
// Each entry says so itself (fixed: true), and that is the one list: FixedList
// words it, and the README, SECURITY.md, docs/spec.md and the schemas are
// drift-tested against it (TestDocsNameTheFixedRules, pkg/schema).
func (r Rule) Configurable() bool { return r.ID != ID{} && !r.fixed }

// Hint is the rule's help phrased as a finding's hint: lower case, without
// the closing period.
func (r Rule) Hint() string {
	h := strings.TrimSuffix(r.Help, ".")
	first, size := utf8.DecodeRuneInString(h)
	if size == 0 {
		return ""
	}
	return string(unicode.ToLower(first)) + h[size:]
}

// DocURL is the rule's anchor in docs/rules.md, relative to the repository.
func (r Rule) DocURL() string { return "docs/rules.md#" + strings.ToLower(r.ID.s) }

// family is one file's rules, the ids sharing a prefix ("UG2").
type family struct {
	prefix string // "UG2"
	tag    string // short lower-case name, a SARIF tag: "upgrade-path"
	title  string // heading in docs/rules.md: "Upgrade path (UG2xx)"
	rules  []Rule
}

// families lists every rule family, in the order of docs/rules.md. A new
// family is a new file and a line here.
var families = []*family{
	&inputRules, &versionRules, &pathRules, &compatRules, &referenceRules, &checklistRules, &deployedRules, &lifecycleRules, &planRules, &exceptionRules,
}

var byID = func() map[string]Rule {
	m := map[string]Rule{}
	for _, f := range families {
		for _, r := range f.rules {
			m[r.ID.s] = r
		}
	}
	return m
}()

// Lookup reads a user-written rule id (case-insensitive, surrounding space
// ignored), as upgradegate explain RULE takes it. The exceptions' rule and a
// policy's checklist keys must be the id exactly as the catalog spells it:
// they compare the ID's String with what was written, and Lookup's answer
// for another spelling is the "did you mean".
func Lookup(s string) (ID, bool) {
	r, ok := byID[strings.ToUpper(strings.TrimSpace(s))]
	return r.ID, ok
}

// All returns every rule, ordered by id.
func All() []Rule {
	out := make([]Rule, 0, len(byID))
	for _, f := range families {
		out = append(out, f.rules...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID.s < out[j].ID.s })
	return out
}

// IDs returns every rule id, ordered.
func IDs() []string {
	all := All()
	out := make([]string, len(all))
	for i, r := range all {
		out[i] = r.ID.s
	}
	return out
}

// FixedList words the rules that cannot be reconfigured or excepted, from
// Configurable: a family all of whose rules are fixed as "UG0xx", three or
// more consecutive ids as a range: "UG0xx, UG101–UG103, UG105 and UG9xx".
func FixedList() string { return fixedList(families) }

func fixedList(families []*family) string {
	var parts []string
	for _, f := range families {
		var fixed []string
		for _, r := range f.rules {
			if !r.Configurable() {
				fixed = append(fixed, r.ID.s)
			}
		}
		if len(fixed) > 0 && len(fixed) == len(f.rules) {
			parts = append(parts, f.prefix+"xx")
			continue
		}
		sort.Strings(fixed)
		for i := 0; i < len(fixed); {
			j := i
			for j+1 < len(fixed) && next(fixed[j]) == fixed[j+1] {
				j++
			}
			switch {
			case j-i >= 2:
				parts = append(parts, fixed[i]+"–"+fixed[j])
			default:
				parts = append(parts, fixed[i:j+1]...)
			}
			i = j + 1
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// next is the id after id: "UG102" after "UG101".
func next(id string) string {
	var n int
	if _, err := fmt.Sscanf(id, "UG%d", &n); err != nil {
		return ""
	}
	return fmt.Sprintf("UG%03d", n+1)
}

// Nearest returns the rule id one edit away from s (a typo such as UG5O2 or
// UG5022), if there is exactly one: ids are too alike for a looser guess.
func Nearest(s string) (ID, bool) {
	s = strings.ToUpper(strings.TrimSpace(s))
	// letters that stand in for digits: UG5O2 is UG502
	if fixed := "UG" + strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(strings.TrimPrefix(s, "UG")); fixed != s {
		if r, ok := byID[fixed]; ok {
			return r.ID, true
		}
	}
	var found ID
	for _, r := range All() {
		if typo.Distance(s, r.ID.s) == 1 {
			if found != (ID{}) {
				return ID{}, false
			}
			found = r.ID
		}
	}
	return found, found != ID{}
}
