package check

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

// secondLookTree is golden case UG204-trigger-plan-environment-changes-route
// (the plan's PostgreSQL changes the suggested route of app-2-2) with
// exceptions on the manifest and its policy that match findings of the
// first pass only, of the second look only, of both, of neither family
// (UG203) and of a plan rule, an expired one, an empty environment version
// (a shadowed field) and approvals that the exceptions' approver has not
// given (UG904 after the audit).
func secondLookTree(t *testing.T) string {
	t.Helper()
	dir := testtree.Golden(t, "UG204-trigger-plan-environment-changes-route")
	app, err := os.ReadFile(filepath.Join(dir, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := os.ReadFile(filepath.Join(dir, "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	exc := func(indent, rule, match, expires string) string {
		s := indent + "- rule: " + rule + "\n"
		if match != "" {
			s += indent + "  match: \"" + match + "\"\n"
		}
		return s + indent + "  reason: the second look's test\n" + indent + "  approvedBy: \"@cto\"\n" + indent + "  expires: " + expires + "\n"
	}
	man := strings.Replace(string(app), "    kubernetes: \"1.29.4\"\n", "    kubernetes: \"1.29.4\"\n    redis: \"\"\n", 1)
	man += "  exceptions:\n" +
		exc("    ", "UG204", "1.0.0 -> 1.6.0", "2026-12-15") + // the first pass's suggestion: unused after the second look
		exc("    ", "UG204", "1.0.0 -> 1.5.0", "2026-12-15") + // the second look's
		exc("    ", "UG302", "", "2026-12-15") + // postgresql is undeclared on the first pass only
		exc("    ", "UG301", "", "2026-11-01") + // expired: UG901 at its expires
		exc("    ", "UG203", "", "2026-12-15") + // the path family's, on both passes
		exc("    ", "UG801", "", "2026-12-15") + // a plan rule: audited by finishPlan
		exc("    ", "UG502", "", "2026-12-15") // no finding at all: UG902 on both passes
	policy := string(pol) + "  exceptions:\n" +
		exc("    ", "UG204", "2.0.0", "2026-12-15") + // both passes' suggestions
		exc("    ", "UG302", "postgresql", "2026-12-15") // the first pass's only
	testtree.Add(t, dir, map[string]string{"upgrades/app.yaml": man, "policies/app.yaml": policy, "approved-by.txt": "@dave\n"})
	return dir
}

// TestSecondLookMatchesCheckingAgain: the plan's second look, made from what
// the first pass kept (lookAgain), gives exactly what reading, decoding and
// checking the manifest again at its place in the plan gives (checkManifest
// with a plan point, as the run did before): the findings in order, their
// severities, positions and suppression, the summary, and what every
// exception matched. Every manifest the first pass kept for a second look is
// compared, whether or not the plan calls for one, in secondLookTree, every
// golden case, and the repository in $UPGRADEGATE_CORPUS when set.
func TestSecondLookMatchesCheckingAgain(t *testing.T) {
	t.Parallel()
	dir := secondLookTree(t)
	if n, need := compareSecondLook(t, dir, Options{Root: dir, Now: goldenNow, FailOn: finding.Error, Approvals: goldenApprovals(t, dir)}); n != 1 || need != 1 {
		t.Errorf("secondLookTree: %d manifests kept for a second look, %d needing it; want 1 and 1", n, need)
	}
	// with changed-only: the manifest the change concerns, and one it does not
	for _, changed := range []string{"upgrades/app.yaml", "upgrades/postgres.yaml"} {
		dir := secondLookTree(t)
		n, need := compareSecondLook(t, dir, Options{Root: dir, Now: goldenNow, FailOn: finding.Error, ChangedOnly: true, ChangedFiles: []string{changed}})
		if want := map[string]int{"upgrades/app.yaml": 1}[changed]; n != want || need != want {
			t.Errorf("secondLookTree changed-only %s: %d kept for a second look, %d needing it; want %d", changed, n, need, want)
		}
	}
	held, needed := 0, 0
	for _, name := range testtree.Cases(t) {
		if rule, _, _ := strings.Cut(name, "-"); auditRules[rule] {
			continue // audit mode builds no plan
		}
		dir := testtree.Golden(t, name)
		n, need := compareSecondLook(t, dir, Options{Root: dir, Now: goldenNow, FailOn: finding.Error, Approvals: goldenApprovals(t, dir), References: goldenReferences(t, dir, nil)})
		held, needed = held+n, needed+need
	}
	t.Logf("golden cases: %d kept, %d needing a second look", held, needed)
	if needed < 5 || held < needed {
		t.Errorf("golden cases: %d manifests kept for a second look, %d needing it: the comparison covers too little", held, needed)
	}
	if root := os.Getenv("UPGRADEGATE_CORPUS"); root != "" {
		n, need := compareSecondLook(t, root, Options{Root: root, Now: goldenNow, FailOn: finding.Error})
		t.Logf("%s: %d manifests kept for a second look, %d needing it", root, n, need)
	}
}

// compareSecondLook runs the first pass on root, builds the plan as
// finishPlan does, and compares lookAgain with checking again for every
// manifest kept for a second look. It returns how many were kept, and how
// many of them the plan calls to be looked at again (needsPlan).
func compareSecondLook(t *testing.T, root string, opts Options) (held, needed int) {
	t.Helper()
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	g := newGate(r, opts)
	cands, err := g.ws.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	g.ws.Index()
	files := g.readAll(ctx, cands)
	var hs []*plan.Header
	var results []*manifestResult
	var fileOf []int
	for fi := range files {
		for ri := range files[fi].results {
			res := &files[fi].results[ri]
			res.header.Checked = res.selected
			hs = append(hs, res.header)
			results = append(results, res)
			fileOf = append(fileOf, fi)
		}
	}
	if len(hs) == 0 {
		return 0, 0
	}
	p := plan.Build(hs)
	for i, res := range results {
		if res.selected && needsPlan(p, i, res, &g.coverage) { // as finishPlan asks
			if res.again == nil {
				t.Errorf("%s: %s: the plan needs a second look, but the first pass kept nothing for it (mayNeedPlan)", root, res.summary.Name)
			}
			needed++
		}
		if res.again == nil {
			continue
		}
		held++
		at := &planPoint{plan: p, step: i}
		f := g.ws.Read(files[fileOf[i]].cand)
		var want manifestResult
		for j, m := range f.Manifests {
			if m.Index == res.header.Doc {
				want = g.checkManifest(ctx, m, f.Decoded[j], res.header, at)
			}
		}
		got := *res
		got.policyUsed = slices.Clone(res.policyUsed)
		g.lookAgain(&got, at, 0)
		if got.again != nil {
			t.Errorf("%s: %s: lookAgain keeps what the first pass kept", root, res.summary.Name)
		}
		opt := cmp.Options{cmp.AllowUnexported(manifestResult{}), cmpopts.IgnoreFields(exception.Exception{}, "Loc"),
			cmp.Comparer(func(a, b *workspace.Policy) bool { return a == b }), cmp.Comparer(func(a, b *plan.Header) bool { return a == b })}
		if d := cmp.Diff(want, got, opt); d != "" {
			t.Errorf("%s: %s: the second look differs from checking again (-again +second look):\n%s", root, res.summary.Name, d)
		}
	}
	return held, needed
}

// TestSecondLookRedoesTheExceptions: in secondLookTree the plan's
// PostgreSQL changes app-2-2's suggested route, so the exception for the
// first pass's suggestion is unused (UG902) and the one for the second
// look's suppresses it; postgresql is no longer missing, so the UG302
// exceptions are unused too; what the other families found, the expired
// exception and the UG904 of every exception stay as the first pass left
// them.
func TestSecondLookRedoesTheExceptions(t *testing.T) {
	t.Parallel()
	dir := secondLookTree(t)
	rep, err := Run(context.Background(), Options{Root: dir, Now: goldenNow, FailOn: finding.Error, Approvals: goldenApprovals(t, dir)})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Findings {
		if f.Manifest != "app-2-2" && !strings.HasPrefix(f.File, "policies/") {
			continue
		}
		s := f.Rule.String() + " " + f.File
		if f.Suppressed {
			s += " suppressed"
		}
		if f.Rule == rules.UG204 || f.Rule == rules.UG902 {
			s += ": " + f.Message
		}
		got = append(got, s)
	}
	for _, want := range []string{
		"UG204 upgrades/app.yaml suppressed: suggested path: 1.0.0 -> 1.5.0 -> 2.0.0",
		"UG203 upgrades/app.yaml suppressed",
		`UG902 upgrades/app.yaml: exception for UG204 matching "1.0.0 -> 1.6.0" matches no finding`,
		"UG902 upgrades/app.yaml: exception for UG302 matches no finding",
		"UG902 upgrades/app.yaml: exception for UG502 matches no finding",
		"UG901 upgrades/app.yaml",
		`UG902 policies/app.yaml: exception for UG302 matching "postgresql" matches no finding`,
		"UG904 upgrades/app.yaml",
	} {
		found := false
		for _, s := range got {
			found = found || s == want
		}
		if !found {
			t.Errorf("no %q among app-2-2's and its policy's findings:\n%s", want, strings.Join(got, "\n"))
		}
	}
	for _, s := range got {
		if strings.Contains(s, "1.0.0 -> 1.6.0 -> 2.0.0") || strings.HasPrefix(s, "UG302") || strings.Contains(s, `UG204 matching "1.0.0 -> 1.5.0"`) || strings.Contains(s, "UG204 matching \"2.0.0\"") {
			t.Errorf("a finding of the first pass, or the UG902 of an exception the second look uses, is left: %s", s)
		}
	}
}
