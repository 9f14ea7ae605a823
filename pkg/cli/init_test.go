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
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// runIn runs the command line with dir as the working directory.
func runIn(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, Env{Stdout: &out, Stderr: &errb, Getenv: func(string) string { return "" }, Dir: dir})
	return code, out.String(), errb.String()
}

// initPolicyYAML has a required stop, a step limit and compatibility rows:
// 1.x needs nothing, 2.x postgresql, 3.x postgresql and kubernetes; no hop
// from 1.3 reaches 2.x.
const initPolicyYAML = `apiVersion: upgradegate/v1
kind: Policy
metadata:
  name: app
spec:
  component: app
  releases: [1.0.0, 1.2.5, 1.3.0, 2.0.0, 2.1.0, 3.0.0, 3.1.0]
  requiredStops:
    - version: 1.2.5
  maxStep: {major: 1}
  blocked:
    - {from: ">= 1.3.0, < 2.0.0", to: ">= 2.0.0"}
  compatibility:
    - versions: ">= 1.0, < 2.0"
      requires: {}
    - versions: ">= 2.0, < 3.0"
      requires:
        postgresql: ">= 13, < 17"
    - versions: ">= 3.0, < 4.0"
      requires:
        postgresql: ">= 14, < 17"
        kubernetes: ">= 1.27"
`

func TestInitOutputFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.yaml"), filepath.Join(dir, "sub", "b.yaml")
	if code, out, errOut := run(t, "init", "-o", b); code != 0 || !strings.Contains(out, "wrote "+b) {
		t.Fatalf("init -o: exit %d, %q, %q", code, out, errOut)
	}
	if data, err := os.ReadFile(b); err != nil || !bytes.HasPrefix(data, []byte("apiVersion: upgradegate/v1\n")) {
		t.Fatalf("-o file: %v, %q", err, data)
	}
	if code, _, _ := run(t, "init", "-o", a, a); code != 0 {
		t.Errorf("-o and the same FILE: exit %d", code)
	}
	code, _, errOut := run(t, "init", "-o", a, b)
	if want := `two files given, "` + b + `" and -o "` + a + `"`; code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("-o and another FILE: exit %d, %q; want 2 and %q", code, errOut, want)
	}
	if code, _, errOut := run(t, "init", "--force"); code != 2 || !strings.Contains(errOut, "--force needs a FILE") {
		t.Errorf("--force without FILE: exit %d, %q", code, errOut)
	}
}

func TestInitForce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "upgrade.yaml")
	const mine = "# my own manifest\n"
	if err := os.WriteFile(file, []byte(mine), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"init", file}, {"init", "-o", file}} {
		code, out, errOut := run(t, args...)
		if code != 2 || out != "" || !strings.Contains(errOut, file+" already exists; not overwriting it (--force overwrites it)") {
			t.Errorf("%q: exit %d, %q, %q", args, code, out, errOut)
		}
		if data, _ := os.ReadFile(file); string(data) != mine {
			t.Errorf("%q changed the file: %q", args, data)
		}
	}
	if code, _, errOut := run(t, "init", "--force", "--component", "redis", "-o", file); code != 0 {
		t.Fatalf("--force: exit %d, %q", code, errOut)
	}
	data, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(data), "component: \"redis\"\n") {
		t.Errorf("--force did not overwrite: %v, %q", err, data)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the directory holds %d entries, want the manifest alone (no temporary file left)", len(entries))
	}
	// a directory is never replaced, even with --force
	sub := filepath.Join(dir, "dir.yaml")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := run(t, "init", "--force", sub); code != 2 || !strings.Contains(errOut, "is a directory") {
		t.Errorf("--force onto a directory: exit %d, %q", code, errOut)
	}
}

