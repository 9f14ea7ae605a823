package refs_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// writeRepo creates a repository in a temporary directory.
func writeRepo(t *testing.T, files map[string]string) *repo.Repo {
	t.Helper()
	r, err := repo.Open(testtree.Write(t, files))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// manifestYAML is a valid manifest whose spec ends with tail (indented by two).
func manifestYAML(name, tail string) string {
	return "apiVersion: upgradegate/v1\nkind: Upgrade\nmetadata:\n  name: " + name +
		"\nspec:\n  component: gitlab\n  from: 16.3.2\n  to: 17.3.7\n  owner: \"@platform\"\n" + tail
}

// decode reads the manifests of a repository file; decoding findings fail the test.
func decode(t *testing.T, r *repo.Repo, rel string) []*manifest.Manifest {
	t.Helper()
	data, _, err := r.ReadPrefix(rel, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	docs, bad := yamldoc.Parse(rel, data)
	if bad != nil {
		t.Fatalf("%s: %s", rel, bad)
	}
	var out []*manifest.Manifest
	for i, doc := range docs {
		m, fs := manifest.Decode(rel, i, doc)
		if len(fs) > 0 {
			t.Fatalf("%s: the test manifest does not decode: %v", rel, fs)
		}
		out = append(out, m)
	}
	return out
}

// lines formats findings as "file:line:col: severity: message [rule]", sorted.
func lines(fs []finding.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.String())
	}
	sort.Strings(out)
	return out
}

// run checks the manifest in upgrades/test.yaml of a repository made of files.
func run(t *testing.T, c *refs.Checker, files map[string]string) ([]finding.Finding, *repo.Repo) {
	t.Helper()
	r := writeRepo(t, files)
	var all []finding.Finding
	for _, m := range decode(t, r, "upgrades/test.yaml") {
		all = append(all, c.Check(context.Background(), r, m)...)
	}
	return all, r
}

func noEnv(string) string { return "" }

const values = `global:
  psql:
    pool: 25
  legacyPool: 10
servers:
  - port: 8080
`

