package action

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/report"
)

const (
	// canary is the token: it must never be printed.
	canary  = "ghs_CANARYtoken0123456789abcdefABCDEF"
	headSHA = "0123456789abcdef0123456789abcdef01234567"
	server  = "https://github.test"
)

var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const policyYAML = `apiVersion: upgradegate/v1
kind: Policy
metadata:
  name: app
spec:
  component: app
  releases: [1.0.0, 1.1.0, 2.0.0, 2.1.0, 3.0.0]
  requiredStops:
    - version: 2.0.0
`

// manifestYAML is a manifest that passes with path [2.0.0] and fails UG201
// (at line 9, column 7) with path [].
func manifestYAML(path string) string {
	return `apiVersion: upgradegate/v1
kind: Upgrade
metadata:
  name: app-3
spec:
  component: app
  policy: ../policies/app.yaml
  from: 1.0.0
  to: 3.0.0
  path: ` + path + `
  owner: "@platform-team"
  impact:
    releaseNotes: [https://example.com/app/3.0]
    downtime: none
    migrations: false
    window: {start: 2026-12-01T22:00:00Z, end: 2026-12-01T23:30:00Z}
  rollback:
    steps: ["redeploy 1.0.0"]
    tested: true
  stakeholders:
    notify: [it-operations]
    channel: "#app"
  dryRun:
    environment: staging
    version: 3.0.0
    date: 2026-11-18
    result: passed
  healthChecks: ["curl -fsS https://app.example.com/ready"]
  review: {owner: "@carol", due: 2026-12-08}
  docs: [docs/app.md]
`
}

const (
	clean   = "[2.0.0]"
	failing = "[]"
	// ug201 is the annotation of the failing manifest's finding.
	ug201 = `::error file=upgrades/app.yaml,line=9,col=7,title=UG201::hop "1.0.0" -> "3.0.0" skips required stop "2.0.0"`
)

// harness is one repository, its pull request #7 and a fake GitHub.
type harness struct {
	t   *testing.T
	gh  *fakegithub.Server
	ws  string
	env map[string]string
	// baseSHA is the checkout's base commit (checkoutMerge)
	baseSHA string
	// check replaces check.Run when set.
	check func(context.Context, check.Options) (*report.Report, error)
	// audit replaces the audit when set.
	audit func(context.Context, check.Options) (*report.Report, error)

	mu     sync.Mutex
	sleeps []time.Duration
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	h := &harness{t: t, gh: fakegithub.New(t, canary, "o", "r"), ws: t.TempDir()}
	h.write("policies/app.yaml", policyYAML)
	h.write("upgrades/app.yaml", manifestYAML(clean))
	h.write("docs/app.md", "# runbook\n")
	h.write("README.md", "# service\n")
	h.gh.Files = []string{"upgrades/app.yaml", "docs/app.md"}
	// every input as the runner passes it: upper-cased, hyphens kept,
	// defaults filled in from action.yml
	h.env = map[string]string{
		"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": h.ws, "GITHUB_REPOSITORY": "o/r",
		"GITHUB_API_URL": h.gh.APIURL(), "GITHUB_SERVER_URL": server, "GITHUB_EVENT_NAME": "pull_request",
		"GITHUB_WORKFLOW": "Upgrade gate", "GITHUB_JOB": "gate", "GITHUB_RUN_ID": "42",
		"GITHUB_SHA":  "fedcba9876543210fedcba9876543210fedcba98",
		"INPUT_PATHS": ".", "INPUT_FAIL-ON": "error", "INPUT_COMMENT": "on-failure", "INPUT_TOKEN": canary,
		"INPUT_SECRETS-TOKEN": "", "INPUT_CHANGED-ONLY": "true", "INPUT_SARIF-FILE": "", "INPUT_JSON-FILE": "",
		"INPUT_REPORT-FILE": "",
	}
	h.setEvent(prEvent(7, "o/r"))
	h.baseSHA, _ = h.checkoutMerge(nil)
	return h
}

