package action

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportFilesStayInTheWorkspace: a json-file or sarif-file whose
// directory is a symbolic link of the checked-out repository leading out of
// the workspace, or a path outside it, is refused before the check runs:
// exit 2, an error naming the input, nothing written.
func TestReportFilesStayInTheWorkspace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ input, value string }{
		{"INPUT_JSON-FILE", "out/upgradegate.json"},
		{"INPUT_SARIF-FILE", "out/new/upgradegate.sarif"},
		{"INPUT_JSON-FILE", "upgrades/../out/upgradegate.json"},
		{"INPUT_JSON-FILE", "../escape.json"},
	} {
		h := newHarness(t)
		h.write("upgrades/app.yaml", manifestYAML(failing))
		outside := t.TempDir()
		if err := os.Symlink(outside, filepath.Join(h.ws, "out")); err != nil {
			t.Fatal(err)
		}
		h.env[tc.input] = tc.value
		res := h.run()
		if res.code != ExitError {
			t.Errorf("%s=%s: exit code %d, want 2", tc.input, tc.value, res.code)
		}
		name := strings.ToLower(strings.TrimPrefix(tc.input, "INPUT_"))
		if !strings.Contains(res.stdout, "::error::upgradegate could not run: input "+name+` "`+tc.value+`"`) {
			t.Errorf("%s=%s: no error naming the input:\n%s", tc.input, tc.value, res.stdout)
		}
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Errorf("%s=%s: written outside the workspace: %v", tc.input, tc.value, entries)
		}
		if _, err := os.Stat(filepath.Join(filepath.Dir(h.ws), "escape.json")); err == nil {
			t.Errorf("%s=%s: written beside the workspace", tc.input, tc.value)
		}
		if len(h.gh.Requests()) != 0 {
			t.Errorf("%s=%s: the API was called before the inputs were checked", tc.input, tc.value)
		}
	}
}
