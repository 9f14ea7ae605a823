package check

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// memoManifest is one manifest of answersTree: the golden base manifest
// with its own name, versions, path and environment.
type memoManifest struct {
	name, from, to, path string // path "" leaves spec.path out
	env                  []string
	routed               bool // of component svc (routePolicy), else app
}

// routePolicy is golden case UG204-trigger-plan-environment-changes-route's
// policy for a component svc: from 1.0.0 to 2.0.0 the route goes through
// 1.6.0 in PostgreSQL 13 to 15, through 1.5.0 in 16 and later, and no
// route is supported below 13 (UG206).
const routePolicy = `apiVersion: upgradegate/v1
kind: Policy
metadata:
  name: svc
spec:
  component: svc
  releases: [1.0.0, 1.5.0, 1.6.0, 2.0.0]
  blocked:
    - from: ">= 1.0.0, < 1.1.0"
      to: ">= 2.0.0"
      reason: "2.0 migrates data written by 1.5 or later"
  compatibility:
    - versions: ">= 1.5.0, < 1.6.0"
      requires:
        postgresql: ">= 13"
    - versions: ">= 1.6.0, < 1.7.0"
      requires:
        postgresql: ">= 13, < 16"
    - versions: ">= 2.0.0"
      requires:
        postgresql: ">= 13"
  dryRunMaxAge: 14d
  downtimeWindow: both
`

// answersTree is the base policy of golden case
// UG301-trigger-too-new-later-target (PostgreSQL ">= 13, < 17" from 2.0,
// ">= 14" and Kubernetes ">= 1.27" from 3.0) with manifests that ask the
// path engine the same questions and nearly the same ones: equal versions
// in an environment that differs only in a component no row requires
// (same answers), or in a version a row judges (other answers: a route,
// UG206, UG301 with the too-new hint's compatible target), or in a
// required component's presence (UG302), and versions written differently.
func answersTree(t *testing.T) (string, []memoManifest) {
	t.Helper()
	dir := testtree.Golden(t, "UG301-trigger-too-new-later-target")
	man, err := os.ReadFile(filepath.Join(dir, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "upgrades", "app.yaml")); err != nil {
		t.Fatal(err)
	}
	base := string(man)
	envBlock := "  environment:\n    postgresql: \"17.1\"\n    kubernetes: \"1.29.4\"\n"
	if !strings.Contains(base, envBlock) || !strings.Contains(base, "  path: [1.2.5]\n") {
		t.Fatal("the golden case's manifest changed: answersTree needs its environment and path")
	}
	ms := []memoManifest{
		{"a-supported", "1.2.0", "2.2.0", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.29.4\""}, false},
		{"b-same-as-a", "1.2.0", "2.2.0", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.29.4\""}, false},
		{"c-redis-differs", "1.2.0", "2.2.0", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.29.4\"", "redis: \"7.2\""}, false},
		{"d-postgres-too-new", "1.2.0", "2.2.0", "", []string{"postgresql: \"17.1\"", "kubernetes: \"1.29.4\""}, false},
		{"e-postgres-too-old", "1.2.0", "2.2.0", "", []string{"postgresql: \"12.4\"", "kubernetes: \"1.29.4\""}, false},
		{"f-kubernetes-old", "1.2.0", "3.1.0", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.26.0\""}, false},
		{"g-kubernetes-new", "1.2.0", "3.1.0", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.29.4\""}, false},
		{"h-no-postgres", "1.2.0", "3.1.0", "", []string{"kubernetes: \"1.29.4\""}, false},
		{"i-too-new-declared", "1.2.0", "2.2.0", "[1.2.5]", []string{"postgresql: \"17.1\"", "kubernetes: \"1.29.4\""}, false},
		{"j-same-as-i", "1.2.0", "2.2.0", "[1.2.5]", []string{"postgresql: \"17.1\"", "kubernetes: \"1.29.4\""}, false},
		{"k-short-versions", "1.2", "2.2", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.29.4\""}, false},
		{"l-postgres-written-short", "1.2.0", "2.2.0", "", []string{"postgresql: \"14\"", "kubernetes: \"1.29\""}, false},
		{"m-no-environment", "1.0.0", "3.1.0", "", nil, false},
		{"n-from-differs", "1.0.0", "2.2.0", "", []string{"postgresql: \"17.1\"", "kubernetes: \"1.29.4\""}, false},
		{"o-route-through-1-6", "1.0.0", "2.0.0", "", []string{"postgresql: \"14.11\""}, true},
		{"p-route-through-1-5", "1.0.0", "2.0.0", "", []string{"postgresql: \"16.4\""}, true},
		{"q-no-route-supported", "1.0.0", "2.0.0", "", []string{"postgresql: \"12.4\""}, true},
		{"r-same-as-o", "1.0.0", "2.0.0", "", []string{"postgresql: \"14.11\"", "kubernetes: \"1.29.4\""}, true},
		{"s-same-as-p", "1.0.0", "2.0.0", "", []string{"postgresql: \"16.4\""}, true},
	}
	files := map[string]string{}
	for _, m := range ms {
		s := strings.Replace(base, "name: app-2-2", "name: "+m.name, 1)
		s = strings.Replace(s, "  from: 1.2.0\n  to: 2.2.0\n", fmt.Sprintf("  from: %s\n  to: %s\n", m.from, m.to), 1)
		s = strings.Replace(s, "version: 2.2.0", "version: "+m.to, 1)
		path := ""
		if m.path != "" {
			path = "  path: " + m.path + "\n"
		}
		s = strings.Replace(s, "  path: [1.2.5]\n", path, 1)
		env := ""
		if len(m.env) > 0 {
			env = "  environment:\n    " + strings.Join(m.env, "\n    ") + "\n"
		}
		s = strings.Replace(s, envBlock, env, 1)
		if m.routed {
			s = strings.Replace(s, "  component: app\n  policy: ../policies/app.yaml\n", "  component: svc\n  policy: ../policies/svc.yaml\n", 1)
		}
		files["upgrades/"+m.name+".yaml"] = s
	}
	files["policies/svc.yaml"] = routePolicy
	testtree.Add(t, dir, files)
	return dir, ms
}

