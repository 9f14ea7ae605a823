package action

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	githubactions "github.com/sethvargo/go-githubactions"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
)

// Comment modes (the comment input).
const (
	CommentAlways    = "always"
	CommentOnFailure = "on-failure"
	CommentNever     = "never"
)

// inputs are the action's inputs (action.yml), read from INPUT_<NAME> with
// the name upper-cased and its hyphens kept (fail-on: INPUT_FAIL-ON).
type inputs struct {
	Paths        []string
	FailOn       finding.Severity
	Comment      string
	Token        string
	SecretsToken string
	// MembersToken may read organization team membership (Members: read),
	// for approvals from teams (UG518, UG904).
	MembersToken string
	// Audit runs the audit (UG519–UG522) and keeps the tracking issue,
	// instead of checking a change (schedule, workflow_dispatch).
	Audit       bool
	ChangedOnly bool
	SARIFFile   string
	JSONFile    string
	// ReportFile, set in the second workflow of the fork setup, is a JSON
	// report computed earlier: the action posts it instead of checking.
	ReportFile string
}

// readInputs reads and validates the inputs; empty inputs take action.yml's
// defaults, so the binary behaves the same outside a runner.
func readInputs(a *githubactions.Action) (inputs, error) {
	in := inputs{
		Token:        a.GetInput("token"),
		SecretsToken: a.GetInput("secrets-token"),
		MembersToken: a.GetInput("members-token"),
		SARIFFile:    a.GetInput("sarif-file"),
		JSONFile:     a.GetInput("json-file"),
		ReportFile:   a.GetInput("report-file"),
	}
	var errs []error
	for _, p := range strings.FieldsFunc(a.GetInput("paths"), func(r rune) bool { return r == '\n' || r == ',' }) {
		if p = strings.TrimSpace(p); p != "" {
			in.Paths = append(in.Paths, p)
		}
	}
	if len(in.Paths) == 0 {
		in.Paths = []string{"."}
	}

	failOn, err := check.ParseFailOn(orDefault(a.GetInput("fail-on"), "error"))
	if err != nil {
		errs = append(errs, fmt.Errorf("input fail-on: unknown value %w", err))
	}
	in.FailOn = failOn

	switch v := strings.ToLower(orDefault(a.GetInput("comment"), CommentOnFailure)); v {
	case CommentAlways, CommentOnFailure, CommentNever:
		in.Comment = v
	default:
		errs = append(errs, fmt.Errorf("input comment: unknown value %q: expected one of always, on-failure, never", v))
	}

	v := orDefault(a.GetInput("changed-only"), "true")
	b, err := strconv.ParseBool(v)
	if err != nil {
		errs = append(errs, fmt.Errorf("input changed-only: %q is not a boolean: expected true or false", v))
	}
	in.ChangedOnly = b

	v = orDefault(a.GetInput("audit"), "false")
	audit, err := strconv.ParseBool(v)
	if err != nil {
		errs = append(errs, fmt.Errorf("input audit: %q is not a boolean: expected true or false", v))
	}
	in.Audit = audit
	return in, errors.Join(errs...)
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// env is what the runner tells the action about the run.
type env struct {
	Workspace   string // GITHUB_WORKSPACE, the repository root; "" means the working directory
	Repository  string // owner/name
	APIURL      string
	ServerURL   string
	EventName   string
	EventPath   string
	Workflow    string
	Job         string
	RunID       string
	SHA         string
	OutputPath  string // GITHUB_OUTPUT
	SummaryPath string // GITHUB_STEP_SUMMARY
}

func readEnv(getenv func(string) string) env {
	return env{
		Workspace:   getenv("GITHUB_WORKSPACE"),
		Repository:  getenv("GITHUB_REPOSITORY"),
		APIURL:      orDefault(getenv("GITHUB_API_URL"), "https://api.github.com"),
		ServerURL:   strings.TrimSuffix(orDefault(getenv("GITHUB_SERVER_URL"), "https://github.com"), "/"),
		EventName:   getenv("GITHUB_EVENT_NAME"),
		EventPath:   getenv("GITHUB_EVENT_PATH"),
		Workflow:    getenv("GITHUB_WORKFLOW"),
		Job:         getenv("GITHUB_JOB"),
		RunID:       getenv("GITHUB_RUN_ID"),
		SHA:         getenv("GITHUB_SHA"),
		OutputPath:  getenv("GITHUB_OUTPUT"),
		SummaryPath: getenv("GITHUB_STEP_SUMMARY"),
	}
}

// runURL links to the run's page (its job summaries).
func (e env) runURL() string {
	if e.RunID == "" || e.Repository == "" {
		return ""
	}
	return fmt.Sprintf("%s/%s/actions/runs/%s", e.ServerURL, e.Repository, e.RunID)
}

// event is the part of the webhook payload the action reads.
type event struct {
	PullRequest *pullRequest `json:"pull_request"`
	WorkflowRun *workflowRun `json:"workflow_run"`
	MergeGroup  *mergeGroup  `json:"merge_group"`
}

// mergeGroup is a merge queue's group: head_sha is the commit checked,
// base_sha the commit it goes on top of, head_ref the queue's branch, which
// names the pull request merged (gh-readonly-queue/BASE/pr-N-SHA).
type mergeGroup struct {
	HeadSHA string `json:"head_sha"`
	BaseSHA string `json:"base_sha"`
	HeadRef string `json:"head_ref"`
}

type pullRequest struct {
	Number       int `json:"number"`
	ChangedFiles int `json:"changed_files"`
	// User is the pull request's author, whose own reviews never count.
	User *struct {
		Login string `json:"login"`
	} `json:"user"`
	Head struct {
		SHA  string    `json:"sha"`
		Ref  string    `json:"ref"`
		Repo *repoName `json:"repo"` // null when the fork was deleted
	} `json:"head"`
	Base struct {
		Repo *repoName `json:"repo"`
	} `json:"base"`
}

type repoName struct {
	FullName string `json:"full_name"`
}

// fork reports whether the pull request comes from another repository: its
// token is then read-only.
func (p *pullRequest) fork() bool {
	return p.Head.Repo == nil || p.Base.Repo == nil || !strings.EqualFold(p.Head.Repo.FullName, p.Base.Repo.FullName)
}

type workflowRun struct {
	Event          string    `json:"event"`
	HeadSHA        string    `json:"head_sha"`
	HeadBranch     string    `json:"head_branch"`
	HeadRepository *repoName `json:"head_repository"`
	HTMLURL        string    `json:"html_url"`
	// Conclusion is GitHub's record of how the run ended (success, failure,
	// cancelled, …): unlike the artifact, the pull request cannot forge it.
	Conclusion string `json:"conclusion"`
}

// maxEventSize bounds the event file the action reads.
const maxEventSize = 32 << 20

// readEvent decodes the event file. No path (outside a runner) is no event;
// a file that cannot be read or decoded is an error, and no event.
func readEvent(path string) (event, error) {
	if path == "" {
		return event{}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return event{}, fmt.Errorf("read event %q: %w", path, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxEventSize+1))
	if err != nil {
		return event{}, fmt.Errorf("read event %q: %w", path, err)
	}
	if len(data) > maxEventSize {
		return event{}, fmt.Errorf("event %q is over %d MiB", path, maxEventSize>>20)
	}
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		return event{}, fmt.Errorf("decode event %q: %w", path, err)
	}
	if ev.PullRequest != nil && ev.PullRequest.Number <= 0 {
		ev.PullRequest = nil
	}
	return ev, nil
}

