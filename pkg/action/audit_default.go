package action

import (
	"context"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// defaultAudit is the gate's audit.
func defaultAudit(ctx context.Context, opts check.Options) (*report.Report, error) {
	return check.Run(ctx, opts) // TEMPORARY until windows' audit entry point lands
}
