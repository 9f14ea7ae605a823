package action

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestBadEventFileChecksEverything: an event file that is missing,
// unreadable or not JSON does not stop the gate: it warns, checks every
// manifest (the failing one here, which this pull request's file list would
// not have selected) and exits by the findings, without API requests.
func TestBadEventFileChecksEverything(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		event func(dir string) string
	}{
		{"missing", func(dir string) string { return filepath.Join(dir, "no-such-event.json") }},
		{"unreadable", func(dir string) string { return dir }}, // a directory: open works, read fails
		{"not JSON", func(dir string) string {
			p := filepath.Join(dir, "event.json")
			os.WriteFile(p, []byte(`{"pull_request": `), 0o644)
			return p
		}},
		{"wrong types", func(dir string) string {
			p := filepath.Join(dir, "event.json")
			os.WriteFile(p, []byte(`{"pull_request": {"number": "seven"}}`), 0o644)
			return p
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", manifestYAML(failing))
			h.gh.Files = []string{"README.md"}
			h.env["GITHUB_EVENT_PATH"] = tc.event(t.TempDir())
			res := h.run()
			if res.code != ExitFindings {
				t.Fatalf("exit code %d, want 1 (the findings); stdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
			}
			if !strings.Contains(res.stdout, "::warning::Cannot read the pull_request event (") ||
				!strings.Contains(res.stdout, "checking every manifest") {
				t.Errorf("stdout lacks the warning:\n%s", res.stdout)
			}
			if !strings.Contains(res.stdout, ug201) || !strings.Contains(res.summary, "Cannot read the pull\\_request event") {
				t.Errorf("the manifest was not checked, or the summary lacks the warning:\n%s", res.summary)
			}
			if len(res.reqs) != 0 {
				t.Errorf("API requests without a pull request: %v", res.reqs)
			}
		})
	}
}

// TestEventsWithoutPullRequest: push, workflow_dispatch and schedule check
// every manifest, exit by the findings, make no API request and write no
// comment; a pull_request event without its pull request warns. (merge_group
// reads the pull request it merges: TestMergeGroup.)
func TestEventsWithoutPullRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		event map[string]any
		warn  string
	}{
		{"push", map[string]any{"ref": "refs/heads/main", "after": headSHA}, ""},
		{"workflow_dispatch", map[string]any{"ref": "refs/heads/main", "inputs": map[string]any{}}, ""},
		{"schedule", map[string]any{"schedule": "0 6 * * 1"}, ""},
		{"pull_request", map[string]any{"action": "opened"}, "::warning::The pull_request event names no pull request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", manifestYAML(failing))
			h.env["GITHUB_EVENT_NAME"] = tc.name
			h.setEvent(tc.event)
			res := h.run()
			if res.code != ExitFindings || !strings.Contains(res.stdout, ug201) {
				t.Fatalf("exit code %d, want 1 with UG201; stdout:\n%s", res.code, res.stdout)
			}
			if len(res.reqs) != 0 {
				t.Errorf("API requests: %v", res.reqs)
			}
			if got := strings.Contains(res.stdout, "::warning"); got != (tc.warn != "") || !strings.Contains(res.stdout, tc.warn) {
				t.Errorf("warning: want %q; stdout:\n%s", tc.warn, res.stdout)
			}
		})
	}
}

// writeGit makes the workspace a git checkout at commit id: detached, or on
// branch (a loose ref, or a packed one when packed is set).
func (h *harness) writeGit(id, branch string, packed bool) {
	h.t.Helper()
	if err := os.RemoveAll(filepath.Join(h.ws, ".git")); err != nil {
		h.t.Fatal(err)
	}
	switch {
	case branch == "":
		h.write(".git/HEAD", id+"\n")
	case packed:
		h.write(".git/HEAD", "ref: refs/heads/"+branch+"\n")
		h.write(".git/packed-refs", "# pack-refs with: peeled fully-peeled sorted\n"+id+" refs/heads/"+branch+"\n")
	default:
		h.write(".git/HEAD", "ref: refs/heads/"+branch+"\n")
		h.write(".git/refs/heads/"+branch, id+"\n")
	}
}

// TestPullRequestTargetWarnsAboutTheBaseCheckout: on pull_request_target,
// actions/checkout checks out the base branch; the gate says that its
// findings are then about the base, not the pull request.
func TestPullRequestTargetWarnsAboutTheBaseCheckout(t *testing.T) {
	t.Parallel()
	const base = "b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0"
	for _, tc := range []struct {
		name         string
		id, branch   string
		packed, warn bool
	}{
		{"base branch, loose ref", base, "main", false, true},
		{"base branch, packed ref", base, "main", true, true},
		{"head checked out", headSHA, "", false, false},
		{"no git directory", "", "", false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.env["GITHUB_EVENT_NAME"] = "pull_request_target"
			if tc.id != "" {
				h.writeGit(tc.id, tc.branch, tc.packed)
			} else if err := os.RemoveAll(filepath.Join(h.ws, ".git")); err != nil {
				t.Fatal(err)
			}
			res := h.run()
			if res.code != ExitOK {
				t.Fatalf("exit code %d, want 0; stdout:\n%s", res.code, res.stdout)
			}
			warning := "::warning::This pull_request_target run checks the workspace at commit b0b0b0b, not the head of pull request #7 (0123456)"
			if got := strings.Contains(res.stdout, warning); got != tc.warn {
				t.Errorf("warning shown: %v, want %v; stdout:\n%s", got, tc.warn, res.stdout)
			}
		})
	}
}

