package check

import (
	"context"
	"fmt"
	"path"
	"runtime"
	"runtime/trace"
	"sort"
	"sync"
	"time"

	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/internal/memo"
	"github.com/upgradegate/upgradegate/pkg/plan"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

// Run checks the manifests under opts.Paths and returns the report. An error
// means the gate could not run (bad paths, unreadable root); problems in the
// files are findings.
func Run(ctx context.Context, opts Options) (*report.Report, error) {
	r, err := repo.Open(opts.Root)
	if err != nil {
		return nil, err
	}
	g := newGate(r, opts)
	// the repository's policies, found before any manifest needs one: the
	// walk of the root feeds the index's reads as it goes, and Discover of
	// the root is that walk's answer
	// (the regions name the phases in an execution trace, UPGRADEGATE_TRACE)
	trace.WithRegion(ctx, "index", g.ws.Index)
	cands, err := g.ws.Discover(opts.Paths)
	if err != nil {
		return nil, err
	}
	var files []checkedFile
	trace.WithRegion(ctx, "readAll", func() { files = g.readAll(ctx, cands) })
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var rep *report.Report
	trace.WithRegion(ctx, "finish", func() { rep = g.finish(ctx, files) })
	return rep, ctx.Err()
}

// gate holds one run's shared state: what the workspace loaded, and the
// run's settings for evaluating it.
type gate struct {
	repo *repo.Repo
	ws   *workspace.Workspace
	opts Options
	now  time.Time

	// selection, in changed-only mode, chooses the manifests checked
	selection *selection

	// head reads the deployed locations in the working tree; scans holds
	// what each component's locations found (deployed.go)
	head  deployed.Files
	scans memo.Map[string, *deployed.State]
	// plan is the run's plan once every manifest is known
	plan *plan.Plan
	// coverage remembers the compatibility rows that cover each version
	// (coverage.go)
	coverage coverage
	// answers remembers the path engine's answers (answers.go)
	answers answers
}

func newGate(r *repo.Repo, opts Options) *gate {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	g := &gate{repo: r, ws: workspace.New(r), opts: opts, now: now.UTC(), head: deployed.NewWorkTree(r, workspace.MaxFileSize)}
	g.answers.routes.Max, g.answers.targets.Max = maxAnswers, maxAnswers
	if opts.ChangedOnly {
		g.selection = newSelection(r, opts.ChangedFiles)
	}
	return g
}

func (g *gate) jobs() int {
	if g.opts.Jobs > 0 {
		return g.opts.Jobs
	}
	return runtime.GOMAXPROCS(0)
}

// parallel runs fn(i) for i in [0,n) on the gate's workers.
func (g *gate) parallel(ctx context.Context, n int, fn func(i int)) {
	jobs := min(g.jobs(), n)
	var next int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= n {
					return
				}
				fn(i)
			}
		}()
	}
	wg.Wait()
}

// checkedFile is one candidate file loaded and its manifests evaluated.
type checkedFile struct {
	cand     workspace.Candidate
	findings []finding.Finding // file-level: syntax, size, no manifest
	results  []manifestResult  // one per manifest, in the file's order
	policies []string          // policy files named on the command line
}

// readAll loads each candidate file and evaluates its manifests right away,
// on the gate's workers: a manifest (its decoded fields and the position of
// each) lives only while it is checked, and what the run keeps of it is its
// result. 100,000 manifests are never held at once.
func (g *gate) readAll(ctx context.Context, cands []workspace.Candidate) []checkedFile {
	out := make([]checkedFile, len(cands))
	g.parallel(ctx, len(cands), func(i int) {
		f := g.ws.Read(cands[i])
		c := checkedFile{cand: cands[i], findings: f.Findings, policies: f.Policies, results: make([]manifestResult, len(f.Manifests))}
		for j, m := range f.Manifests {
			c.results[j] = g.checkManifest(ctx, m, f.Decoded[j], g.headerOf(m), nil)
		}
		// read once: the plan's second look works from what the results
		// keep (secondLook), not from the file
		g.ws.Release(cands[i].Rel)
		out[i] = c
	})
	return out
}

