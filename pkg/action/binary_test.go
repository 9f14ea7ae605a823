package action

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

// binDir holds the upgradegate binary that the end-to-end tests run as the
// runner does; TestMain removes it.
var (
	binDir   string
	binOnce  sync.Once
	binPath  string
	binError error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "upgradegate-action-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// binary builds ./cmd/upgradegate once per test process.
func binary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary: skipped with -short")
	}
	binOnce.Do(func() {
		goTool, err := exec.LookPath("go")
		if err != nil {
			binError = err
			return
		}
		binPath = filepath.Join(binDir, "upgradegate")
		cmd := exec.Command(goTool, "build", "-o", binPath, "./cmd/upgradegate")
		cmd.Dir = filepath.Join("..", "..")
		if out, err := cmd.CombinedOutput(); err != nil {
			binError = fmt.Errorf("go build ./cmd/upgradegate: %v\n%s", err, out)
		}
	})
	if binError != nil {
		t.Fatal(binError)
	}
	return binPath
}

// runBinary runs "upgradegate action" with exactly the step's environment.
func (h *harness) runBinary() result {
	h.t.Helper()
	bin := binary(h.t)
	return h.runWith(func(env map[string]string, stdout, stderr *bytes.Buffer) int {
		cmd := exec.Command(bin, "action")
		cmd.Dir = h.ws // the runner starts the container in the workspace
		for k, v := range env {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
		cmd.Stdout, cmd.Stderr = stdout, stderr
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit):
			return exit.ExitCode()
		}
		h.t.Fatalf("run %s action: %v", bin, err)
		return -1
	})
}

// realClock dates the dry run two days ago: the binary runs with the real
// clock.
func realClock(manifest string) string {
	return strings.Replace(manifest, "date: 2026-11-18", "date: "+time.Now().UTC().AddDate(0, 0, -2).Format("2006-01-02"), 1)
}

func TestBinaryEndToEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", realClock(manifestYAML(failing)))
	h.env["INPUT_JSON-FILE"] = "out/upgradegate.json"
	h.env["INPUT_SARIF-FILE"] = "out/upgradegate.sarif"
	res := h.runBinary()
	if res.code != ExitFindings {
		t.Fatalf("exit code %d, want 1\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stdout, ug201) {
		t.Errorf("stdout lacks %q:\n%s", ug201, res.stdout)
	}
	want := map[string]string{"result": "fail", "errors": "1", "warnings": "0", "report": "out/upgradegate.json"}
	if diff := cmp.Diff(want, res.outputs); diff != "" {
		t.Errorf("outputs (-want +got):\n%s", diff)
	}
	// the files, in the workspace, directories created
	if data, err := os.ReadFile(filepath.Join(h.ws, "out", "upgradegate.json")); err != nil || !strings.Contains(string(data), `"rule": "UG201"`) {
		t.Errorf("JSON report: %v\n%s", err, data)
	}
	if data, err := os.ReadFile(filepath.Join(h.ws, "out", "upgradegate.sarif")); err != nil || !strings.Contains(string(data), `"version": "2.1.0"`) {
		t.Errorf("SARIF report: %v\n%s", err, data)
	}
	if got := withMarker(h.gh, marker()); len(got) != 1 || !strings.Contains(got[0].Body, "UG201") {
		t.Errorf("comments %+v, want one with UG201", got)
	}
	if !strings.Contains(res.summary, "checks failed") {
		t.Errorf("job summary:\n%s", res.summary)
	}
	assertUpkeepBudget(t, res.reqs)

	// the fix: same comment, passing state, exit 0
	h.write("upgrades/app.yaml", realClock(manifestYAML(clean)))
	res = h.runBinary()
	if res.code != ExitOK || res.outputs["result"] != "pass" {
		t.Fatalf("exit code %d, result %q; want 0, pass\nstdout:\n%s", res.code, res.outputs["result"], res.stdout)
	}
	if got := withMarker(h.gh, marker()); len(got) != 1 || !strings.Contains(got[0].Body, "all checks pass") {
		t.Errorf("comments %+v, want one passing", got)
	}
}

// TestBinaryForkPullRequest: the binary on a fork's pull request: the 403 on
// the comment is a warning in the log and the summary, and the findings
// alone decide the exit code and the outputs.
func TestBinaryForkPullRequest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, manifest, comment, result string
		code                            int
	}{
		{"findings fail the step", failing, "on-failure", "fail", ExitFindings},
		{"clean passes despite the 403", clean, "always", "pass", ExitOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.gh.ReadOnly = true
			h.setEvent(prEvent(7, "someone/r-fork"))
			h.env["INPUT_COMMENT"] = tc.comment
			h.write("upgrades/app.yaml", realClock(manifestYAML(tc.manifest)))
			res := h.runBinary()
			if res.code != tc.code || res.outputs["result"] != tc.result {
				t.Fatalf("exit code %d, result %q; want %d, %q\nstdout:\n%s\nstderr:\n%s", res.code, res.outputs["result"], tc.code, tc.result, res.stdout, res.stderr)
			}
			warning := "::warning::Pull request #7 comes from a fork"
			if !strings.Contains(res.stdout, warning) || !strings.Contains(res.stdout, "workflow_run") {
				t.Errorf("stdout lacks the fork warning %q:\n%s", warning, res.stdout)
			}
			if !strings.Contains(res.summary, "comes from a fork") || !strings.Contains(res.summary, ForkSetupURL) {
				t.Errorf("job summary lacks the fork warning:\n%s", res.summary)
			}
			if tc.manifest == failing && !strings.Contains(res.stdout, ug201) {
				t.Errorf("the fork run lacks the annotation %q", ug201)
			}
			if n := fakegithub.Count(res.reqs, fakegithub.CreateComment); n != 1 {
				t.Errorf("%d create attempts, want 1", n)
			}
		})
	}
}

// TestBinaryConcurrentRuns: two processes that both list the comments
// before either creates one leave one comment.
func TestBinaryConcurrentRuns(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("upgrades/app.yaml", realClock(manifestYAML(failing)))
	binary(t) // build before the barrier
	codes := h.race(h.runBinary)
	if codes[0] != ExitFindings || codes[1] != ExitFindings {
		t.Errorf("exit codes %v, want [1 1]", codes)
	}
	if n := fakegithub.Count(h.gh.Requests(), fakegithub.CreateComment); n != 2 {
		t.Fatalf("%d comments created, want 2 (the race this test sets up)", n)
	}
	if got := withMarker(h.gh, marker()); len(got) != 1 {
		t.Errorf("%d comments left, want 1", len(got))
	}
}