// checkoutMerge makes the workspace a git repository (go-git) checked out
// as actions/checkout leaves a pull request with fetch-depth: 2: a base
// commit (the workspace's files with base laid over them; nil: the files as
// they are), the pull request's head (the workspace's files), and their
// merge commit, HEAD and GITHUB_SHA. Files written later change the work
// tree only.
func (h *harness) checkoutMerge(base map[string]string) (baseSHA, mergeSHA string) {
	h.t.Helper()
	if err := os.RemoveAll(filepath.Join(h.ws, ".git")); err != nil {
		h.t.Fatal(err)
	}
	head := map[string]string{}
	if err := filepath.WalkDir(h.ws, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(h.ws, p)
		head[filepath.ToSlash(rel)] = string(data)
		return err
	}); err != nil {
		h.t.Fatal(err)
	}
	testtree.GitInit(h.t, h.ws)
	for rel, content := range base {
		if content == "" {
			os.Remove(filepath.Join(h.ws, filepath.FromSlash(rel)))
			continue
		}
		h.write(rel, content)
	}
	baseSHA = testtree.GitCommit(h.t, h.ws, "base")
	testtree.Add(h.t, h.ws, head)
	for rel := range base {
		if _, ok := head[rel]; !ok {
			os.Remove(filepath.Join(h.ws, filepath.FromSlash(rel)))
		}
	}
	prHead := testtree.GitCommit(h.t, h.ws, "head")
	mergeSHA = testtree.GitCommit(h.t, h.ws, "merge", baseSHA, prHead)
	testtree.GitCheckout(h.t, h.ws, mergeSHA)
	h.env["GITHUB_SHA"] = mergeSHA
	return baseSHA, mergeSHA
}

func (h *harness) write(rel, content string) {
	h.t.Helper()
	testtree.Add(h.t, h.ws, map[string]string{rel: content})
}

// prEvent is a pull_request event from headRepo into o/r.
func prEvent(number int, headRepo string) map[string]any {
	return map[string]any{
		"action": "synchronize", "number": number,
		"pull_request": map[string]any{
			"number": number, "changed_files": 2,
			"head": map[string]any{"sha": headSHA, "ref": "upgrade-app", "repo": map[string]any{"full_name": headRepo}},
			"base": map[string]any{"sha": "b0", "ref": "main", "repo": map[string]any{"full_name": "o/r"}},
		},
		"repository": map[string]any{"full_name": "o/r"},
	}
}

func (h *harness) setEvent(ev map[string]any) {
	h.t.Helper()
	data, err := json.Marshal(ev)
	if err != nil {
		h.t.Fatal(err)
	}
	p := filepath.Join(h.t.TempDir(), "event.json")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		h.t.Fatal(err)
	}
	h.env["GITHUB_EVENT_PATH"] = p
}

func (h *harness) runner() Runner {
	return Runner{
		Version: "v1.2.3-test",
		Now:     func() time.Time { return testNow },
		Check:   h.check,
		Audit:   h.audit,
		Sleep: func(ctx context.Context, d time.Duration) error {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.sleeps = append(h.sleeps, d)
			return ctx.Err()
		},
	}
}

// result is what one step produced.
type result struct {
	code                    int
	stdout, stderr, summary string
	outputs                 map[string]string
	// reqs are the API requests of this run (when runs are not concurrent).
	reqs []fakegithub.Request
}

// run runs the step as the runner would: fresh GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files, the environment, and then checks that the
// token was never written anywhere.
func (h *harness) run() result {
	h.t.Helper()
	return h.runWith(func(env map[string]string, stdout, stderr *bytes.Buffer) int {
		return h.runner().Main(context.Background(), func(k string) string { return env[k] }, stdout, stderr)
	})
}

// runWith runs the step with exec, in process or as a process.
func (h *harness) runWith(exec func(env map[string]string, stdout, stderr *bytes.Buffer) int) result {
	h.t.Helper()
	dir := h.t.TempDir()
	env := map[string]string{
		"GITHUB_OUTPUT":       filepath.Join(dir, "output"),
		"GITHUB_STEP_SUMMARY": filepath.Join(dir, "summary"),
	}
	for k, v := range h.env {
		env[k] = v
	}
	for _, k := range []string{"GITHUB_OUTPUT", "GITHUB_STEP_SUMMARY"} {
		if env[k] != "" {
			if err := os.WriteFile(env[k], nil, 0o644); err != nil {
				h.t.Fatal(err)
			}
		}
	}
	before := len(h.gh.Requests())
	var stdout, stderr bytes.Buffer
	code := exec(env, &stdout, &stderr)
	res := result{code: code, stdout: stdout.String(), stderr: stderr.String(), reqs: h.gh.Requests()[before:]}
	if env["GITHUB_STEP_SUMMARY"] != "" {
		data, _ := os.ReadFile(env["GITHUB_STEP_SUMMARY"])
		res.summary = string(data)
	}
	if env["GITHUB_OUTPUT"] != "" {
		data, _ := os.ReadFile(env["GITHUB_OUTPUT"])
		res.outputs = parseOutputs(h.t, string(data))
	}
	h.assertNoToken(res)
	return res
}

