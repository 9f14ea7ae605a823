package check

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestRunCannotRun: bad roots and paths and a cancelled run are errors (exit
// 2), never a report.
func TestRunCannotRun(t *testing.T) {
	t.Parallel()
	root := testtree.Golden(t, "base-pass")
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name string
		ctx  context.Context
		opts Options
		want string // substring of the error
	}{
		{"missing root", context.Background(), Options{Root: filepath.Join(root, "missing")}, `repository root "` + filepath.Join(root, "missing") + `"`},
		{"missing path", context.Background(), Options{Root: root, Paths: []string{filepath.Join(root, "nope.yaml")}}, `path "` + filepath.Join(root, "nope.yaml") + `": `},
		{"path outside the root", context.Background(), Options{Root: filepath.Join(root, "upgrades"), Paths: []string{filepath.Join(root, "policies")}},
			`path "` + filepath.Join(root, "policies") + `" is outside the repository root`},
		{"cancelled", cancelled, Options{Root: root}, context.Canceled.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.opts.Now, tt.opts.FailOn = goldenNow, finding.Error
			rep, err := Run(tt.ctx, tt.opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Run = %v, want an error containing %q", err, tt.want)
			}
			if tt.name == "cancelled" && !errors.Is(err, context.Canceled) {
				t.Errorf("Run = %v, want context.Canceled", err)
			}
			if rep != nil {
				t.Errorf("Run returned a report with its error: %+v", rep.Summary)
			}
		})
	}
}

// findingsOf returns "RULE file: message" for every finding.
func findingsOf(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Rule.String()+" "+f.File+": "+f.Message)
	}
	return out
}

// TestNamedFileProblems: a file named on the command line that holds no
// manifest, or cannot be read, is a finding of its own.
func TestNamedFileProblems(t *testing.T) {
	t.Parallel()
	root := testtree.Write(t, map[string]string{
		"notes.yaml":   "title: not a manifest\n",
		"list.yaml":    "- a\n- b\n",
		"nokind.yaml":  "apiVersion: upgradegate/v1\nmetadata: {name: x}\n",
		"upgrade.yaml": "apiVersion: upgradegate/v1\nkind: Upgrad\nmetadata: {name: x}\n",
	})
	tests := []struct {
		path string
		want []string // prefixes of the findings, in order
	}{
		{"notes.yaml", []string{`UG003 notes.yaml: "notes.yaml" holds no kind: Upgrade document`}},
		{"list.yaml", []string{`UG004 list.yaml: "list.yaml" holds no kind: Upgrade document: its document is a list, not a mapping`}},
		{"nokind.yaml", []string{`UG003 nokind.yaml: "nokind.yaml" holds no kind: Upgrade document`,
			`UG004 nokind.yaml: document has apiVersion "upgradegate/v1" but no kind`}},
		{"upgrade.yaml", []string{`UG003 upgrade.yaml: "upgrade.yaml" holds no kind: Upgrade document`,
			`UG004 upgrade.yaml: kind "Upgrad" is neither "Upgrade", "Policy" nor "Settings"; did you mean "Upgrade"?`}},
	}
	for _, tt := range tests {
		rep := runTree(t, root, tt.path)
		got := findingsOf(rep.Findings)
		ok := len(got) == len(tt.want)
		for i := 0; ok && i < len(got); i++ {
			ok = strings.HasPrefix(got[i], tt.want[i])
		}
		if !ok {
			t.Errorf("check %s: findings %q, want %q", tt.path, got, tt.want)
		}
		if !rep.Failed() {
			t.Errorf("check %s passed", tt.path)
		}
	}
}

// TestPolicyTooLarge: a policy over the 1 MiB limit is one UG004 finding on
// the policy, and the manifest that names it gets UG005, not policy rules.
func TestPolicyTooLarge(t *testing.T) {
	t.Parallel()
	root := testtree.Golden(t, "base-pass")
	pol, err := os.ReadFile(filepath.Join(root, "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	big := string(pol) + "# " + strings.Repeat("x", 1<<20) + "\n"
	testtree.Add(t, root, map[string]string{"policies/app.yaml": big})
	rep := runTree(t, root)
	var policyFindings, manifestRules []string
	for _, f := range rep.Findings {
		switch f.File {
		case "policies/app.yaml":
			policyFindings = append(policyFindings, f.Rule.String()+": "+f.Message)
		case "upgrades/app.yaml":
			manifestRules = append(manifestRules, f.Rule.String())
		}
	}
	want := "UG004: policy file is " + strconv.Itoa(len(big)) + " bytes, over the 1 MiB limit"
	if len(policyFindings) != 1 || policyFindings[0] != want {
		t.Errorf("policy findings %q, want [%q]", policyFindings, want)
	}
	if len(manifestRules) == 0 || manifestRules[0] != rules.UG005.String() {
		t.Errorf("manifest findings %q, want UG005", manifestRules)
	}
}

// TestZeroNowIsTheClock: without Options.Now the run uses the real clock, so
// an exception that expired in 2001 is expired.
func TestZeroNowIsTheClock(t *testing.T) {
	t.Parallel()
	root := testtree.Golden(t, "UG901-trigger-expired")
	m, err := os.ReadFile(filepath.Join(root, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	testtree.Add(t, root, map[string]string{"upgrades/app.yaml": strings.Replace(string(m), "expires: 2026-11-01", "expires: 2001-11-01", 1)})
	rep, err := Run(context.Background(), Options{Root: root, FailOn: finding.Error})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range rep.Findings {
		if f.Rule == rules.UG901 {
			return
		}
	}
	t.Errorf("no UG901 for an exception that expired in 2001: %q", findingsOf(rep.Findings))
}