func TestInitPolicyPrefills(t *testing.T) {
	t.Parallel()
	root := testtree.Repo(t, map[string]string{"policies/app.yaml": initPolicyYAML})
	// the policy named from the working directory; spec.policy is written relative to the manifest
	code, out, errOut := runIn(t, root, "init", "--policy", "policies/app.yaml", "--from", "1.0.0", "--to", "3.1.0", "-o", "upgrades/app.yaml")
	if code != 0 || errOut != "" {
		t.Fatalf("init: exit %d, %q, %q", code, out, errOut)
	}
	data, err := os.ReadFile(filepath.Join(root, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	for _, want := range []string{
		"  name: \"app-3-1-0\"\n",
		"  component: \"app\"\n", // the policy's component
		"  policy: \"../policies/app.yaml\"\n",
		"  path: [\"1.2.5\", \"2.1.0\"]   # the policy's suggested stops (UG204)\n",
		"    # postgresql: \"\"   # \">= 13, < 17\" at 2.1.0 (row 2); \">= 14, < 17\" at 3.1.0 (row 3)\n",
		"    # kubernetes: \"\"   # \">= 1.27\" at 3.1.0 (row 3)\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the manifest lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "# postgresql: \"14.11\"") {
		t.Errorf("the generic environment example is still there:\n%s", text)
	}
	// check reads it: the path is the one it suggests, and the commented
	// components are what it asks for
	_, out, _ = runIn(t, root, "check", "upgrades/app.yaml", "--format", "json")
	var rep struct {
		Findings []struct{ Rule, Message string } `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var ug302 []string
	for _, f := range rep.Findings {
		switch {
		case strings.HasPrefix(f.Rule, "UG0") || strings.HasPrefix(f.Rule, "UG2"):
			t.Errorf("the prefilled manifest has %s: %s", f.Rule, f.Message)
		case f.Rule == "UG302":
			ug302 = append(ug302, f.Message)
		}
	}
	want := []string{
		`compatibility row 2 of policy "policies/app.yaml" requires postgresql ">= 13, < 17", but spec.environment does not list "postgresql"`,
		`compatibility row 3 of policy "policies/app.yaml" requires kubernetes ">= 1.27", but spec.environment does not list "kubernetes"`,
	}
	if diff := cmp.Diff(want, ug302); diff != "" {
		t.Errorf("UG302 findings (-want +got):\n%s", diff)
	}

	// an absolute policy file is written relative to the manifest
	code, out, errOut = runIn(t, t.TempDir(), "init", "--policy", filepath.Join(root, "policies", "app.yaml"), "-o", filepath.Join(root, "upgrades", "abs.yaml"))
	if data, err := os.ReadFile(filepath.Join(root, "upgrades", "abs.yaml")); code != 0 || err != nil || !strings.Contains(string(data), "  policy: \"../policies/app.yaml\"\n") {
		t.Errorf("absolute policy: exit %d, %v, %q, %q\n%s", code, err, out, errOut, data)
	}

	// relative to the manifest, as spec.policy is: kept as written
	code, out, errOut = runIn(t, filepath.Join(root, "upgrades"), "init", "--policy", "../policies/app.yaml", "--from", "2.0.0", "--to", "2.1.0")
	if code != 0 || errOut != "" || !strings.Contains(out, "  policy: \"../policies/app.yaml\"\n") ||
		!strings.Contains(out, "  path: []                      # the policy allows the direct hop\n") ||
		!strings.Contains(out, "    # postgresql: \"\"   # \">= 13, < 17\" at 2.1.0 (row 2)\n") || strings.Contains(out, "kubernetes") {
		t.Errorf("manifest-relative policy: exit %d, %q\n%s", code, errOut, out)
	}
}

func TestInitPolicyProblems(t *testing.T) {
	t.Parallel()
	root := testtree.Repo(t, map[string]string{
		"policies/app.yaml":    initPolicyYAML,
		"policies/broken.yaml": "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: x}\nspec:\n  component: app\n  maxStep: {minor: lots}\n",
		"policies/other.yaml":  "apiVersion: upgradegate/v1\nkind: Upgrade\n",
		"policies/odd.yaml": strings.Replace(initPolicyYAML, "        kubernetes: \">= 1.27\"\n",
			"        \"kube\\nkind: Policy\\u0085x\\u2028y\": \">= 1.27\"\n", 1),
	})
	cases := []struct {
		name   string
		args   []string
		code   int
		stdout string // a substring
		stderr string // a substring
	}{
		{"no legal path", []string{"--policy", "policies/app.yaml", "--from", "1.3.0", "--to", "3.1.0"}, 0,
			"  path: []                      # intermediate stops;", "note: no path suggested: no legal upgrade path"},
		{"target not above", []string{"--policy", "policies/app.yaml", "--from", "2.0.0", "--to", "1.0.0"}, 0,
			"  path: []", "note: --to 1.0.0 is not greater than --from 2.0.0: no path suggested"},
		{"not found", []string{"--policy", "policies/none.yaml"}, 0,
			"  policy: \"policies/none.yaml\"\n", "note: policy policies/none.yaml is not found beside the manifest nor in the working directory"},
		{"broken", []string{"--policy", "policies/broken.yaml"}, 1, "", "policies/broken.yaml:6:"},
		{"not a policy", []string{"--policy", "policies/other.yaml"}, 2, "", "policies/other.yaml "},
		{"other component", []string{"--policy", "policies/app.yaml", "--component", "redis"}, 2, "",
			`policy policies/app.yaml is for component "app", not --component "redis"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := runIn(t, root, append([]string{"init"}, c.args...)...)
			if code != c.code || !strings.Contains(out, c.stdout) || !strings.Contains(errOut, c.stderr) {
				t.Errorf("exit %d (want %d)\nstdout %q (want %q)\nstderr %q (want %q)", code, c.code, out, c.stdout, errOut, c.stderr)
			}
			if c.code != 0 && out != "" {
				t.Errorf("a failed init printed a manifest: %q", out)
			}
		})
	}
	// a component name and a constraint with line breaks stay inside their comment
	code, out, errOut := runIn(t, root, "init", "--policy", "policies/odd.yaml", "--from", "2.1.0", "--to", "3.0.0")
	if code != 0 {
		t.Fatalf("odd names: exit %d, %q", code, errOut)
	}
	want := `    # "kube\nkind: Policy\u0085x\u2028y": ""   # ">= 1.27" at 3.0.0 (row 3)` + "\n"
	if !strings.Contains(out, want) {
		t.Errorf("odd names: want the line %q in\n%s", want, out)
	}
	var doc map[string]any
	if err := yaml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["kind"] != "Upgrade" || len(doc) != 4 {
		t.Errorf("the manifest's top level is %v", doc)
	}
}