func TestConfig(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"deploy/values.yaml":    values,
		"deploy/app.json":       `{"server": {"port": 80}}`,
		"deploy/app.toml":       "[server]\nport = 80\n",
		"deploy/.env":           "DB_HOST=db\n",
		"deploy/broken.yaml":    "a:\n  b: 1\n c: 2\n",
		"deploy/broken.json":    "{\n  \"a\": 1,\n}\n",
		"deploy/broken.toml":    "[server]\nport = \n",
		"deploy/broken.env":     "OK=1\nNOT OK=2\n",
		"deploy/settings.ini":   "[a]\nb=1\n",
		"deploy/subdir/.keep":   "",
		"deploy/dir.yaml/.keep": "",
	}
	tests := []struct {
		name   string
		config string // the spec.config list
		want   []string
	}{
		{"present and found", `
  config:
    - file: deploy/values.yaml
      key: global.psql.pool
    - file: deploy/values.yaml
      key: servers[0].port
    - file: deploy/app.json
      key: server.port
    - file: deploy/app.toml
      key: server.port
    - file: ./deploy/.env
      key: DB_HOST
`, nil},
		{"absent and not found", `
  config:
    - file: deploy/values.yaml
      key: global.psql.legacy
      expect: absent
`, nil},
		{"UG401 missing file", `
  config:
    - file: deploy/nope.yaml
      key: a
`, []string{`upgrades/test.yaml:12:13: error: config file "deploy/nope.yaml" does not exist [UG401]`}},
		{"UG004 directory without a type", `
  config:
    - file: deploy/subdir
      key: a
`, []string{`upgrades/test.yaml:12:13: error: config file "deploy/subdir" has a type the gate cannot read: expected .yaml, .yml, .json, .toml or .env (also .env.NAME) [UG004]`}},
		{"UG401 directory", `
  config:
    - file: deploy/dir.yaml
      key: a
`, []string{`upgrades/test.yaml:12:13: error: config file "deploy/dir.yaml" cannot be read: is a directory [UG401]`}},
		{"UG402 missing key", `
  config:
    - file: deploy/values.yaml
      key: global.psql.poolSize
      owner: "@bob"
`, []string{`upgrades/test.yaml:13:12: error: config key "global.psql.poolSize" is missing from "deploy/values.yaml": "global.psql" is a mapping without that key, so it has no key "poolSize" [UG402]`}},
		{"UG402 key still present", `
  config:
    - file: deploy/values.yaml
      key: global.legacyPool
      expect: absent
`, []string{`upgrades/test.yaml:13:12: error: config key "global.legacyPool" is still set in "deploy/values.yaml" (line 4), but it must be absent (expect: absent) [UG402]`}},
		{"UG402 json and toml and env", `
  config:
    - file: deploy/app.json
      key: server.host
    - file: deploy/app.toml
      key: server.port
      expect: absent
    - file: deploy/.env
      key: DB_PASSWORD
`, []string{
			`upgrades/test.yaml:13:12: error: config key "server.host" is missing from "deploy/app.json": "server" is a mapping without that key, so it has no key "host" [UG402]`,
			`upgrades/test.yaml:15:12: error: config key "server.port" is still set in "deploy/app.toml", but it must be absent (expect: absent) [UG402]`,
			`upgrades/test.yaml:18:12: error: config key "DB_PASSWORD" is missing from "deploy/.env": no variable "DB_PASSWORD" is set [UG402]`,
		}},
		{"UG403 each format, once per file", `
  config:
    - file: deploy/broken.yaml
      key: a
    - file: deploy/broken.yaml
      key: b
      expect: absent
    - file: deploy/broken.json
      key: a
    - file: deploy/broken.toml
      key: server.port
    - file: deploy/broken.env
      key: OK
`, []string{
			`deploy/broken.env:2:5: error: config file "deploy/broken.env" cannot be parsed as .env: unexpected 'O' in a variable name: expected '=' (needed by spec.config[4] of manifest "test" in "upgrades/test.yaml") [UG403]`,
			`deploy/broken.json:3:1: error: config file "deploy/broken.json" cannot be parsed as JSON: invalid character '}' looking for beginning of object key string (needed by spec.config[2] of manifest "test" in "upgrades/test.yaml") [UG403]`,
			`deploy/broken.toml:2:8: error: config file "deploy/broken.toml" cannot be parsed as TOML: unexpected character U+000A at start of value (needed by spec.config[3] of manifest "test" in "upgrades/test.yaml") [UG403]`,
			`deploy/broken.yaml:3:2: error: config file "deploy/broken.yaml" cannot be parsed as YAML: did not find expected key (in the block that starts at line 2) (needed by spec.config[0] of manifest "test" in "upgrades/test.yaml") [UG403]`,
		}},
		{"UG004 bad key path", `
  config:
    - file: deploy/values.yaml
      key: global..pool
`, []string{`upgrades/test.yaml:13:12: error: config key "global..pool" is not a valid key path: empty key segment: remove the extra '.' (at character 8) [UG004]`}},
		{"UG004 bad key path and UG401 missing file", `
  config:
    - file: deploy/gone.yaml
      key: "a[x]"
`, []string{
			`upgrades/test.yaml:12:13: error: config file "deploy/gone.yaml" does not exist [UG401]`,
			`upgrades/test.yaml:13:12: error: config key "a[x]" is not a valid key path: index "x" is not a number: write [0], [1], ... (at character 3) [UG004]`,
		}},
		{"UG004 unknown file type", `
  config:
    - file: deploy/settings.ini
      key: a.b
`, []string{`upgrades/test.yaml:12:13: error: config file "deploy/settings.ini" has a type the gate cannot read: expected .yaml, .yml, .json, .toml or .env (also .env.NAME) [UG004]`}},
		{"UG006 dot-dot", `
  config:
    - file: ../outside/values.yaml
      key: a
`, []string{`upgrades/test.yaml:12:13: error: config file "../outside/values.yaml" leaves the repository: it climbs above the repository root with '..' [UG006]`}},
		{"UG006 absolute", `
  config:
    - file: /etc/passwd.yaml
      key: root
`, []string{`upgrades/test.yaml:12:13: error: config file "/etc/passwd.yaml" leaves the repository: absolute paths are not allowed; write a path relative to the repository [UG006]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{"upgrades/test.yaml": manifestYAML("test", tt.config)}
			for k, v := range base {
				files[k] = v
			}
			got, _ := run(t, refs.New(refs.Options{Getenv: noEnv}), files)
			if diff := cmp.Diff(tt.want, lines(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
			for _, f := range got {
				if f.Manifest != "test" || f.Node == "" || f.Hint == "" {
					t.Errorf("%s: Manifest %q, Node %q, Hint %q: want all set", f, f.Manifest, f.Node, f.Hint)
				}
			}
		})
	}
}

// TestSymlinkOut: a reference through a symlink that points out of the
// repository is UG006, for config, docs and kubernetes files alike.
func TestSymlinkOut(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "values.yaml"), []byte("a: 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := writeRepo(t, map[string]string{"upgrades/test.yaml": manifestYAML("test", `
  config:
    - file: linked/values.yaml
      key: a
  secrets:
    - name: db
      store: kubernetes
      file: linked/values.yaml
  docs: [linked/values.yaml]
`)})
	if err := os.Symlink(outside, filepath.Join(r.Root(), "linked")); err != nil {
		t.Skipf("symlinks: %v", err)
	}
	m := decode(t, r, "upgrades/test.yaml")[0]
	got := lines(refs.New(refs.Options{Getenv: noEnv}).Check(context.Background(), r, m))
	want := []string{
		`upgrades/test.yaml:12:13: error: config file "linked/values.yaml" leaves the repository: a symlink on its way points outside the repository [UG006]`,
		`upgrades/test.yaml:17:13: error: kubernetes secret file "linked/values.yaml" leaves the repository: a symlink on its way points outside the repository [UG006]`,
		`upgrades/test.yaml:18:10: error: documentation file "linked/values.yaml" leaves the repository: a symlink on its way points outside the repository [UG006]`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestDocs(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"docs/runbooks/gitlab.md":   "# runbook\n",
		"docs/runbooks/gitlab/a.md": "# a\n",
		"docs/old.md":               "# old\n",
		"upgrades/test.yaml": manifestYAML("test", `
  docs:
    - docs/runbooks/gitlab.md
    - docs/runbooks/gitlab
    - docs/old.md
    - docs/missing.md
    - ../README.md
`),
	}
	tests := []struct {
		name    string
		changed []string
		want    []string
	}{
		{"not a pull request", nil, []string{
			`upgrades/test.yaml:15:7: error: documentation file "docs/missing.md" does not exist [UG421]`,
			`upgrades/test.yaml:16:7: error: documentation file "../README.md" leaves the repository: it climbs above the repository root with '..' [UG006]`,
		}},
		{"pull request", []string{"./docs/runbooks/gitlab.md", "docs/runbooks/gitlab/a.md", "upgrades/test.yaml"}, []string{
			`upgrades/test.yaml:14:7: warning: documentation "docs/old.md" was not changed in this pull request [UG422]`,
			`upgrades/test.yaml:15:7: error: documentation file "docs/missing.md" does not exist [UG421]`,
			`upgrades/test.yaml:16:7: error: documentation file "../README.md" leaves the repository: it climbs above the repository root with '..' [UG006]`,
		}},
		{"pull request that changed nothing", []string{}, []string{
			`upgrades/test.yaml:12:7: warning: documentation "docs/runbooks/gitlab.md" was not changed in this pull request [UG422]`,
			`upgrades/test.yaml:13:7: warning: documentation "docs/runbooks/gitlab" was not changed in this pull request [UG422]`,
			`upgrades/test.yaml:14:7: warning: documentation "docs/old.md" was not changed in this pull request [UG422]`,
			`upgrades/test.yaml:15:7: error: documentation file "docs/missing.md" does not exist [UG421]`,
			`upgrades/test.yaml:16:7: error: documentation file "../README.md" leaves the repository: it climbs above the repository root with '..' [UG006]`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _ := run(t, refs.New(refs.Options{Getenv: noEnv, ChangedFiles: tt.changed}), files)
			if diff := cmp.Diff(tt.want, lines(got)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadChangedFiles(t *testing.T) {
	t.Parallel()
	name := filepath.Join(t.TempDir(), "changed.txt")
	if err := os.WriteFile(name, []byte("# changed in PR 12\n\ndocs/runbook.md\r\n ./deploy//values.yaml \nsrc\\main.go\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := refs.ReadChangedFiles(name)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"docs/runbook.md", "deploy/values.yaml", "src/main.go"}, got); diff != "" {
		t.Errorf("ReadChangedFiles (-want +got):\n%s", diff)
	}
	empty := filepath.Join(t.TempDir(), "empty.txt")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := refs.ReadChangedFiles(empty); err != nil || got == nil || len(got) != 0 {
		t.Errorf("empty file: %#v, %v; want an empty, non-nil list", got, err)
	}
	bad := filepath.Join(t.TempDir(), "bad.txt")
	if err := os.WriteFile(bad, []byte("a\n../etc/passwd\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := refs.ReadChangedFiles(bad); err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("a path out of the repository: %v, want an error naming line 2", err)
	}
	if _, err := refs.ReadChangedFiles(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("a missing file: no error")
	}
}

func FuzzChangedFiles(f *testing.F) {
	f.Add("docs/a.md\n# comment\n\n./b//c.yaml\r\n")
	f.Add("../x\n")
	f.Add("/abs\n")
	f.Fuzz(func(t *testing.T, s string) {
		files, err := refs.ParseChangedFiles(strings.NewReader(s))
		if err != nil {
			return
		}
		for _, p := range files {
			if p == "" || strings.HasPrefix(p, "/") || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, `\`) {
				t.Fatalf("ParseChangedFiles(%q) returned %q, not a clean repository path", s, p)
			}
		}
	})
}