// assertNoToken checks that the token is sent as the API's credential and
// written nowhere: not in the log, the summary, the outputs or a comment.
func (h *harness) assertNoToken(res result) {
	h.t.Helper()
	for name, s := range map[string]string{"stdout": res.stdout, "stderr": res.stderr, "summary": res.summary} {
		if hasToken(s) {
			h.t.Errorf("the token appears in %s", name)
		}
	}
	for k, v := range res.outputs {
		if hasToken(v) {
			h.t.Errorf("the token appears in output %s", k)
		}
	}
	for _, r := range h.gh.Requests() {
		if hasToken(r.Body) || hasToken(r.RawQuery) {
			h.t.Errorf("the token appears in the body of %s", r)
		}
		if auth := r.Header.Get("Authorization"); auth != "Bearer "+canary {
			h.t.Errorf("%s: Authorization %q, want the token", r, auth)
		}
		if r.Route == fakegithub.Unknown {
			h.t.Errorf("unexpected request %s", r)
		}
	}
}

// hasToken reports whether s holds the token as it is or as Markdown escapes
// it (ghs\_…), or, in a JSON request body, its JSON form.
func hasToken(s string) bool {
	return strings.Contains(s, canary) || strings.Contains(s, report.EscapeMarkdown(canary)) ||
		strings.Contains(s, strings.ReplaceAll(report.EscapeMarkdown(canary), `\`, `\\`))
}

// parseOutputs reads name<<DELIM blocks from a GITHUB_OUTPUT file.
func parseOutputs(t *testing.T, s string) map[string]string {
	t.Helper()
	out := map[string]string{}
	lines := strings.Split(s, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] == "" {
			continue
		}
		name, delim, ok := strings.Cut(lines[i], "<<")
		if !ok {
			t.Fatalf("GITHUB_OUTPUT line %q is not name<<DELIMITER", lines[i])
		}
		var val []string
		for i++; i < len(lines) && lines[i] != delim; i++ {
			val = append(val, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("GITHUB_OUTPUT: block %q has no closing delimiter", name)
		}
		out[name] = strings.Join(val, "\n")
	}
	return out
}

// commentUpkeep returns the requests that keep the comment.
func commentUpkeep(reqs []fakegithub.Request) []fakegithub.Request {
	var out []fakegithub.Request
	for _, r := range reqs {
		switch r.Route {
		case fakegithub.ListComments, fakegithub.CreateComment, fakegithub.EditComment, fakegithub.DeleteComment,
			fakegithub.User, fakegithub.GraphQL:
			out = append(out, r)
		}
	}
	return out
}

// assertUpkeepBudget checks the comment upkeep's request budget: at most 2
// requests plus one per page of comments listed.
func assertUpkeepBudget(t *testing.T, reqs []fakegithub.Request) {
	t.Helper()
	up := commentUpkeep(reqs)
	pages := fakegithub.Count(up, fakegithub.ListComments)
	writes := len(up) - pages
	if writes > 2 {
		t.Errorf("comment upkeep made %d writes, want at most 2 (create and delete a duplicate, or one edit): %v", writes, up)
	}
	if len(up) > 2+pages {
		t.Errorf("comment upkeep took %d requests for %d pages of comments, want at most %d: %v", len(up), pages, 2+pages, up)
	}
}

func marker() string { return Marker("Upgrade gate", "gate") }

// race runs the step twice at once, with both runs' first comment listing
// answered before either creates a comment: the race that can leave two
// comments. It returns the two exit codes.
func (h *harness) race(run func() result) []int {
	h.t.Helper()
	h.gh.HoldCreatesUntilListed(2)
	return h.twice(run)
}

// twice runs the step twice at once and returns the two exit codes.
func (h *harness) twice(run func() result) []int {
	h.t.Helper()
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = run().code
		}()
	}
	wg.Wait()
	return codes
}

// withMarker returns the comments that carry marker, oldest first.
func withMarker(gh *fakegithub.Server, marker string) []fakegithub.Comment {
	var out []fakegithub.Comment
	for _, c := range gh.Comments() {
		if strings.Contains(c.Body, marker) {
			out = append(out, c)
		}
	}
	return out
}
