// Package action is the GitHub Action: it reads the inputs and the event,
// checks the manifests a pull request concerns, and reports through
// annotations, the job summary, outputs, optional JSON and SARIF files and
// one sticky pull request comment. The exit code follows the findings and
// fail-on only: an API failure is a warning, never a verdict.
package action

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	githubactions "github.com/sethvargo/go-githubactions"

	"github.com/upgradegate/upgradegate/pkg/check"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/github"
	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// Exit codes, as for upgradegate check.
const (
	ExitOK       = check.ExitOK
	ExitFindings = check.ExitFindings
	ExitError    = check.ExitError
)

// apiTimeout bounds each phase of API work (changed files, comment), so the
// check never hangs on GitHub.
const apiTimeout = 3 * time.Minute

// ReferencesConfig is what the action knows that the config, secret and
// documentation checks (UG4xx) need.
type ReferencesConfig struct {
	// ChangedFiles are the pull request's changed files, repository-relative;
	// nil when unknown (not a pull request, no token, or more files than the
	// API lists): UG422 must then stay silent.
	ChangedFiles []string
	// SecretsToken is the secrets-token input: a token that may list Actions
	// secret names (store: github). Empty when not given.
	SecretsToken string
	// APIURL and Repository locate the repository's secrets.
	APIURL     string
	Repository string
	// Getenv reads the environment (store: env).
	Getenv func(string) string
	// Meter is the run's API time, shared by every client of the run.
	Meter *github.Meter
	// Sleep waits between API retries; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Runner runs the action. Its zero value checks with check.Run and refs.
type Runner struct {
	// Check runs the gate; nil means check.Run.
	Check func(context.Context, check.Options) (*report.Report, error)
	// Audit runs the audit (input audit: true); nil means the gate's audit
	// of outcomes and reviews (UG519–UG522).
	Audit func(context.Context, check.Options) (*report.Report, error)
	// References builds the UG4xx checker of a run; nil means refs.New.
	References func(ReferencesConfig) (check.References, error)
	// Version is upgradegate's version, for SARIF and the comment.
	Version string
	// Now is the run's clock; nil means time.Now.
	Now func() time.Time
	// Sleep waits between API retries; nil means a real timer.
	Sleep func(ctx context.Context, d time.Duration) error
}

// Main runs the action: inputs from INPUT_*, the event from
// GITHUB_EVENT_PATH, the API at GITHUB_API_URL. It returns the exit code:
// 0 pass, 1 findings at or above fail-on, 2 the action could not run.
func (r Runner) Main(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
	in, inErr := readInputs(githubactions.New(githubactions.WithGetenv(getenv)))
	red := newRedactor(in.Token, in.SecretsToken, in.MembersToken)
	out := red.Writer(stdout)
	gha := githubactions.New(githubactions.WithGetenv(getenv), githubactions.WithWriter(out))
	x := &run{Runner: r, getenv: getenv, gha: gha, stderr: red.Writer(stderr), red: red, in: in,
		env: readEnv(getenv), ann: &annotator{gha: gha, w: out, used: map[finding.Severity]int{}},
		meter: github.NewMeter(0)}
	if inErr != nil {
		return x.fail(inErr)
	}
	ev, err := readEvent(x.env.EventPath)
	switch {
	case err != nil:
		// the verdict can still be given: on every manifest, as on push
		x.warn("Cannot read the %s event (%v): checking every manifest, and no pull request comment.",
			orDefault(x.env.EventName, "workflow's"), err)
	case ev.PullRequest == nil && isPullRequestEvent(x.env.EventName):
		x.warn("The %s event names no pull request: checking every manifest, and no pull request comment.", x.env.EventName)
	}
	x.event = ev
	if in.Token != "" && x.env.Repository != "" {
		x.client, err = github.New(github.Config{APIURL: x.env.APIURL, Repository: x.env.Repository, Token: in.Token,
			Sleep: r.Sleep, Now: r.Now, UserAgent: "upgradegate/" + r.version(), Meter: x.meter})
		if err != nil {
			return x.fail(err)
		}
	}
	if in.ReportFile != "" {
		return x.post(ctx)
	}
	if in.Audit {
		return x.audit(ctx)
	}
	return x.check(ctx)
}

func (r Runner) version() string {
	if r.Version == "" {
		return "dev"
	}
	return r.Version
}

func (r Runner) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// run is one run's state.
type run struct {
	Runner
	// meter is the run's one minute of API time: the comment's client and
	// the secret stores share it
	meter  *github.Meter
	getenv func(string) string
	gha    *githubactions.Action
	stderr io.Writer
	red    redactor
	in     inputs
	env    env
	event  event
	client *github.Client // nil without a token
	ann    *annotator
	// notes are the action's own notices and warnings, repeated at the top
	// of the job summary.
	notes []string
}

// notice, warn and errorf emit the action's own message as an annotation
// (counted against the runner's limits) and repeat it, escaped (it may quote
// a branch name or an API answer), at the top of the job summary.
func (x *run) notice(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	x.ann.message(finding.Notice, msg)
	x.notes = append(x.notes, "> [!NOTE]\n> "+report.EscapeMarkdown(msg))
}

func (x *run) warn(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	x.ann.message(finding.Warning, msg)
	x.notes = append(x.notes, "> [!WARNING]\n> "+report.EscapeMarkdown(msg))
}

func (x *run) errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	x.ann.message(finding.Error, msg)
	x.notes = append(x.notes, "> [!CAUTION]\n> "+report.EscapeMarkdown(msg))
}

