// Package rules is the catalog of the gate's rules: their ids, default
// severities and documentation. Every finding names one of them.
package rules

import (
	"sort"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// Rule describes one rule.
type Rule struct {
	ID       string
	Severity finding.Severity // default severity
	Title    string           // one line, as in the spec's table
	Help     string           // what to do about it
	// Checklist names the item of the production-upgrade checklist the rule
	// enforces, if any.
	Checklist string
}

// Configurable reports whether a policy may change the rule's severity or an
// exception may suppress it. Fixed are UG0xx (input errors), UG9xx (the
// exceptions themselves) and the version rules every later check depends on:
// UG101 (a version that does not parse), UG102 (a downgrade), UG103 (stops out
// of order) and UG105 (a constraint that does not parse). Turning those off
// would not relax a check but silently skip the path and compatibility rules.
func (r Rule) Configurable() bool {
	if fixedVersionRules[r.ID] {
		return false
	}
	return !strings.HasPrefix(r.ID, "UG0") && !strings.HasPrefix(r.ID, "UG9")
}

var fixedVersionRules = map[string]bool{"UG101": true, "UG102": true, "UG103": true, "UG105": true}

// DocURL is the rule's anchor in docs/rules.md, relative to the repository.
func (r Rule) DocURL() string { return "docs/rules.md#" + strings.ToLower(r.ID) }

var catalog = []Rule{
	{"UG001", finding.Error, "YAML syntax error, invalid UTF-8, or a duplicate mapping key",
		"Fix the YAML at the position given; the file is not checked further until it parses.", ""},
	{"UG002", finding.Error, "unknown field",
		"Remove the field or correct its name; the message suggests the nearest known one.", ""},
	{"UG003", finding.Error, "required field missing",
		"Add the field: apiVersion, kind, spec.component, spec.from and spec.to are required.", ""},
	{"UG004", finding.Error, "invalid value",
		"Use a value of the documented type: dates as YYYY-MM-DD, windows as RFC 3339, durations like 45m or 14d, URLs with http(s)://.", ""},
	{"UG005", finding.Error, "referenced policy cannot be read or is invalid",
		"Point spec.policy at a readable kind: Policy file, relative to the manifest, and fix the policy's own findings.", ""},
	{"UG006", finding.Error, "a file reference leaves the repository",
		"Use a path relative to the referring file that stays inside the repository: no '..' above the root, no absolute path, no symlink out.", ""},
	{"UG101", finding.Error, "version cannot be parsed",
		"Write a semantic version such as 17.3.7 (a leading v is allowed).", "Identify the scope of the upgrade"},
	{"UG102", finding.Error, "`to` is not greater than `from`",
		"spec.from is what production runs now and spec.to the target: the target must be newer.", "Identify the scope of the upgrade"},
	{"UG103", finding.Error, "declared stops not strictly ascending between `from` and `to`",
		"List spec.path in ascending order, each stop newer than spec.from and older than spec.to.", "Review the upgrade path"},
	{"UG104", finding.Warning, "version not among the policy's `releases`",
		"Use a released version, or add it to the policy's releases.", "Review the upgrade path"},
	{"UG105", finding.Error, "policy constraint cannot be parsed",
		"Write a hashicorp/go-version constraint such as \">= 14.9, < 17\".", "Review the upgrade path and associated policies"},
	{"UG201", finding.Error, "required stop skipped (warning when the stop is conditional)",
		"Add the required stop to spec.path; the suggested path (UG204) shows a legal route.", "Review the upgrade path"},
	{"UG202", finding.Error, "hop exceeds `maxStep`",
		"Add intermediate stops so that no hop raises the version by more than the policy's maxStep.", "Review the upgrade path and associated policies"},
	{"UG203", finding.Error, "hop matches a `blocked` entry",
		"Route the upgrade around the blocked hop; the policy's reason and link say why it is blocked.", "Make note of any exceptions along the upgrade path"},
	{"UG204", finding.Notice, "suggested path",
		"Copy the suggested stops into spec.path.", "Review the upgrade path"},
	{"UG205", finding.Error, "no legal path exists among the known releases",
		"Add the missing releases to the policy, or upgrade to another target.", "Review the upgrade path"},
	{"UG301", finding.Error, "environment version outside a `requires` constraint",
		"Upgrade the infrastructure component first, or choose a target the environment supports.", "Consult the compatibility matrix"},
	{"UG302", finding.Error, "`requires` names a component missing from `environment`",
		"Add the component's production version to spec.environment.", "Consult the compatibility matrix"},
	{"UG303", finding.Warning, "no compatibility row covers the version",
		"Add a compatibility row for the version to the policy, or pick a covered version.", "Consult the compatibility matrix"},
	{"UG401", finding.Error, "config file missing",
		"Create the file or correct spec.config[].file (a repository path).", "Check configuration"},
	{"UG402", finding.Error, "config key missing (or present when `expect: absent`)",
		"Set the key the new version needs, or remove the key it no longer accepts.", "Check configuration"},
	{"UG403", finding.Error, "config file cannot be parsed",
		"Fix the syntax of the config file at the position given.", "Check configuration"},
	{"UG411", finding.Error, "secret missing",
		"Create the secret in its store before the upgrade starts.", "Access secrets"},
	{"UG412", finding.Warning, "secret store cannot be asked",
		"Give the gate credentials that may read secret names (see the README's secret stores section).", "Access secrets"},
	{"UG421", finding.Error, "documentation file missing",
		"Write the runbook or correct spec.docs.", "Update documentation"},
	{"UG422", finding.Warning, "documentation not changed in the pull request",
		"Update the listed documentation in the same pull request.", "Update documentation"},
	{"UG501", finding.Error, "rollback plan missing",
		"Add spec.rollback.steps: how to return to the current version if the upgrade fails.", "Develop a rollback plan"},
	{"UG502", finding.Warning, "rollback not tested",
		"Rehearse the rollback and set spec.rollback.tested: true.", "Develop a rollback plan"},
	{"UG503", finding.Error, "dry run missing",
		"Run the upgrade in a non-production environment and record it in spec.dryRun.", "Conduct a dry run"},
	{"UG504", finding.Error, "dry run failed",
		"Fix what failed and repeat the dry run.", "Conduct a dry run"},
	{"UG505", finding.Error, "dry run older than `dryRunMaxAge`",
		"Repeat the dry run: the policy requires a recent one.", "Conduct a dry run"},
	{"UG506", finding.Error, "dry run tested another version than `to`",
		"Dry-run the version you are upgrading to.", "Conduct a dry run"},
	{"UG507", finding.Error, "downtime window required but missing",
		"Schedule a downtime window in spec.impact.window (start and end, RFC 3339).", "Assess the impact"},
	{"UG508", finding.Error, "release notes missing",
		"Link the release notes you reviewed in spec.impact.releaseNotes.", "Assess the impact"},
	{"UG509", finding.Warning, "stakeholders or channel missing",
		"List who is notified in spec.stakeholders.notify and the real-time channel in spec.stakeholders.channel.", "Notify stakeholders"},
	{"UG510", finding.Error, "owner (person in charge) missing",
		"Name the person in charge in spec.owner.", "Notify stakeholders: assign a person in charge"},
	{"UG511", finding.Error, "health checks missing",
		"List the checks that prove the system healthy after the upgrade in spec.healthChecks.", "Health check"},
	{"UG512", finding.Error, "database verification missing while `impact.migrations` is true",
		"List the checks in spec.database.verify (rowCounts, checksums, sorting, hashing).", "Database upgrades: verify the data"},
	{"UG513", finding.Notice, "post-implementation review not planned",
		"Plan a review in spec.review (owner and due date).", "Conduct a post-implementation review"},
	{"UG514", finding.Error, "window ends before it starts",
		"Correct spec.impact.window: end must be after start.", "Assess the impact"},
	{"UG901", finding.Error, "exception expired",
		"Renew the exception with a new approval, or fix the finding it covered.", "Make note of any exceptions"},
	{"UG902", finding.Warning, "exception matches no finding",
		"Remove the exception: nothing needs it any more.", "Make note of any exceptions"},
	{"UG903", finding.Error, "exception lacks reason, approver or expiry",
		"Give every exception a reason, approvedBy and expires.", "Make note of any exceptions"},
}

var byID = func() map[string]Rule {
	m := make(map[string]Rule, len(catalog))
	for _, r := range catalog {
		m[r.ID] = r
	}
	return m
}()

// Lookup returns the rule with the given id (case-insensitive).
func Lookup(id string) (Rule, bool) {
	r, ok := byID[strings.ToUpper(id)]
	return r, ok
}

// All returns every rule, ordered by id.
func All() []Rule {
	out := append([]Rule(nil), catalog...)
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// IDs returns every rule id, ordered.
func IDs() []string {
	out := make([]string, len(catalog))
	for i, r := range All() {
		out[i] = r.ID
	}
	return out
}

// Nearest returns the rule id one edit away from id (a typo such as UG5O2 or
// UG5022), if there is exactly one: ids are too alike for a looser guess.
func Nearest(id string) (string, bool) {
	id = strings.ToUpper(strings.TrimSpace(id))
	// letters that stand in for digits: UG5O2 is UG502
	if fixed := "UG" + strings.NewReplacer("O", "0", "I", "1", "L", "1").Replace(strings.TrimPrefix(id, "UG")); fixed != id {
		if _, ok := byID[fixed]; ok {
			return fixed, true
		}
	}
	found := ""
	for _, r := range catalog {
		if oneEdit(id, r.ID) {
			if found != "" {
				return "", false
			}
			found = r.ID
		}
	}
	return found, found != ""
}

// oneEdit reports whether a and b differ by one substitution, insertion or
// deletion.
func oneEdit(a, b string) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	switch len(a) - len(b) {
	case 0:
		diff := 0
		for i := range a {
			if a[i] != b[i] {
				diff++
			}
		}
		return diff == 1
	case 1:
		for i := range b {
			if a[i] != b[i] {
				return a[i+1:] == b[i:]
			}
		}
		return true
	}
	return false
}
