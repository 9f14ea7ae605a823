package action

import (
	"context"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// defaultAudit is the gate's audit: every manifest under the paths, only
// what is due after the upgrades ran (check.AuditRules) and input errors.
func defaultAudit(ctx context.Context, opts check.Options) (*report.Report, error) {
	opts.Audit = true
	return check.Run(ctx, opts)
}
