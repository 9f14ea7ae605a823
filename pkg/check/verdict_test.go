package check

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func TestParseFailOn(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]finding.Severity{
		"error": finding.Error, "warning": finding.Warning, "notice": finding.Notice,
		"never": finding.Off, "off": finding.Off, "OFF": finding.Off, " Warning ": finding.Warning,
	} {
		got, err := ParseFailOn(in)
		if err != nil || got != want {
			t.Errorf("ParseFailOn(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "fatal", "errors", "none"} {
		_, err := ParseFailOn(in)
		if err == nil || !strings.Contains(err.Error(), `"`+in+`"`) || !strings.Contains(err.Error(), "never") {
			t.Errorf("ParseFailOn(%q) = %v; want an error naming the value and the choices", in, err)
		}
	}
}

func TestExitCode(t *testing.T) {
	t.Parallel()
	warn := []finding.Finding{{Rule: rules.UG502, Severity: finding.Warning, File: "a.yaml", Line: 1, Column: 1}}
	for _, tt := range []struct {
		failOn finding.Severity
		want   int
	}{{finding.Error, ExitOK}, {finding.Warning, ExitFindings}, {finding.Notice, ExitFindings}, {finding.Off, ExitOK}} {
		if got := ExitCode(report.New(nil, warn, nil, tt.failOn)); got != tt.want {
			t.Errorf("a warning with fail-on %v: exit code %d, want %d", tt.failOn, got, tt.want)
		}
	}
}