// TestPullRequestTargetForbiddenIsNotAForkMessage: pull_request_target runs
// with the base repository's token, so a 403 is about permissions, not the
// fork setup.
func TestPullRequestTargetForbiddenIsNotAForkMessage(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", manifestYAML(failing))
	h.gh.ReadOnly = true
	h.env["GITHUB_EVENT_NAME"] = "pull_request_target"
	h.setEvent(prEvent(7, "someone/r-fork"))
	res := h.run()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1", res.code)
	}
	if strings.Contains(res.stdout, "comes from a fork") || !strings.Contains(res.stdout, "pull-requests: write") {
		t.Errorf("want the permissions warning, not the fork one:\n%s", res.stdout)
	}
}

// TestEnterpriseAPIURL: GITHUB_API_URL as GitHub Enterprise Server sets it,
// with a trailing slash, and as a bare host: every request goes to /api/v3.
func TestEnterpriseAPIURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, suffix string }{
		{"api v3", "/api/v3"}, {"trailing slash", "/api/v3/"}, {"bare host", ""}, {"bare host with slash", "/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", manifestYAML(failing))
			h.env["GITHUB_API_URL"] = h.gh.URL + tc.suffix
			res := h.run()
			if res.code != ExitFindings || len(withMarker(h.gh, marker())) != 1 {
				t.Fatalf("exit code %d, %d comments; want 1 and 1; stdout:\n%s", res.code, len(withMarker(h.gh, marker())), res.stdout)
			}
			for _, r := range res.reqs {
				if !strings.HasPrefix(r.Path, "/api/v3/repos/o/r/") {
					t.Errorf("request to %s, want under /api/v3/repos/o/r/", r.Path)
				}
			}
		})
	}
}

// TestCancelledContextKeepsTheVerdict: the run is cancelled while the API
// is retried: the comment is given up with a warning, and the findings
// still decide the exit code.
func TestCancelledContextKeepsTheVerdict(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.check = fakeCheck([]finding.Finding{{Rule: rules.UG201, Severity: finding.Error, File: "upgrades/app.yaml", Line: 9, Column: 7, Message: "skips a stop"}})
	h.gh.Inject[fakegithub.CreateComment] = []fakegithub.Answer{{Status: 502, Body: `{"message":"Bad Gateway"}`}}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r := h.runner()
	r.Sleep = func(ctx context.Context, _ time.Duration) error { cancel(); return ctx.Err() }
	res := h.runWith(func(env map[string]string, stdout, stderr *bytes.Buffer) int {
		return r.Main(ctx, func(k string) string { return env[k] }, stdout, stderr)
	})
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1; stdout:\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.stdout, "::warning::Cannot update the comment on pull request #7") {
		t.Errorf("stdout lacks the warning:\n%s", res.stdout)
	}
	if n := fakegithub.Count(res.reqs, fakegithub.CreateComment); n != 1 {
		t.Errorf("%d create requests after the cancellation, want 1", n)
	}
}

// TestRateLimitsAreBounded: rate limits that would make the run wait past
// its budget are not waited for: the comment is given up with a warning and
// the findings decide the exit code.
func TestRateLimitsAreBounded(t *testing.T) {
	t.Parallel()
	hour := strconv.FormatInt(testNow.Add(time.Hour).Unix(), 10)
	for _, tc := range []struct {
		name   string
		answer fakegithub.Answer
		sleeps []time.Duration
	}{
		{"primary limit resets in an hour", fakegithub.Answer{Status: 403, Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": hour},
			Body: `{"message":"API rate limit exceeded for installation ID 1."}`}, nil},
		{"429 primary limit resets in an hour", fakegithub.Answer{Status: 429, Header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": hour},
			Body: `{"message":"API rate limit exceeded"}`}, nil},
		{"Retry-After past the budget", fakegithub.Answer{Status: 429, Header: map[string]string{"Retry-After": "120"}, Body: `{"message":"slow down"}`}, nil},
		// a secondary limit's minute does not fit in the run's minute of API time
		{"429 without a time is not waited for", fakegithub.Answer{Status: 429, Body: `{"message":"slow down"}`}, nil},
		{"Retry-After within the budget waits twice", fakegithub.Answer{Status: 429, Header: map[string]string{"Retry-After": "25"}, Body: `{"message":"slow down"}`},
			[]time.Duration{25 * time.Second, 25 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.write("upgrades/app.yaml", manifestYAML(failing))
			h.gh.Inject[fakegithub.ListComments] = []fakegithub.Answer{tc.answer, tc.answer, tc.answer, tc.answer, tc.answer}
			res := h.run()
			if res.code != ExitFindings {
				t.Fatalf("exit code %d, want 1", res.code)
			}
			if diff := cmp.Diff(tc.sleeps, h.sleeps); diff != "" {
				t.Errorf("waits (-want +got):\n%s", diff)
			}
			if !strings.Contains(res.stdout, "::warning::Cannot update the comment on pull request #7") {
				t.Errorf("stdout lacks the warning:\n%s", res.stdout)
			}
		})
	}
}