// jsonReport runs the gate and returns its JSON report.
func jsonReport(t *testing.T, opts Options) []byte {
	t.Helper()
	rep, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := report.JSON(&buf, rep, report.Options{}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestAnswersAreExact: the run's remembered answers of the path engine
// (answers.go) change nothing: the report of answersTree, whose manifests
// ask equal and nearly equal questions, is byte for byte the report of a
// run that works out every answer for each manifest again, and each
// manifest's findings and summary are what checking it alone gives (the
// plan left out: it links the manifests). The manifests that differ in
// an environment value a row judges get different answers.
func TestAnswersAreExact(t *testing.T) {
	t.Parallel()
	dir, ms := answersTree(t)
	opts := Options{Root: dir, Now: goldenNow, FailOn: finding.Error}
	with := jsonReport(t, opts)
	opts.withoutAnswers = true
	without := jsonReport(t, opts)
	if d := cmp.Diff(string(without), string(with)); d != "" {
		t.Fatalf("the report with the remembered answers differs (-each manifest's own +remembered):\n%s", d)
	}

	// the manifests of one component form a chain in the plan, whose
	// environment flows from one to the next: alone, a manifest has none
	// of that, so the comparison with checking it alone leaves the plan out
	rep, err := Run(context.Background(), Options{Root: dir, Now: goldenNow, FailOn: finding.Error, withoutPlan: true})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]string{}
	summaries := map[string]report.Manifest{}
	for _, m := range rep.Manifests {
		summaries[m.Name] = m
	}
	for _, f := range rep.Findings {
		if f.Manifest != "" {
			byName[f.Manifest] = append(byName[f.Manifest], findingLine(f))
		}
	}
	for _, m := range ms {
		alone := testtree.Golden(t, "UG301-trigger-too-new-later-target")
		data, err := os.ReadFile(filepath.Join(dir, "upgrades", m.name+".yaml"))
		if err != nil {
			t.Fatal(err)
		}
		testtree.Add(t, alone, map[string]string{"upgrades/app.yaml": string(data), "policies/svc.yaml": routePolicy})
		one, err := Run(context.Background(), Options{Root: alone, Now: goldenNow, FailOn: finding.Error, withoutPlan: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, f := range one.Findings {
			if f.Manifest == m.name {
				f.File = "upgrades/" + m.name + ".yaml"
				got = append(got, findingLine(f))
			}
		}
		if d := cmp.Diff(got, byName[m.name]); d != "" {
			t.Errorf("%s: its findings in the tree differ from checking it alone (-alone +tree):\n%s", m.name, d)
		}
		if len(one.Manifests) != 1 {
			t.Fatalf("%s alone: %d manifests in the report", m.name, len(one.Manifests))
		}
		s := one.Manifests[0]
		s.File = summaries[m.name].File
		if d := cmp.Diff(s, summaries[m.name]); d != "" {
			t.Errorf("%s: its summary in the tree differs from checking it alone (-alone +tree):\n%s", m.name, d)
		}
	}

	// the answers tell the environments apart where a row does
	differ := func(a, b string) {
		t.Helper()
		if cmp.Equal(byName[a], byName[b]) && cmp.Equal(summaries[a].SuggestedPath, summaries[b].SuggestedPath) {
			t.Errorf("%s and %s: same findings and suggestion, though a compatibility row judges their environments differently:\n%s", a, b, strings.Join(byName[a], "\n"))
		}
	}
	differ("a-supported", "d-postgres-too-new")
	differ("a-supported", "e-postgres-too-old")
	differ("d-postgres-too-new", "e-postgres-too-old")
	differ("f-kubernetes-old", "g-kubernetes-new")
	differ("g-kubernetes-new", "h-no-postgres")
	// and the same where none does (the file and name aside)
	same := func(a, b string) {
		t.Helper()
		strip := func(ls []string) []string {
			out := make([]string, len(ls))
			for i, l := range ls {
				out[i] = strings.ReplaceAll(l, a, b)
			}
			return out
		}
		if d := cmp.Diff(strip(byName[a]), byName[b]); d != "" {
			t.Errorf("%s and %s: the environments differ in no component a row requires, the findings do (-%s +%s):\n%s", a, b, a, b, d)
		}
	}
	same("a-supported", "b-same-as-a")
	same("a-supported", "c-redis-differs")
	same("i-too-new-declared", "j-same-as-i")
	differ("o-route-through-1-6", "p-route-through-1-5")
	differ("o-route-through-1-6", "q-no-route-supported")
	same("o-route-through-1-6", "r-same-as-o")
	same("p-route-through-1-5", "s-same-as-p")
	for name, want := range map[string][]string{"o-route-through-1-6": {"1.6.0"}, "p-route-through-1-5": {"1.5.0"}, "r-same-as-o": {"1.6.0"}} {
		if got := summaries[name].SuggestedPath; !cmp.Equal(got, want) {
			t.Errorf("%s: suggested path %v, want %v", name, got, want)
		}
	}
}

// findingLine renders what a finding says and where, for comparisons.
func findingLine(f finding.Finding) string {
	return fmt.Sprintf("%s %s %s:%d:%d %s %s | %s", f.Rule, f.Severity, f.File, f.Line, f.Column, f.Node, f.Message, f.Hint)
}

// TestAnswersKeyedByWhatTheEngineReads: answers.route gives one answer per
// policy, from, to (as written) and the environment's versions of the
// components the rows require; an environment that differs elsewhere
// shares it, one that differs there does not, and so do policies and
// versions written differently. Asked from many goroutines at once, each
// key is worked out once (run with -race).
func TestAnswersKeyedByWhatTheEngineReads(t *testing.T) {
	t.Parallel()
	pol := memoPolicy(t)
	other := memoPolicy(t)
	v := func(s string) *version.Version {
		gv, err := version.NewVersion(s)
		if err != nil {
			t.Fatal(err)
		}
		return gv
	}
	env := func(kv ...string) upgradepath.Env {
		e := upgradepath.Env{}
		for i := 0; i < len(kv); i += 2 {
			e[kv[i]] = v(kv[i+1])
		}
		return e
	}
	var a answers
	from, to := v("1.2.0"), v("2.2.0")
	ok := a.route(pol, from, to, env("postgresql", "14.11", "kubernetes", "1.29.4"))
	if ok.err != nil || ok.sg.Incompatible != 0 {
		t.Fatalf("route for postgresql 14.11 = %+v, %v: want a compatible route", ok.sg, ok.err)
	}
	if r := a.route(pol, from, to, env("postgresql", "14.11", "kubernetes", "1.29.4", "redis", "7")); r != ok {
		t.Error("an environment that differs only in redis, which no row requires, got an answer of its own")
	}
	if r := a.route(pol, from, to, env("postgresql", "17.1", "kubernetes", "1.29.4")); r == ok {
		t.Error("postgresql 17.1, which row 2 does not allow, shares the answer for 14.11")
	}
	// a compatible target above 2.2.0: 3.0.0 for PostgreSQL 17.1 (row 3
	// asks >= 14), none for 13.5
	if got := joinVersions(a.compatibleTarget(pol, env("postgresql", "17.1"), from, to)); got != "1.2.0 -> 1.2.5 -> 3.0.0" {
		t.Errorf("compatible target for postgresql 17.1 = %q, want 1.2.0 -> 1.2.5 -> 3.0.0", got)
	}
	if got := a.compatibleTarget(pol, env("postgresql", "13.5"), from, to); got != nil {
		t.Errorf("compatible target for postgresql 13.5 = %s, want none", joinVersions(got))
	}
	for _, c := range []struct {
		what     string
		pol      *policy.Policy
		from, to string
		env      upgradepath.Env
	}{
		{"postgresql written 14.11.0", pol, "1.2.0", "2.2.0", env("postgresql", "14.11.0", "kubernetes", "1.29.4")},
		{"no postgresql", pol, "1.2.0", "2.2.0", env("kubernetes", "1.29.4")},
		{"another policy", other, "1.2.0", "2.2.0", env("postgresql", "14.11", "kubernetes", "1.29.4")},
		{"from written 1.2", pol, "1.2", "2.2.0", env("postgresql", "14.11", "kubernetes", "1.29.4")},
		{"another target", pol, "1.2.0", "2.1.0", env("postgresql", "14.11", "kubernetes", "1.29.4")},
	} {
		if r := a.route(c.pol, v(c.from), v(c.to), c.env); r == ok {
			t.Errorf("%s: shares the answer for 1.2.0 -> 2.2.0 in postgresql 14.11", c.what)
		}
	}

	var calls sync.Map // key -> *int, counted by the computation
	var wg sync.WaitGroup
	var b answers
	keys := []string{"12.4", "14.11", "17.1", "16"}
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				pg := keys[(g+i)%len(keys)]
				k := routeKeyOf(pol, from, to, env("postgresql", pg))
				r := get(&b.routes, k, func() *route {
					n, _ := calls.LoadOrStore(pg, new(int))
					*n.(*int)++ // only the first asker of a key gets here
					return a.route(pol, from, to, env("postgresql", pg))
				})
				if want := a.route(pol, from, to, env("postgresql", pg)); r != want {
					t.Errorf("postgresql %s: the shared answer is not the one worked out for it", pg)
				}
			}
		}()
	}
	wg.Wait()
	calls.Range(func(k, n any) bool {
		if *n.(*int) != 1 {
			t.Errorf("postgresql %s: worked out %d times, want once", k, *n.(*int))
		}
		return true
	})
}

// memoPolicy loads the policy of golden case
// UG301-trigger-too-new-later-target, with its engine.
func memoPolicy(t *testing.T) *policy.Policy {
	t.Helper()
	dir := testtree.Golden(t, "UG301-trigger-too-new-later-target")
	data, err := os.ReadFile(filepath.Join(dir, "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pol, fs, err := policy.Parse("policies/app.yaml", data)
	if err != nil || pol == nil || pol.Engine == nil {
		t.Fatalf("policy: %v, %v", fs, err)
	}
	return pol
}