// fail reports an error that stops the run (exit 2).
func (x *run) fail(err error) int {
	x.gha.Errorf("upgradegate could not run: %v", err)
	fmt.Fprintf(x.stderr, "upgradegate: %v\n", err)
	return ExitError
}

// ready is what a check or an audit needs before it reads anything: a
// checked-out workspace, and report files that stay inside it.
func (x *run) ready() error {
	if x.env.Workspace != "" {
		if entries, err := os.ReadDir(x.env.Workspace); err == nil && len(entries) == 0 {
			return fmt.Errorf("the workspace %q is empty: run actions/checkout before this step", x.env.Workspace)
		}
	}
	return x.confineReportFiles()
}

// check is the pull_request (or push) run: check, report, comment.
func (x *run) check(ctx context.Context) int {
	if err := x.ready(); err != nil {
		return x.fail(err)
	}
	pr := x.event.PullRequest
	if pr != nil && x.env.EventName == "pull_request_target" {
		x.checkTargetWorkspace(pr)
	}
	// the base's reads through the API, during the check, share its time
	baseCtx, cancelBase := context.WithTimeout(ctx, apiTimeout)
	defer cancelBase()
	baseCommit, baseFrom, noBase := x.chooseBase(baseCtx)
	baseNote := len(x.notes)
	x.notes = append(x.notes, "")
	// judged is the pull request whose changed files and reviews the run
	// judges: the event's, or on merge_group the one the queue merges
	judged, noJudged := pr, ""
	if pr == nil && x.env.EventName == "merge_group" {
		var why string
		if judged, why = x.queuedPullRequest(ctx); judged == nil {
			noJudged = "the merge group's pull request is not known (" + why + ")"
			x.warn("Merge group: its pull request is not known (%s). Checking every manifest; UG518 and UG904 are warnings. See %s",
				why, EventsURL)
		} else {
			x.notes = append(x.notes, "> [!NOTE]\n> "+report.EscapeMarkdown(fmt.Sprintf("Merge group of pull request #%d: "+
				"its changed files and its reviews (UG518, UG904) are judged at the merge queue's commit.", judged.Number)))
		}
	}
	changed, known := x.changedFiles(ctx, judged)

	opts := check.Options{Root: x.env.Workspace, FailOn: x.in.FailOn}
	if x.Runner.Now != nil {
		opts.Now = x.Runner.Now()
	}
	if opts.Root == "" {
		opts.Root = "."
	}
	for _, p := range x.in.Paths {
		opts.Paths = append(opts.Paths, x.abs(p))
	}
	newRefs := x.References
	if newRefs == nil {
		newRefs = defaultReferences
	}
	rc, err := newRefs(ReferencesConfig{ChangedFiles: changed, SecretsToken: x.in.SecretsToken,
		APIURL: x.env.APIURL, Repository: x.env.Repository, Getenv: x.getenv, Meter: x.meter, Sleep: x.Sleep})
	if err != nil {
		return x.fail(err)
	}
	opts.References = rc
	opts.ChangedOnly = known && x.in.ChangedOnly
	opts.Base, opts.NoBase = baseCommit, noBase
	opts.ChangedFiles = changed
	opts.Approvals = x.approvals(ctx, judged, noJudged)
	run := x.Check
	if run == nil {
		run = check.Run
	}
	rep, err := run(ctx, opts)
	if err == nil && baseCommit != nil && baseCommit.Err() != nil {
		// the API failed while the base was read: what it held is not
		// known, so the run has no base (UG608), never a pass on half of it
		baseCommit, noBase = nil, apiFailed(baseCommit, baseCommit.Err())
		opts.Base, opts.NoBase = nil, noBase
		rep, err = run(ctx, opts)
	}
	if err != nil {
		return x.fail(err)
	}
	switch {
	case baseCommit != nil:
		x.notes[baseNote] = "> [!NOTE]\n> " + report.EscapeMarkdown("Base: "+baseCommit.Describe()+", "+baseFrom+": policy relaxations (UG607) and deployed version changes are compared with it.")
	case noBase != nil:
		x.notes[baseNote] = "> [!WARNING]\n> " + report.EscapeMarkdown("No base: "+noBase.Reason+". To compare with it, "+noBase.Fix+" (UG608).")
	default:
		x.notes = append(x.notes[:baseNote], x.notes[baseNote+1:]...)
	}
	// a secret that reached a finding's text goes no further
	rep = x.red.Report(rep)
	if opts.Approvals.Skipped() {
		x.notice("%s", opts.Approvals.Why())
	}

	var note string
	if len(rep.Manifests) == 0 && len(rep.Findings) == 0 {
		if opts.ChangedOnly {
			note = fmt.Sprintf("No upgrade manifest is concerned by this pull request: none of its %d changed files is a manifest or a file a manifest depends on. Nothing to check: the gate passes.", len(changed))
		} else {
			note = fmt.Sprintf("No upgrade manifest found in %s. Nothing to check: the gate passes.", strings.Join(x.in.Paths, ", "))
		}
		x.notice("%s", note)
	}

	code := check.ExitCode(rep)
	ro := x.reportOptions(x.headSHA())
	x.log(rep, ro)
	reportPath, err := x.writeFiles(rep, ro)
	if err != nil {
		code = ExitError
	}
	x.outputs(rep, reportPath)
	if pr != nil {
		// a fork's token is read-only on pull_request; pull_request_target
		// runs with the base repository's token
		x.comment(ctx, rep, []int{pr.Number}, commentInfo{HeadSHA: x.headSHA(), RunURL: x.env.runURL(), Note: note},
			pr.fork() && x.env.EventName != "pull_request_target")
	}
	if hidden := x.ann.findings(rep); hidden != "" {
		x.notes = append(x.notes, "> [!NOTE]\n> "+hidden+". Every finding is listed below and in the log.")
	}
	x.summary(rep, ro)
	return code
}

