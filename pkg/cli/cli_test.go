package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// golden is the tree of golden case name in a temporary repository.
func golden(t *testing.T, name string) string {
	t.Helper()
	dir := testtree.Golden(t, name)
	testtree.Add(t, dir, map[string]string{".git/HEAD": "ref: refs/heads/main\n"})
	return dir
}

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }})
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	now := "--now=2026-11-22T12:00:00Z"
	pass, required, untested := golden(t, "base-pass"), golden(t, "UG201-trigger-required"), golden(t, "UG502-trigger-untested")
	pol := filepath.Join(pass, "policies", "app.yaml")
	runCases(t, []cliCase{
		{"pass", []string{"check", pass, now}, 0, "PASS: 1 manifest", ""},
		{"findings", []string{"check", required, now}, 1, "[UG201]", ""},
		{"flags after paths", []string{"check", required, "--fail-on", "never", now}, 0, "[UG201]", ""},
		{"fail-on off is never", []string{"check", required, "--fail-on", "off", now}, 0, "[UG201]", ""},
		{"changed-only needs changed-files", []string{"check", "--changed-only", pass}, 2, "", "--changed-only needs --base REV or --changed-files FILE"},
		{"warning fails with fail-on warning", []string{"check", "--fail-on=warning", now, untested}, 1, "[UG502]", ""},
		{"warning passes by default", []string{"check", now, untested}, 0, "[UG502]", ""},
		{"broken manifest is a finding", []string{"check", now, golden(t, "UG001-trigger-syntax")}, 1, "[UG001]", ""},
		{"unknown format", []string{"check", "--format", "yaml", pass}, 2, "", `unknown format "yaml": expected one of`},
		{"bad fail-on", []string{"check", "--fail-on", "fatal", pass}, 2, "", `invalid --fail-on "fatal"`},
		{"bad now", []string{"check", "--now", "tomorrow", pass}, 2, "", `invalid --now "tomorrow"`},
		{"missing path", []string{"check", filepath.Join(t.TempDir(), "no-such-dir")}, 2, "", "no such file or directory"},
		{"unknown flag", []string{"check", "--frobnicate"}, 2, "", "flag provided but not defined"},
		{"two formats on stdout", []string{"check", "--format", "json", "--format", "text", pass}, 2, "", "only one format can go to standard output"},
		{"unknown command", []string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{"no command", nil, 2, "", "usage: upgradegate COMMAND"},
		{"version", []string{"version"}, 0, "upgradegate ", ""},
		{"explain", []string{"explain", "ug201"}, 0, "UG201 (error): required stop skipped", ""},
		{"explain unknown", []string{"explain", "UG999"}, 2, "", `unknown rule "UG999"`},
		{"path", []string{"path", "--policy", pol, "--from", "1.0.0", "--to", "3.1.0"}, 0, "1.2.5        required stop\n", ""},
		{"path none", []string{"path", "--policy", pol, "--from", "1.3.0", "--to", "2.2.0"}, 1, "", "no legal upgrade path"},
		{"path missing flag", []string{"path", "--from", "1.0.0"}, 2, "", "usage: upgradegate path"},
		{"path bad version", []string{"path", "--policy", pol, "--from", "x", "--to", "2.0.0"}, 2, "", `--from "x" is not a version`},
		{"path hex version", []string{"path", "--policy", pol, "--from", "1.0.0", "--to", "0x10"}, 2, "", `--to "0x10" is not a version`},
		{"path broken policy", []string{"path", "--policy", filepath.Join(golden(t, "UG105-trigger-bad-constraint"), "policies", "app.yaml"), "--from", "1.0.0", "--to", "2.0.0"}, 1, "", "[UG105]"},
	})
}

func TestPathJSON(t *testing.T) {
	t.Parallel()
	pol := filepath.Join(golden(t, "base-pass"), "policies", "app.yaml")
	tests := []struct {
		from, to string
		code     int
		want     map[string]any
	}{
		{"1.0.0", "3.1.0", 0, map[string]any{"from": "1.0.0", "to": "3.1.0", "stops": []any{"1.2.5", "2.1.0"},
			"reasons": []any{"required stop", "required stop (conditional: only with the legacy plugin)"}}},
		{"1.2.5", "1.3.0", 0, map[string]any{"from": "1.2.5", "to": "1.3.0", "stops": []any{}}},
		{"1.3.0", "2.2.0", 1, map[string]any{"from": "1.3.0", "to": "2.2.0", "stops": nil}},
	}
	for _, tt := range tests {
		code, out, _ := run(t, "path", "--policy", pol, "--from", tt.from, "--to", tt.to, "--format", "json")
		if code != tt.code {
			t.Errorf("%s -> %s: exit %d, want %d", tt.from, tt.to, code, tt.code)
		}
		var got map[string]any
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("%s -> %s: %v\n%s", tt.from, tt.to, err, out)
		}
		if tt.code == 1 {
			if s, _ := got["error"].(string); s == "" {
				t.Errorf("no error message: %v", got)
			}
			delete(got, "error")
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s -> %s (-want +got):\n%s", tt.from, tt.to, diff)
		}
	}
}

func TestFormatsToFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "report.json")
	code, out, errOut := run(t, "check", golden(t, "UG201-trigger-required"), "--now=2026-11-22T12:00:00Z",
		"--format", "json="+jsonFile, "--format", "text")
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, "[UG201]") {
		t.Errorf("text report missing on stdout: %s", out)
	}
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Summary struct{ Errors int } `json:"summary"`
	}
	if err := json.Unmarshal(data, &rep); err != nil || rep.Summary.Errors != 1 {
		t.Errorf("json report: %v %+v", err, rep)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
	// a report that cannot be written is a failure to run, and leaves nothing
	if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = run(t, "check", golden(t, "base-pass"), "--format", "json="+filepath.Join(dir, "file", "r.json"))
	if code != 2 || !strings.Contains(errOut, "write json report") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
	// a missing directory is created
	code, _, errOut = run(t, "check", golden(t, "base-pass"), "--now=2026-11-22T12:00:00Z", "--format", "json="+filepath.Join(dir, "new", "dir", "r.json"))
	if _, err := os.Stat(filepath.Join(dir, "new", "dir", "r.json")); code != 0 || err != nil {
		t.Errorf("exit %d, %v, stderr %q", code, err, errOut)
	}
}

func TestInit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "upgrade.yaml")
	if code, _, errOut := run(t, "init", file, "--component", "gitlab", "--from", "16.3.2", "--to", "17.3.7"); code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	// the starter manifest parses; it fails only on the checklist items it leaves to fill in
	code, out, _ := run(t, "check", "--root", dir, file, "--format", "json")
	if code != 1 {
		t.Fatalf("check of the starter: exit %d", code)
	}
	for _, rule := range []string{"UG001", "UG002", "UG003", "UG004"} {
		if strings.Contains(out, `"rule": "`+rule+`"`) {
			t.Errorf("starter manifest has a %s finding:\n%s", rule, out)
		}
	}
	if code, _, errOut := run(t, "init", file); code != 2 || !strings.Contains(errOut, "already exists") {
		t.Errorf("second init: exit %d, %q", code, errOut)
	}
}