// isPullRequestEvent reports whether an event's payload has a pull request.
func isPullRequestEvent(name string) bool {
	return name == "pull_request" || name == "pull_request_target"
}

// checkedOutCommit returns the commit checked out in the git repository at
// dir (.git/HEAD, directly or through a loose or packed branch ref), or ""
// when it cannot tell: no .git directory, a worktree, an unusual ref.
func checkedOutCommit(dir string) string {
	gitDir := filepath.Join(dir, ".git")
	head := readSmall(filepath.Join(gitDir, "HEAD"))
	if isCommitID(head) {
		return head
	}
	ref, ok := strings.CutPrefix(head, "ref: ")
	if !ok || !strings.HasPrefix(ref, "refs/") || strings.Contains(ref, "..") {
		return ""
	}
	if id := readSmall(filepath.Join(gitDir, filepath.FromSlash(ref))); isCommitID(id) {
		return id
	}
	for _, line := range strings.Split(readSmall(filepath.Join(gitDir, "packed-refs")), "\n") {
		if id, name, ok := strings.Cut(strings.TrimSpace(line), " "); ok && name == ref && isCommitID(id) {
			return id
		}
	}
	return ""
}

// readSmall returns the trimmed text of a small file, or "".
func readSmall(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	data, _ := io.ReadAll(io.LimitReader(f, 1<<20))
	return strings.TrimSpace(string(data))
}

func isCommitID(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	for _, c := range s {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