// checkTargetWorkspace warns when a pull_request_target run checks another
// commit than the pull request's head: there actions/checkout checks out the
// base branch unless told otherwise, and the findings would be about it.
func (x *run) checkTargetWorkspace(pr *pullRequest) {
	dir := x.env.Workspace
	if dir == "" {
		dir = "."
	}
	got := checkedOutCommit(dir)
	if got == "" || pr.Head.SHA == "" || strings.EqualFold(got, pr.Head.SHA) {
		return
	}
	x.warn("This pull_request_target run checks the workspace at commit %.7s, not the head of pull request #%d (%.7s): "+
		"on pull_request_target, actions/checkout checks out the base branch, so the findings are about it. Run the gate "+
		"on pull_request, or check out the head (ref: github.event.pull_request.head.sha). See %s",
		got, pr.Number, pr.Head.SHA, EventsURL)
}

// headSHA is the commit the findings are about: the pull request's head (on
// pull_request, GITHUB_SHA is a merge commit), else GITHUB_SHA.
func (x *run) headSHA() string {
	if pr := x.event.PullRequest; pr != nil && pr.Head.SHA != "" {
		return pr.Head.SHA
	}
	return x.env.SHA
}

func (x *run) reportOptions(sha string) report.Options {
	return report.Options{ToolVersion: x.version(), ServerURL: x.env.ServerURL, Repository: x.env.Repository, SHA: sha}
}

// log writes the text report to the log, folded, with workflow commands
// stopped: a line of manifest text is never taken for a command.
func (x *run) log(rep *report.Report, ro report.Options) {
	var b bytes.Buffer
	_ = report.Text(&b, rep, report.Options{ToolVersion: ro.ToolVersion})
	resume := randomDelimiter()
	x.gha.Group("upgradegate report")
	x.gha.IssueCommand(&githubactions.Command{Name: "stop-commands", Message: resume})
	x.gha.Infof("%s", strings.TrimRight(b.String(), "\n"))
	x.gha.IssueCommand(&githubactions.Command{Name: resume})
	x.gha.EndGroup()
}

