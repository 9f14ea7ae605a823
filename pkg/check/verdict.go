package check

import (
	"fmt"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// Exit codes of a gate run, the same for upgradegate check and the Action.
const (
	ExitOK       = 0 // nothing at or above fail-on
	ExitFindings = 1 // findings at or above fail-on
	ExitError    = 2 // bad usage, or the gate could not run
)

// ExitCode is the exit code of a run that produced rep.
func ExitCode(rep *report.Report) int {
	if rep.Failed() {
		return ExitFindings
	}
	return ExitOK
}

// ParseFailOn reads a fail-on value (the CLI's --fail-on, the Action's
// fail-on input): error, warning, notice, or never (off is the same), in
// any case. never and off give finding.Off: nothing fails.
func ParseFailOn(s string) (finding.Severity, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "never", "off":
		return finding.Off, nil
	case "error", "warning", "notice":
		return finding.ParseSeverity(v)
	}
	return finding.Off, fmt.Errorf("%q: expected one of error, warning, notice, never (or off, the same as never)", s)
}