// TestInitFromWhatProductionDeploys: without --from, init takes the version
// the policy's deployed locations agree on for production, and says where
// it read it; --from still wins. The policy imports vendor files
// (spec.import), which init reads in the repository around the policy: the
// target 19.6.1 is a release only the imported list knows.
func TestInitFromWhatProductionDeploys(t *testing.T) {
	code, out, errOut := run(t, "init", "--policy", "../../examples/policies/gitlab.yaml", "--to", "19.6.1")
	if code != 0 || !strings.Contains(out, `from: "19.5.3"`) || !strings.Contains(out, `to: "19.6.1"`) || strings.Contains(errOut, "UG104") ||
		!strings.Contains(errOut, "from: 19.5.3, what production deploys (examples/deploy/gitlab/values.yaml:") {
		t.Errorf("exit %d, stderr %q, manifest:\n%s", code, errOut, out)
	}
	code, out, errOut = run(t, "init", "--policy", "../../examples/policies/gitlab.yaml", "--from", "16.7.10", "--to", "17.3.7")
	if code != 0 || !strings.Contains(out, `from: "16.7.10"`) || strings.Contains(errOut, "what production deploys") {
		t.Errorf("--from given: exit %d, stderr %q, manifest:\n%s", code, errOut, out)
	}
}
