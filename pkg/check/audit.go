package check

import (
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// AuditRules are the rules an audit reports (Options.Audit): what is due
// after an upgrade ran, for `upgradegate audit` and the Action's audit mode.
// An audit applies only them (auditChecks in aftercare.go) and keeps only
// their findings and the input rules' (UG0xx: a file that cannot be read
// cannot be audited).
var AuditRules = map[rules.ID]bool{rules.UG519: true, rules.UG520: true, rules.UG521: true, rules.UG522: true}

// auditOnly keeps the findings an audit reports.
func auditOnly(fs []finding.Finding) []finding.Finding {
	kept := fs[:0]
	for _, f := range fs {
		if AuditRules[f.Rule] || f.Rule.Input() {
			kept = append(kept, f)
		}
	}
	return kept
}