// manifestResult is what checking one manifest produced.
type manifestResult struct {
	selected bool
	summary  report.Manifest
	findings []finding.Finding
	policy   *workspace.Policy
	// usesPolicy is true when the manifest was checked against policy
	usesPolicy bool
	// used counts, per exception of the policy, the findings it matched
	policyUsed []int
	exceptions []report.Exception
	// header is what the run's plan knows of the manifest (its name and
	// the position of metadata.name too, for the duplicate-name check)
	header *plan.Header
	// planExceptions are the manifest's exceptions of the plan rules, and
	// the findings each matched so far: the plan's findings come once every
	// manifest is known (finishPlan), and so does their UG902
	planExceptions     []*exception.Exception
	planExceptionsUsed []int
	// in audit mode: the manifest's UG521 findings, kept only when no
	// other manifest of the run follows it (resolveFollowUps)
	unfollowed []finding.Finding
	// again is what the plan's second look needs of the manifest, kept on
	// the first pass when the plan may check it again (mayNeedPlan), until
	// finishPlan
	again *secondLook
}

func (g *gate) finish(ctx context.Context, files []checkedFile) *report.Report {
	var steps []report.PlanStep
	if !g.opts.Audit { // audit applies only what is due after the window
		steps = g.finishPlan(ctx, files)
	}
	// the results where the files hold them, in order: not copied (a
	// manifest's result is about a kilobyte)
	n := 0
	for _, f := range files {
		n += len(f.results)
	}
	results := make([]*manifestResult, 0, n)
	var findings []finding.Finding
	var namedPolicies []string
	for fi := range files {
		f := &files[fi]
		findings = append(findings, f.findings...)
		for ri := range f.results {
			results = append(results, &f.results[ri])
		}
		namedPolicies = append(namedPolicies, f.policies...)
	}

	// duplicate metadata.name within the repository
	names := map[string]int{} // metadata.name -> index of its first manifest
	for i := range results {
		res := results[i]
		if !res.selected || res.summary.Name == "" {
			continue
		}
		if first, dup := names[res.summary.Name]; dup {
			f := finding.New(rules.UG004, res.summary.File, res.header.NamePos.Line, res.header.NamePos.Column,
				fmt.Sprintf("metadata.name %q is also used by %s:%d", res.summary.Name, results[first].summary.File, results[first].header.NamePos.Line),
				"give every manifest a unique name")
			f.Node, f.Manifest = "metadata.name", res.summary.Name
			res.findings = append(res.findings, f)
			continue
		}
		names[res.summary.Name] = i
	}

	// UG521: a failed upgrade that no manifest of the run retries or follows
	if g.opts.Audit {
		resolveFollowUps(results)
	}

	// one slice of the right size for every finding, each manifest's own
	// freed as it is copied: no doubling of the largest slice of the run
	total := len(findings)
	for _, res := range results {
		total += len(res.findings)
	}
	findings = append(make([]finding.Finding, 0, total+len(results)/8+16), findings...)
	manifests := make([]report.Manifest, 0, len(results))
	var exceptions []report.Exception
	usedPolicies := map[*workspace.Policy][]int{}
	checkedComponents := map[string]bool{}
	skipped := 0
	for i := range results {
		res := *results[i]
		*results[i] = manifestResult{} // what the report takes of it is copied below
		if !res.selected {
			skipped++
			continue
		}
		manifests = append(manifests, res.summary)
		checkedComponents[res.summary.Component] = true
		findings = append(findings, res.findings...)
		exceptions = append(exceptions, res.exceptions...)
		if res.policy != nil {
			sum, ok := usedPolicies[res.policy]
			if !ok && res.policy.Policy != nil {
				sum = make([]int, len(res.policy.Policy.Exceptions))
			}
			for i, n := range res.policyUsed {
				sum[i] += n
			}
			usedPolicies[res.policy] = sum
		}
	}
	// policies named without a manifest of this run using them, and a
	// component's second policy in the repository (UG004), are validated on
	// their own: no manifest was checked
	// against their exceptions, so unused ones are not UG902
	unused := map[*workspace.Policy]bool{}
	for _, e := range g.ws.DuplicatePolicies() {
		namedPolicies = append(namedPolicies, e.Rel)
	}
	for _, rel := range namedPolicies {
		e := g.ws.Policy(rel)
		if _, ok := usedPolicies[e]; !ok {
			unused[e] = true
			usedPolicies[e] = nil
			if e.Policy != nil {
				usedPolicies[e] = make([]int, len(e.Policy.Exceptions))
			}
		}
	}
	// what each component deploys: its findings take its policy's
	// severities and exceptions
	pols, compFindings, view := g.componentFindings(g.plan, checkedComponents)
	for i, e := range pols {
		var kept []finding.Finding
		for _, f := range compFindings[i] {
			if f.Severity = e.Policy.Apply(f.Rule, f.Severity); f.Severity != finding.Off {
				kept = append(kept, f)
			}
		}
		if used := usedPolicies[e]; len(used) == len(e.Policy.Exceptions) {
			exception.Suppress(kept, e.Policy.Exceptions, used, g.now)
		}
		findings = append(findings, kept...)
	}
	// each policy's own findings and exception audit, once
	entries := make([]*workspace.Policy, 0, len(usedPolicies))
	for e := range usedPolicies {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Rel < entries[j].Rel })
	for _, e := range entries {
		findings = append(findings, e.Findings...)
		if g.selection == nil || g.selection.concerns(e.Rel) {
			// what the pull request relaxes (UG607) costs a comparison of
			// the whole policy: only for one whose findings are kept
			findings = append(findings, g.baseFindings(e)...)
		}
		if e.Policy == nil || e.Policy.Broken {
			continue
		}
		findings = append(findings, staleImports(e.Policy, g.now)...)
		used := usedPolicies[e]
		for _, f := range exception.Audit(e.Policy.Exceptions, used, g.now) {
			if !(unused[e] && f.Rule == rules.UG902) {
				findings = append(findings, f)
			}
		}
		if len(e.Policy.Exceptions) > 0 && g.approvesIn(e.Rel) {
			findings = append(findings, exception.CheckApproved(ctx, e.Policy.Exceptions, g.opts.Approvals)...)
		}
		exceptions = append(exceptions, exceptionInfos(e.Policy.Exceptions, used, g.now)...)
	}
	// policies the pull request deleted (UG607), once
	findings = append(findings, g.deletedPolicies()...)
	// the root's Settings document's own findings, once
	findings = append(findings, g.ws.Settings().Findings...)
	if g.selection != nil {
		findings = g.selection.keep(findings)
	}
	if g.opts.Audit {
		findings = auditOnly(findings)
	}
	rep := report.New(manifests, findings, exceptions, g.opts.FailOn)
	rep.NotConcerned = skipped
	rep.Plan = steps
	rep.Deployed = view
	return rep
}

func exceptionInfos(excs []*exception.Exception, used []int, now time.Time) []report.Exception {
	out := make([]report.Exception, 0, len(excs))
	for i, e := range excs {
		info := report.Exception{File: e.File, Line: e.Pos.Line, Column: e.Pos.Column, Rule: e.Rule, Match: e.Match,
			Reason: e.Reason, ApprovedBy: e.ApprovedBy, Expires: e.Expires, Expired: e.Expired(now)}
		if i < len(used) {
			info.Used = used[i]
		}
		out = append(out, info)
	}
	return out
}

// dir is the repository directory of a repository-relative file.
func dir(rel string) string {
	d := path.Dir(rel)
	if d == "." {
		return ""
	}
	return d
}
