package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// cliCase is one run of the command line: its exit code and what stdout and
// stderr contain.
type cliCase struct {
	name string
	args []string
	code int
	out  string // substring of stdout
	err  string // substring of stderr
}

func runCases(t *testing.T, tests []cliCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstdout: %s\nstderr: %s", code, tt.code, out, errOut)
			}
			if !strings.Contains(out, tt.out) {
				t.Errorf("stdout lacks %q:\n%s", tt.out, out)
			}
			if !strings.Contains(errOut, tt.err) {
				t.Errorf("stderr lacks %q:\n%s", tt.err, errOut)
			}
		})
	}
}

func TestCheckExitCodesOnHostileInput(t *testing.T) {
	t.Parallel()
	now := "--now=2026-11-22T12:00:00Z"
	manifest, err := os.ReadFile(filepath.Join(golden(t, "base-pass"), "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	dir := testtree.Repo(t, map[string]string{
		"empty.yaml":          "",
		"list.yaml":           "- kind: Upgrade\n- x\n",
		"spec5.yaml":          "apiVersion: upgradegate/v1\nkind: Upgrade\nmetadata: {name: x}\nspec: 5\n",
		"other/values.yaml":   "replicas: 2\n",
		"nopolicy/app.yaml":   strings.Replace(string(manifest), "  policy: ../policies/app.yaml\n", "", 1),
		"policydir/app.yaml":  strings.Replace(string(manifest), "../policies/app.yaml", "p.yaml", 1),
		"policydir/p.yaml/.k": "",
	})
	outside := t.TempDir()
	runCases(t, []cliCase{
		{"no manifest in a directory passes and says so", []string{"check", dir + "/other", now}, 0,
			"no upgrade manifest (a YAML file with kind: Upgrade) was found\nPASS: 0 manifests", ""},
		{"empty file named", []string{"check", dir + "/empty.yaml", now}, 1, `holds no kind: Upgrade document [UG003]`, ""},
		{"list named", []string{"check", dir + "/list.yaml", now}, 1, `its document is a list, not a mapping [UG004]`, ""},
		{"spec not a mapping: one finding, no checklist", []string{"check", dir + "/spec5.yaml", now}, 1,
			`spec5.yaml:4:7: error: spec must be a mapping, not "5" [UG004]`, ""},
		{"policy is a directory", []string{"check", dir + "/policydir/app.yaml", now}, 1, `cannot read policy "policydir/p.yaml": is a directory [UG005]`, ""},
		{"named twice is checked once", []string{"check", dir + "/nopolicy/app.yaml", dir + "/nopolicy/../nopolicy/app.yaml", dir + "/nopolicy", now}, 0,
			"PASS: 1 manifest", ""},
		{"path outside the root", []string{"check", "--root", dir, outside, now}, 2, "", "is outside the repository root"},
		{"internal error is never 0", []string{"check", "--root", dir + "/empty.yaml", dir, now}, 2, "", "is not a directory"},
		{"fail-on never passes on errors", []string{"check", "--fail-on", "never", dir + "/spec5.yaml", now}, 0, "PASS: 1 manifest, 1 error", ""},
		{"fail-on notice fails on a notice", []string{"check", "--fail-on", "notice", golden(t, "UG513-trigger-no-review"), now}, 1, "[UG513]", ""},
		{"same file for two formats", []string{"check", "--format", "json=r.json", "--format", "sarif=./r.json", dir + "/nopolicy"}, 2, "",
			"r.json is already written by --format json"},
	})
}

func TestCheckTextGroupsByManifest(t *testing.T) {
	t.Parallel()
	multi := golden(t, "multi-document")
	code, out, _ := run(t, "check", "--root", multi, multi, "--now=2026-11-22T12:00:00Z")
	if code != 1 {
		t.Fatalf("exit %d", code)
	}
	want := `upgrades/app.yaml: app-2-2 1.2.0 -> 2.2.0 via 1.2.5, 2.1.0 (ok)

upgrades/more.yaml: app-second 1.2.0 -> 2.2.0 via 1.2.5, 2.1.0
upgrades/more.yaml:9:1: error: owner (person in charge) is missing [UG510]
    9 | spec:
      | ^
    hint: name the person in charge in spec.owner

FAIL: 2 manifests, 1 error, 0 warnings, 0 notices, 0 suppressed
`
	if diff := cmp.Diff(want, out); diff != "" {
		t.Errorf("text report (-want +got):\n%s", diff)
	}
	// a manifest without name or versions still gets a readable header
	dir := testtree.Repo(t, map[string]string{"m.yaml": "apiVersion: upgradegate/v1\nkind: Upgrade\nspec: {}\n"})
	_, out, _ = run(t, "check", dir, "--now=2026-11-22T12:00:00Z")
	if !strings.HasPrefix(out, "m.yaml: (unnamed) ? -> ?\n") {
		t.Errorf("header of an unnamed manifest:\n%s", out)
	}
}

// A report that cannot be written leaves no other report behind: neither a
// file written before it nor standard output.
func TestFormatsAllOrNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	jsonFile := filepath.Join(dir, "report.json")
	blocker := filepath.Join(dir, "sarif")
	if err := os.Mkdir(blocker, 0o755); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "check", golden(t, "base-pass"), "--format", "text", "--format", "json="+jsonFile,
		"--format", "sarif="+blocker)
	if code != 2 || !strings.Contains(errOut, "write sarif report") {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	if out != "" {
		t.Errorf("stdout written although a report failed:\n%s", out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("files left behind: %v", names)
	}
	// several formats to files in one run
	sarifFile := filepath.Join(dir, "r.sarif")
	code, out, errOut = run(t, "check", golden(t, "base-pass"), "--format", "json="+jsonFile+",sarif="+sarifFile)
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, f := range []string{jsonFile, sarifFile} {
		data, err := os.ReadFile(f)
		if err != nil || !json.Valid(data) {
			t.Errorf("%s: %v, valid JSON %v", f, err, json.Valid(data))
		}
	}
}

func TestInitQuotesValues(t *testing.T) {
	t.Parallel()
	dir := testtree.Repo(t, nil)
	file := filepath.Join(dir, "up.yaml")
	code, _, errOut := run(t, "init", "--component", "my app: \"x\"\nkind: Policy", "--from", "1.0", "--to", "1.1", file)
	if code != 0 {
		t.Fatalf("init: exit %d: %s", code, errOut)
	}
	_, out, _ := run(t, "check", file, "--format", "json")
	var rep struct {
		Manifests []struct{ Component string } `json:"manifests"`
		Findings  []struct{ Rule string }      `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Manifests) != 1 || rep.Manifests[0].Component != "my app: \"x\"\nkind: Policy" {
		t.Errorf("manifests: %+v", rep.Manifests)
	}
	for _, f := range rep.Findings {
		if strings.HasPrefix(f.Rule, "UG00") {
			t.Errorf("starter manifest has a %s finding", f.Rule)
		}
	}
	if code, _, errOut := run(t, "init", "--to", `2.0"`); code != 2 || !strings.Contains(errOut, `--to "2.0\"" is not a version`) {
		t.Errorf("bad version: exit %d, %q", code, errOut)
	}
	// numbers YAML would read as numbers are not versions (issue 13 item 13)
	for _, args := range [][]string{{"--from", "1e400"}, {"--to", "0x10"}} {
		code, _, errOut := run(t, "init", filepath.Join(t.TempDir(), "u.yaml"), args[0], args[1])
		if want := args[0] + ` "` + args[1] + `" is not a version`; code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("init %s %s: exit %d, %q, want 2 and %q", args[0], args[1], code, errOut, want)
		}
	}
}
