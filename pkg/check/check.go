package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Run checks the manifests under opts.Paths and returns the report. An error
// means the gate could not run (bad paths, unreadable root); problems in the
// files are findings.
func Run(ctx context.Context, opts Options) (*report.Report, error) {
	r, err := repo.Open(opts.Root)
	if err != nil {
		return nil, err
	}
	cands, err := discover(r, opts.Paths)
	if err != nil {
		return nil, err
	}
	g := newGate(r, opts)
	files := g.readAll(ctx, cands)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return g.finish(ctx, files), ctx.Err()
}

// gate holds one run's shared state.
type gate struct {
	repo *repo.Repo
	opts Options
	now  time.Time

	// selection, in changed-only mode, chooses the manifests checked
	selection *selection

	mu       sync.Mutex
	policies map[string]*policyEntry
}

type policyEntry struct {
	once     sync.Once
	rel      string
	policy   *policy.Policy
	findings []finding.Finding
	readErr  error
}

func newGate(r *repo.Repo, opts Options) *gate {
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	g := &gate{repo: r, opts: opts, now: now.UTC(), policies: map[string]*policyEntry{}}
	if opts.ChangedOnly {
		g.selection = newSelection(r, opts.ChangedFiles)
	}
	return g
}

// fileResult is what reading one candidate file produced.
type fileResult struct {
	findings  []finding.Finding // file-level: syntax, size, no manifest
	manifests []*manifest.Manifest
	decoded   [][]finding.Finding // decoding findings per manifest
	policies  []string            // policy files named on the command line
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

func (g *gate) readAll(ctx context.Context, cands []candidate) []fileResult {
	out := make([]fileResult, len(cands))
	g.parallel(ctx, len(cands), func(i int) { out[i] = g.readFile(cands[i]) })
	return out
}

func (g *gate) readFile(c candidate) fileResult {
	var res fileResult
	fileFinding := func(rule rules.ID, msg, hint string) {
		res.findings = append(res.findings, finding.New(rule, c.rel, 1, 1, msg, hint))
	}
	var data []byte
	var size int64
	err := c.walkErr
	if err == nil {
		data, size, err = g.repo.ReadPrefix(c.rel, manifest.MaxFileSize+1)
	}
	if err != nil {
		// an unreadable file may hold manifests: the gate cannot pass it unseen
		fileFinding(rules.UG004, fmt.Sprintf("cannot read %q: %v", c.rel, cleanErr(err)),
			"make it readable by the gate, or leave it out of the paths checked")
		return res
	}
	if !c.explicit && !mayHoldManifest(data) {
		return res
	}
	if size > manifest.MaxFileSize {
		if c.explicit || looksLikeManifest(data[:manifest.MaxFileSize]) {
			fileFinding(rules.UG004, fmt.Sprintf("manifest file is %d bytes, over the 1 MiB limit", size),
				"split the file: one manifest per planned upgrade")
		}
		return res
	}
	docs, syntax := yamldoc.Parse(c.rel, data)
	if syntax != nil {
		if c.explicit || looksLikeManifest(data) {
			res.findings = append(res.findings, *syntax)
		}
		return res
	}
	isPolicy := false
	var notMapping *yaml.Node // a document that is not a mapping, for the message
	for i, doc := range docs {
		top := yamldoc.Content(doc)
		switch {
		case manifest.IsManifest(doc):
			m, fs := manifest.Decode(c.rel, i, doc)
			res.manifests = append(res.manifests, m)
			res.decoded = append(res.decoded, fs)
		case yamldoc.TopScalar(top, "kind") == policy.Kind:
			isPolicy = true
		case strings.HasPrefix(yamldoc.TopScalar(top, "apiVersion"), "upgradegate/"):
			res.findings = append(res.findings, unknownKind(c.rel, top))
		case top != nil && top.Kind != yaml.MappingNode && notMapping == nil:
			notMapping = top
		}
	}
	switch {
	case isPolicy:
		// a policy is validated whether named or found: a broken policy
		// in the tree is a finding even before a manifest uses it
		res.policies = append(res.policies, c.rel)
	case !c.explicit || len(res.manifests) > 0:
	case notMapping != nil:
		res.findings = append(res.findings, finding.New(rules.UG004, c.rel, notMapping.Line, notMapping.Column,
			fmt.Sprintf("%q holds no kind: Upgrade document: its document is %s, not a mapping", c.rel, yamldoc.KindName(notMapping)),
			"a manifest is a mapping with apiVersion, kind: Upgrade, metadata and spec"))
	default:
		fileFinding(rules.UG003, fmt.Sprintf("%q holds no kind: Upgrade document", c.rel),
			"a manifest has kind: Upgrade; name a manifest, a policy or a directory")
	}
	return res
}

// unknownKind reports a document of this gate's apiVersion whose kind is
// neither Upgrade nor Policy: most likely a misspelt manifest, which would
// otherwise be skipped without a word.
func unknownKind(file string, top *yaml.Node) finding.Finding {
	kind := yamldoc.TopScalar(top, "kind")
	line, col := top.Line, top.Column
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "kind" {
			line, col = top.Content[i+1].Line, top.Content[i+1].Column
		}
	}
	msg := fmt.Sprintf("kind %s is neither %q nor %q", yamldoc.Quote(kind), manifest.Kind, policy.Kind)
	if kind == "" {
		msg = fmt.Sprintf("document has apiVersion %s but no kind", yamldoc.Quote(yamldoc.TopScalar(top, "apiVersion")))
	} else if near, ok := yamldoc.Nearest(kind, []string{manifest.Kind, policy.Kind}); ok {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	f := finding.New(rules.UG004, file, line, col, msg, "upgradegate/v1 documents are kind: Upgrade (a manifest) or kind: Policy")
	f.Node = "kind"
	return f
}

// cleanErr strips the absolute path from file errors: findings name
// repository-relative files.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// loadPolicy reads and parses a policy once per run.
func (g *gate) loadPolicy(rel string) *policyEntry {
	g.mu.Lock()
	e, ok := g.policies[rel]
	if !ok {
		e = &policyEntry{rel: rel}
		g.policies[rel] = e
	}
	g.mu.Unlock()
	e.once.Do(func() {
		data, size, err := g.repo.ReadPrefix(rel, manifest.MaxFileSize+1)
		if err != nil {
			e.readErr = cleanErr(err)
			return
		}
		if size > manifest.MaxFileSize {
			e.findings = []finding.Finding{policy.TooLarge(rel, size)}
			return
		}
		e.policy, e.findings, e.readErr = policy.Parse(rel, data)
	})
	return e
}

// manifestResult is what checking one manifest produced.
type manifestResult struct {
	selected bool
	summary  report.Manifest
	findings []finding.Finding
	policy   *policyEntry
	// used counts, per exception of the policy, the findings it matched
	policyUsed []int
	exceptions []report.Exception
}

func (g *gate) finish(ctx context.Context, files []fileResult) *report.Report {
	var all []*manifest.Manifest
	var decoded [][]finding.Finding
	var findings []finding.Finding
	var namedPolicies []string
	for _, f := range files {
		findings = append(findings, f.findings...)
		all = append(all, f.manifests...)
		decoded = append(decoded, f.decoded...)
		namedPolicies = append(namedPolicies, f.policies...)
	}
	results := make([]manifestResult, len(all))
	g.parallel(ctx, len(all), func(i int) { results[i] = g.checkManifest(ctx, all[i], decoded[i]) })

	// duplicate metadata.name within the repository
	names := map[string]*manifest.Manifest{}
	for i, m := range all {
		if !results[i].selected || m.Name == "" {
			continue
		}
		if first, dup := names[m.Name]; dup {
			p := m.Loc.Locate("metadata.name")
			f := finding.New(rules.UG004, m.File, p.Line, p.Column,
				fmt.Sprintf("metadata.name %q is also used by %s:%d", m.Name, first.File, first.Loc.Locate("metadata.name").Line),
				"give every manifest a unique name")
			f.Node, f.Manifest = "metadata.name", m.Name
			results[i].findings = append(results[i].findings, f)
			continue
		}
		names[m.Name] = m
	}

	var manifests []report.Manifest
	var exceptions []report.Exception
	usedPolicies := map[*policyEntry][]int{}
	for _, res := range results {
		if !res.selected {
			continue
		}
		manifests = append(manifests, res.summary)
		findings = append(findings, res.findings...)
		exceptions = append(exceptions, res.exceptions...)
		if res.policy != nil {
			sum, ok := usedPolicies[res.policy]
			if !ok && res.policy.policy != nil {
				sum = make([]int, len(res.policy.policy.Exceptions))
			}
			for i, n := range res.policyUsed {
				sum[i] += n
			}
			usedPolicies[res.policy] = sum
		}
	}
	// policies found or named without a manifest of this run using them are
	// validated on their own: no manifest was checked against their
	// exceptions, so unused ones are not UG902
	unused := map[*policyEntry]bool{}
	for _, rel := range namedPolicies {
		e := g.loadPolicy(rel)
		if _, ok := usedPolicies[e]; !ok {
			unused[e] = true
			usedPolicies[e] = nil
			if e.policy != nil {
				usedPolicies[e] = make([]int, len(e.policy.Exceptions))
			}
		}
	}
	// each policy's own findings and exception audit, once
	entries := make([]*policyEntry, 0, len(usedPolicies))
	for e := range usedPolicies {
		entries = append(entries, e)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].rel < entries[j].rel })
	for _, e := range entries {
		findings = append(findings, e.findings...)
		if e.policy == nil || e.policy.Broken {
			continue
		}
		used := usedPolicies[e]
		for _, f := range exception.Audit(e.policy.Exceptions, used, g.now) {
			if !(unused[e] && f.Rule == rules.UG902) {
				findings = append(findings, f)
			}
		}
		exceptions = append(exceptions, exceptionInfos(e.policy.Exceptions, used, g.now)...)
	}
	if g.selection != nil {
		findings = g.selection.keep(findings)
	}
	return report.New(manifests, findings, exceptions, g.opts.FailOn)
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