// writeFiles writes the JSON and SARIF reports the inputs ask for and
// returns the JSON report's path as given. A file that cannot be written is
// an error annotation; the other outputs still go out.
func (x *run) writeFiles(rep *report.Report, ro report.Options) (jsonPath string, err error) {
	for _, f := range []struct{ format, path string }{{"json", x.in.JSONFile}, {"sarif", x.in.SARIFFile}} {
		if f.path == "" {
			continue
		}
		if werr := writeReport(f.format, x.abs(f.path), rep, ro); werr != nil {
			x.errorf("Cannot write the %s report %q: %v.", f.format, f.path, werr)
			err = werr
			continue
		}
		if f.format == "json" {
			jsonPath = f.path
		}
	}
	return jsonPath, err
}

func writeReport(format, path string, rep *report.Report, ro report.Options) error {
	p, err := report.For(format)
	if err != nil {
		return err
	}
	// streamed into the staged file: a large report is never held whole
	sf, err := report.StageFunc(path, func(w io.Writer) error { return p(w, rep, ro) })
	if err != nil {
		return err
	}
	return sf.Commit()
}

// outputs sets the step's outputs.
func (x *run) outputs(rep *report.Report, reportPath string) {
	err := setOutputs(x.env.OutputPath, [][2]string{
		{"result", rep.Summary.Result},
		{"errors", strconv.Itoa(rep.Summary.Errors)},
		{"warnings", strconv.Itoa(rep.Summary.Warnings)},
		{"report", reportPath},
	})
	if err != nil {
		x.warn("Cannot set the step's outputs: %v.", err)
	}
}

// EventsURL documents the events the action runs on.
const EventsURL = "https://github.com/upgradegate/upgradegate/blob/main/docs/action.md#events"

// ForkSetupURL documents the two-workflow setup for fork pull requests.
const ForkSetupURL = "https://github.com/upgradegate/upgradegate/blob/main/docs/action.md#pull-requests-from-forks"

// comment keeps the sticky comment of each pull request up to date. It
// creates one when asked (comment: always, or on-failure and the run fails)
// and edits an existing one whatever the mode (except never), so that a
// fixed pull request never keeps a stale failure. Failures are warnings.
func (x *run) comment(ctx context.Context, rep *report.Report, numbers []int, info commentInfo, fork bool) {
	if x.in.Comment == CommentNever {
		return
	}
	create := x.in.Comment == CommentAlways || rep.Failed() || info.Failed
	if x.client == nil {
		if create {
			x.warn("No token: cannot comment on the pull request. Set the action's token input.")
		}
		return
	}
	info.Marker = Marker(x.env.Workflow, x.env.Job)
	info.ServerURL, info.Repository = x.env.ServerURL, x.env.Repository
	info.Workflow, info.Job, info.Version, info.Now = x.env.Workflow, x.env.Job, x.version(), x.now()
	body := x.red.String(commentBody(rep, info))
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	for _, n := range numbers {
		res, err := x.client.UpsertComment(ctx, n, info.Marker, body, create)
		switch {
		case err == nil && res.Action != github.CommentNone:
			x.gha.Infof("Comment %s on pull request #%d: %s", res.Action, n, res.URL)
		case err == nil:
		case github.IsForbidden(err) && fork:
			x.warn("Pull request #%d comes from a fork, whose token is read-only: no comment was written (the annotations, "+
				"the job summary and the exit code still report). To comment on fork pull requests, let this pull_request "+
				"workflow upload the report and a workflow_run workflow post it: see %s", n, ForkSetupURL)
		case github.IsForbidden(err):
			x.warn("%s The check's result stands.", forbiddenAdvice(n, err))
		default:
			x.warn("Cannot update the comment on pull request #%d (%v). The check's result stands.", n, err)
		}
	}
}

