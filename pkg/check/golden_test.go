package check

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/approval"
	"github.com/upgradegate/upgradegate/pkg/base"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/check")

// goldenNow is the clock of every golden case.
var goldenNow = time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)

// auditRules are the rules upgradegate audit applies: their golden cases
// run as audit does.
var auditRules = map[string]bool{"UG519": true, "UG520": true, "UG521": true, "UG522": true}

// TestGolden runs the gate on every golden case (testdata/base with the
// case's folder under testdata/check laid over it, see internal/testtree) and
// compares the JSON report with the folder's want.json. A folder named
// RULE-trigger-… must produce a finding of RULE; one named RULE-miss-… must
// not.
func TestGolden(t *testing.T) {
	for _, name := range testtree.Cases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := testtree.Golden(t, name)
			opts := Options{Root: dir, Now: goldenNow, FailOn: finding.Error, Approvals: goldenApprovals(t, dir)}
			var changed []string
			if testtree.HasBase(t, name) {
				g, err := base.OpenGit(dir)
				if err != nil {
					t.Fatal(err)
				}
				if opts.Base, err = g.MergeBase("main"); err != nil {
					t.Fatal(err)
				}
				changed = opts.Base.Changed
			}
			if reason, fix, ok := testtree.NoBase(t, name); ok {
				opts.NoBase = &base.Unreadable{Reason: reason, Fix: fix}
			}
			opts.References = goldenReferences(t, dir, changed)
			if rule, _, _ := strings.Cut(name, "-"); auditRules[rule] {
				// what is due after the window is upgradegate audit's
				opts = Options{Root: dir, Now: goldenNow, FailOn: finding.Error, Audit: true}
			}
			rep, err := Run(context.Background(), opts)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			var buf bytes.Buffer
			if err := report.JSON(&buf, rep, report.Options{}); err != nil {
				t.Fatal(err)
			}
			want := filepath.Join(testtree.Testdata(t), "check", name, testtree.Want)
			if *update {
				if err := os.WriteFile(want, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantData, err := os.ReadFile(want)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/check -run TestGolden -update to create it)", err)
			}
			if diff := cmp.Diff(string(wantData), buf.String()); diff != "" {
				t.Errorf("report differs from %s (-want +got); if the change is intended, run go test ./pkg/check -run TestGolden -update:\n%s", want, diff)
			}
			emittedRulesAreCataloged(t, rep.Findings)
			rule, kind, _ := strings.Cut(name, "-")
			kind, _, _ = strings.Cut(kind, "-")
			if !strings.HasPrefix(rule, "UG") {
				return
			}
			has := false
			for _, f := range rep.Findings {
				if f.Rule.String() == rule {
					has = true
					if f.Line < 1 || f.Column < 1 || f.File == "" {
						t.Errorf("finding without a position: %+v", f)
					}
				}
			}
			switch kind {
			case "trigger":
				if !has && !strings.Contains(name, "off-by-policy") {
					t.Errorf("%s: no %s finding; got %v", name, rule, findingLines(rep))
				}
				if has && strings.Contains(name, "off-by-policy") {
					t.Errorf("%s: %s is off in the policy but was reported", name, rule)
				}
			case "miss":
				if has {
					t.Errorf("%s: unexpected %s finding; got %v", name, rule, findingLines(rep))
				}
			}
		})
	}
}

// emittedRulesAreCataloged fails for a finding whose rule the catalog lacks
// (the type rules.ID lets only the zero ID through), or whose severity is
// neither the rule's default nor one a rule or a policy may give it.
func emittedRulesAreCataloged(t *testing.T, fs []finding.Finding) {
	t.Helper()
	for _, f := range fs {
		id, ok := rules.Lookup(f.Rule.String())
		if !ok || id != f.Rule {
			t.Errorf("finding of a rule the catalog lacks: %+v", f)
		}
		if f.Severity <= finding.Off || f.Severity > finding.Error {
			t.Errorf("finding reported at severity %v: %+v", f.Severity, f)
		}
	}
}

// goldenReferences checks config, secrets and docs the same way in every
// case: the environment holds only PRESENT_SECRET, no store has credentials,
// and a case's changed-files.txt, when present, is the pull request's files
// (else changed, the files a base case's two commits differ in).
func goldenReferences(t *testing.T, dir string, changed []string) References {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "changed-files.txt")); err == nil {
		if changed, err = refs.ReadChangedFiles(filepath.Join(dir, "changed-files.txt")); err != nil {
			t.Fatal(err)
		}
	}
	env := map[string]string{"PRESENT_SECRET": "a value that is never printed"}
	return refs.New(refs.Options{Getenv: func(k string) string { return env[k] }, ChangedFiles: changed})
}

// goldenApprovals is a case's approved-by.txt, when present, read as the
// command line reads --approved-by (one flag's value per line): who
// approved the pull request. Without it the approvals are not given, as for
// the command line without --approved-by.
func goldenApprovals(t *testing.T, dir string) *approval.Set {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "approved-by.txt"))
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	set, err := approval.Given(strings.Fields(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func findingLines(r *report.Report) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.String())
	}
	return out
}

// TestGoldenJSONShape checks the JSON keys against the spec's shape.
func TestGoldenJSONShape(t *testing.T) {
	rep, err := Run(context.Background(), Options{Root: testtree.Golden(t, "UG201-trigger-required"), Now: goldenNow, FailOn: finding.Error})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.JSON(&buf, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	keys := func(m map[string]any) []string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return ks
	}
	sortStrings := cmp.Transformer("sort", func(in []string) []string {
		out := append([]string(nil), in...)
		for i := range out {
			for j := i + 1; j < len(out); j++ {
				if out[j] < out[i] {
					out[i], out[j] = out[j], out[i]
				}
			}
		}
		return out
	})
	if diff := cmp.Diff([]string{"summary", "manifests", "findings"}, keys(got), sortStrings); diff != "" {
		t.Errorf("top-level keys (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"manifests", "errors", "warnings", "notices", "suppressed", "result"}, keys(got["summary"].(map[string]any)), sortStrings); diff != "" {
		t.Errorf("summary keys (-want +got):\n%s", diff)
	}
	m := got["manifests"].([]any)[0].(map[string]any)
	if diff := cmp.Diff([]string{"file", "component", "from", "to", "path", "suggestedPath"}, keys(m), sortStrings); diff != "" {
		t.Errorf("manifest keys (-want +got):\n%s", diff)
	}
	f := got["findings"].([]any)[0].(map[string]any)
	if diff := cmp.Diff([]string{"rule", "severity", "file", "line", "column", "message", "hint", "suppressed"}, keys(f), sortStrings); diff != "" {
		t.Errorf("finding keys (-want +got):\n%s", diff)
	}
}