// forbiddenAdvice says what a 403 in the comment's upkeep means: which
// step the API refused and the permission it takes. The gate edits and
// deletes only its own comments, so a refused edit is about the token's
// permissions, never about someone else's comment.
func forbiddenAdvice(n int, err error) string {
	switch github.CommentOp(err) {
	case github.OpListComments:
		return fmt.Sprintf("The token may not read the comments of pull request #%d (%v): give the job permissions: pull-requests: write "+
			"(read to list them, write to keep the comment).", n, err)
	case github.OpEditComment:
		return fmt.Sprintf("The token may not edit its own comment on pull request #%d (%v): give the job permissions: pull-requests: write.", n, err)
	case github.OpWhoAmI:
		return fmt.Sprintf("The token may not ask GraphQL who it is (%v), so its comment on pull request #%d cannot be told from others' "+
			"and none was written.", err, n)
	}
	return fmt.Sprintf("The token may not comment on pull request #%d (%v): give the job permissions: pull-requests: write.", n, err)
}

// summary writes the action's notes and the Markdown report to the job
// summary, within MaxSummary.
func (x *run) summary(rep *report.Report, ro report.Options) {
	if x.env.SummaryPath == "" {
		return
	}
	var head strings.Builder
	for _, n := range x.notes {
		head.WriteString(n + "\n\n")
	}
	md := report.RenderMarkdown(rep, report.MarkdownOptions{Options: ro, Now: x.now(), MaxBytes: max(MaxSummary-head.Len(), 1),
		TruncatedNote: "The report is cut here to stay under the job summary's 1 MiB limit: every finding is in the step's log and in the JSON report (json-file input)."})
	if err := appendFile(x.env.SummaryPath, x.red.String(head.String()+md)); err != nil {
		x.gha.Warningf("Cannot write the job summary: %v", err)
	}
}

func defaultReferences(c ReferencesConfig) (check.References, error) {
	return refs.New(refs.Options{Getenv: c.Getenv, GitHubToken: c.SecretsToken, GitHubAPIURL: c.APIURL,
		GitHubRepository: c.Repository, ChangedFiles: c.ChangedFiles, Meter: c.Meter, Sleep: c.Sleep}), nil
}

// abs resolves a path input against the workspace, cleaned ("link/.." is
// not followed).
func (x *run) abs(p string) string {
	if filepath.IsAbs(p) || x.env.Workspace == "" {
		return filepath.Clean(p)
	}
	return filepath.Join(x.env.Workspace, p)
}

// confineReportFiles refuses a json-file or sarif-file outside the
// workspace, as written or through a symbolic link of the checked-out
// repository, before anything is written.
func (x *run) confineReportFiles() error {
	ws := orDefault(x.env.Workspace, ".")
	for _, f := range []struct{ input, path string }{{"json-file", x.in.JSONFile}, {"sarif-file", x.in.SARIFFile}} {
		if f.path == "" {
			continue
		}
		p := x.abs(f.path)
		err := report.Confine(ws, p)
		if !report.Within(ws, p) {
			err = fmt.Errorf("%s is outside the workspace %s", p, ws)
		}
		if err != nil {
			return fmt.Errorf("input %s %q: %s; name a file inside the workspace, such as upgradegate-report.json",
				f.input, f.path, strings.Replace(err.Error(), p, f.path, 1))
		}
	}
	return nil
}

// changedFiles lists the pull request's files. known is false when there is
// no pull request, no token, or the list is incomplete or failed: every
// manifest is then checked.
func (x *run) changedFiles(ctx context.Context, pr *pullRequest) (files []string, known bool) {
	if pr == nil {
		return nil, false
	}
	what := "checking every manifest"
	if !x.in.ChangedOnly {
		what = "documentation changes (UG422) are not checked"
	}
	switch {
	case x.client == nil:
		x.warn("No token: cannot list the files of pull request #%d, %s. Set the action's token input.", pr.Number, what)
		return nil, false
	case pr.ChangedFiles > github.MaxChangedFiles:
		x.notice("Pull request #%d changes %d files, more than the %d the API lists: %s.", pr.Number, pr.ChangedFiles, github.MaxChangedFiles, what)
		return nil, false
	}
	ctx, cancel := context.WithTimeout(ctx, apiTimeout)
	defer cancel()
	files, complete, err := x.client.ChangedFiles(ctx, pr.Number)
	switch {
	case err != nil:
		x.warn("Cannot list the files of pull request #%d (%v): %s.", pr.Number, err, what)
		return nil, false
	case !complete:
		x.notice("Pull request #%d changes more than the %d files the API lists: %s.", pr.Number, github.MaxChangedFiles, what)
		return nil, false
	}
	if files == nil {
		files = []string{}
	}
	return files, true
}
