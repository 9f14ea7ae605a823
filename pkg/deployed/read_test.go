package deployed

import (
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/configfile"
)

// mapFiles is a tree of files in memory.
type mapFiles map[string]string

func (m mapFiles) ReadFile(rel string) ([]byte, error) {
	s, ok := m[rel]
	if !ok {
		return nil, fmt.Errorf("open %s: %w", rel, fs.ErrNotExist)
	}
	return []byte(s), nil
}

func (m mapFiles) Glob(pattern string) ([]string, error) {
	var out []string
	for name := range m {
		if ok, _ := doublestar.Match(pattern, name); ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out, nil
}

func keyLoc(t *testing.T, file, key string) Location {
	t.Helper()
	p, err := configfile.ParseKeyPath(key)
	if err != nil {
		t.Fatal(err)
	}
	return Location{File: file, Key: p, KeyRaw: key, Pos: Pos{"policies/app.yaml", 7, 7}}
}

func imageLoc(t *testing.T, where, image string) Location {
	t.Helper()
	repo, err := NormalizeRepository(image)
	if err != nil {
		t.Fatal(err)
	}
	l := Location{Image: repo, ImageRaw: image, Pos: Pos{"policies/app.yaml", 7, 7}}
	if strings.ContainsAny(where, "*?[{") {
		l.Files = where
	} else {
		l.File = where
	}
	return l
}

// got is a match or a problem, compactly.
func got(ms []Match, ps []Problem) []string {
	var out []string
	for _, m := range ms {
		out = append(out, fmt.Sprintf("%s %s %q", m.At(), m.Version, m.Raw))
	}
	for _, p := range ps {
		out = append(out, fmt.Sprintf("! %s:%d:%d %s", p.File, p.Line, p.Column, p.Message))
	}
	return out
}

func TestReadKey(t *testing.T) {
	t.Parallel()
	files := mapFiles{
		"deploy/values.yaml": "global:\n  gitlabVersion: v16.3.2\n---\nglobal:\n  gitlabVersion: 16.3.2\n",
		"Chart.yaml":         "dependencies:\n  - name: redis\n    version: 7.0.1\n  - name: gitlab\n    version: 7.3.2\n",
		"app.json":           "{\n  \"deps\": [{\"name\": \"a\", \"v\": \"1.2.3\"},\n    {\"name\": \"gitlab\", \"v\": \"16.3.2\"}]\n}\n",
		"app.toml":           "[server]\nport = 1\n\n[[deps]]\nname = \"gitlab\"\nversion = \"16.3.2\"\n",
		".env":               "# versions\nexport GITLAB_VERSION=\"16.3.2\"\nOTHER=1\n",
		"empty.yaml":         "global: {}\n",
		"map.yaml":           "global:\n  gitlabVersion: {a: 1}\n",
		"bad.yaml":           "global: [\n",
	}
	tests := []struct {
		name, file, key string
		want            []string
	}{
		{"every YAML document", "deploy/values.yaml", "global.gitlabVersion",
			[]string{`deploy/values.yaml:2:18 16.3.2 "v16.3.2"`, `deploy/values.yaml:5:18 16.3.2 "16.3.2"`}},
		{"selector", "Chart.yaml", "dependencies[name=gitlab].version", []string{`Chart.yaml:5:14 7.3.2 "7.3.2"`}},
		{"JSON selector", "app.json", "deps[name=gitlab].v", []string{`app.json:3:29 16.3.2 "16.3.2"`}},
		{"TOML array of tables", "app.toml", "deps[name=gitlab].version", []string{`app.toml:6:11 16.3.2 "16.3.2"`}},
		{".env", ".env", "GITLAB_VERSION", []string{`.env:2:23 16.3.2 "16.3.2"`}},
		{"missing key", "empty.yaml", "global.gitlabVersion",
			[]string{`! policies/app.yaml:7:7 deployed location "empty.yaml" key "global.gitlabVersion" matches nothing: "empty.yaml": "global" is a mapping without that key, so it has no key "gitlabVersion"`}},
		{"not a scalar", "map.yaml", "global.gitlabVersion",
			[]string{`! map.yaml:2:18 deployed key "global.gitlabVersion" in "map.yaml" is a mapping, not a version`}},
		{"syntax error", "bad.yaml", "global", []string{`! bad.yaml:1:1 deployed file "bad.yaml" cannot be parsed: did not find expected node content`}},
		{"no file", "nope.yaml", "a", []string{`! policies/app.yaml:7:7 deployed file "nope.yaml" cannot be read: no such file`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc := keyLoc(t, tt.file, tt.key)
			ms, ps := NewReader(files).Read(&loc)
			if diff := cmp.Diff(tt.want, got(ms, ps)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadImage(t *testing.T) {
	t.Parallel()
	files := mapFiles{
		"k8s/deploy.yaml": `apiVersion: apps/v1
kind: Deployment
spec:
  template:
    spec:
      initContainers:
        - name: migrate
          image: registry.example.com/gitlab/webservice:v17.3.7-ee
      containers:
        - name: web
          image: registry.example.com/gitlab/webservice:v17.3.7-ee
        - name: sidecar
          image: busybox:1.36
`,
		"k8s/cron/job.yaml": `apiVersion: batch/v1
kind: CronJob
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - image: registry.example.com/gitlab/webservice:v17.3.7-ee
`,
		"compose.yaml":       "services:\n  db:\n    image: postgres:13.16\n  web:\n    image: nginx\n",
		"Dockerfile":         "ARG PG=13.16\nARG BASE=postgres\nFROM ${BASE}:${PG} AS build\nFROM build\n",
		"kustomization.yaml": "images:\n  - name: postgres\n    newTag: \"13.16\"\n",
		"values.yaml":        "image:\n  registry: docker.io\n  repository: library/postgres\n  tag: 13.16\n",
		"digest.yaml":        "services:\n  db:\n    image: postgres@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n",
		"notag.yaml":         "services:\n  db:\n    image: postgres\n",
		"README.md":          "postgres:13.16\n",
	}
	ee := regexp.MustCompile(`^v?(?P<version>\d+\.\d+\.\d+)-ee$`)
	tests := []struct {
		name, where, image string
		match              *regexp.Regexp
		want               []string
	}{
		{"workloads, any depth", "k8s/**/*.yaml", "registry.example.com/gitlab/webservice", ee, []string{
			`k8s/cron/job.yaml:9:22 17.3.7 "v17.3.7-ee"`, `k8s/deploy.yaml:8:18 17.3.7 "v17.3.7-ee"`, `k8s/deploy.yaml:11:18 17.3.7 "v17.3.7-ee"`}},
		{"default match keeps the suffix", "k8s/deploy.yaml", "registry.example.com/gitlab/webservice", nil, []string{
			`k8s/deploy.yaml:8:18 17.3.7-ee "v17.3.7-ee"`, `k8s/deploy.yaml:11:18 17.3.7-ee "v17.3.7-ee"`}},
		{"compose, official image normalized", "compose.yaml", "docker.io/library/postgres", nil, []string{`compose.yaml:3:12 13.16 "13.16"`}},
		{"Dockerfile ARG defaults", "Dockerfile", "postgres", nil, []string{`Dockerfile:3:6 13.16 "13.16"`}},
		{"kustomization", "kustomization.yaml", "postgres", nil, []string{`kustomization.yaml:3:13 13.16 "13.16"`}},
		{"Helm values with registry", "values.yaml", "postgres", nil, []string{`values.yaml:4:8 13.16 "13.16"`}},
		{"digest only", "digest.yaml", "postgres", nil, []string{`! digest.yaml:3:12 image "postgres" is pinned by digest only: it does not give a version`}},
		{"no tag", "notag.yaml", "postgres", nil, []string{`! notag.yaml:3:12 image "postgres" has no tag: it does not give a version`}},
		{"other image", "compose.yaml", "redis", nil, []string{
			`! policies/app.yaml:7:7 deployed location "compose.yaml" image "redis" matches nothing: "compose.yaml" has no reference to image "redis"`}},
		{"not YAML", "README.md", "postgres", nil, []string{`! policies/app.yaml:7:7 deployed file "README.md" is neither YAML nor a Dockerfile`}},
		{"glob matches nothing", "helm/**/*.yaml", "postgres", nil, []string{`! policies/app.yaml:7:7 deployed files "helm/**/*.yaml" match no file`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			loc := imageLoc(t, tt.where, tt.image)
			loc.Match = tt.match
			ms, ps := NewReader(files).Read(&loc)
			if diff := cmp.Diff(tt.want, got(ms, ps)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadPattern(t *testing.T) {
	t.Parallel()
	files := mapFiles{"terraform/gitlab.tf": "module \"gitlab\" {\n  gitlab_version = \"16.3.2\"\n}\n", "x.tf": "nothing\n"}
	loc := Location{File: "terraform/gitlab.tf", Pattern: regexp.MustCompile(`gitlab_version\s*=\s*"(?P<version>[^"]+)"`), Pos: Pos{"p.yaml", 3, 7}}
	ms, ps := NewReader(files).Read(&loc)
	if diff := cmp.Diff([]string{`terraform/gitlab.tf:2:21 16.3.2 "16.3.2"`}, got(ms, ps)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	loc.File = "x.tf"
	ms, ps = NewReader(files).Read(&loc)
	if diff := cmp.Diff([]string{`! p.yaml:3:7 deployed location "x.tf" pattern "gitlab_version\\s*=\\s*\"(?P<version>[^\"]+)\"" matches nothing: "x.tf" has no text the pattern matches`}, got(ms, ps)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestScanAgreement(t *testing.T) {
	t.Parallel()
	files := mapFiles{
		"a.yaml": "v: 16.3.2\n", "b.yaml": "v: v16.3.2\n", "c.yaml": "v: 16.4.0\n", "s.yaml": "v: 17.0.0\n", "bad.yaml": "v: latest\n",
	}
	locs := []Location{keyLoc(t, "a.yaml", "v"), keyLoc(t, "b.yaml", "v"), keyLoc(t, "s.yaml", "v")}
	locs[2].Environment = "staging"
	s := Scan(files, locs)
	if len(s.Problems) != 0 {
		t.Fatalf("problems: %v", s.Problems)
	}
	if d := s.Version(Production); d == nil || d.Version.String() != "16.3.2" || d.First().File != "a.yaml" {
		t.Errorf("production = %+v, want 16.3.2 at a.yaml", d)
	}
	if d := s.Version("staging"); d == nil || d.Version.String() != "17.0.0" {
		t.Errorf("staging = %+v, want 17.0.0", d)
	}
	s = Scan(files, []Location{keyLoc(t, "a.yaml", "v"), keyLoc(t, "c.yaml", "v"), keyLoc(t, "bad.yaml", "v")})
	if s.Version(Production) != nil {
		t.Errorf("disagreeing matches gave a version: %+v", s.Version(Production))
	}
	want := []string{
		`! bad.yaml:1:4 deployed value "latest": "latest" is not a version`,
		`! c.yaml:1:4 deployed versions of production disagree: 16.3.2 at a.yaml:1, 16.4.0 at c.yaml:1`,
	}
	if diff := cmp.Diff(want, got(nil, s.Problems)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseReference(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, repo, tag, digest, err string }{
		{in: "postgres", repo: "docker.io/library/postgres"},
		{in: "postgres:13.16", repo: "docker.io/library/postgres", tag: "13.16"},
		{in: "bitnami/postgresql:16.3.0-debian-12-r1", repo: "docker.io/bitnami/postgresql", tag: "16.3.0-debian-12-r1"},
		{in: "localhost:5000/app:1.0", repo: "localhost:5000/app", tag: "1.0"},
		{in: "registry.example.com/gitlab/webservice:v17.3.7-ee", repo: "registry.example.com/gitlab/webservice", tag: "v17.3.7-ee"},
		{in: "ghcr.io/a/b:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", repo: "ghcr.io/a/b", tag: "1",
			digest: "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
		{in: "Postgres:13", err: `image reference "Postgres:13": repository component "Postgres" is not lower-case letters, digits and separators`},
		{in: "postgres:", err: `image reference "postgres:": tag "" is not a valid tag`},
		{in: "a@sha256:12", err: `image reference "a@sha256:12": digest "sha256:12" is not ALGORITHM:HEX`},
		{in: "", err: "empty image reference"},
	}
	for _, tt := range tests {
		r, err := ParseReference(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseReference(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || r.Repository != tt.repo || r.Tag != tt.tag || r.Digest != tt.digest {
			t.Errorf("ParseReference(%q) = %+v, %v; want %s %s %s", tt.in, r, err, tt.repo, tt.tag, tt.digest)
		}
	}
	if _, err := NormalizeRepository("postgres:13"); err == nil {
		t.Error("NormalizeRepository accepted a tag")
	}
}

func TestDockerfileImages(t *testing.T) {
	t.Parallel()
	src := "# escape=\\\nARG REG=ghcr.io\nARG V\nARG TAG=${V:-1.2.3}\nFROM --platform=$BUILDPLATFORM \\\n  ${REG}/a/b:$TAG AS build\n# a comment\nfrom build\nFROM scratch\nARG LATE=9\nFROM ghcr.io/c:${LATE:-0}\n"
	want := []FromImage{
		{Line: 6, Column: 3, Raw: "${REG}/a/b:$TAG", Image: "ghcr.io/a/b:1.2.3"},
		{Line: 11, Column: 6, Raw: "ghcr.io/c:${LATE:-0}", Image: "ghcr.io/c:0"},
	}
	if diff := cmp.Diff(want, DockerfileImages([]byte(src))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestCovers(t *testing.T) {
	t.Parallel()
	l := Location{Files: "k8s/**/*.yaml"}
	if !l.Covers("k8s/a/b/c.yaml") || !l.Covers("k8s/c.yaml") || l.Covers("k8s/c.json") {
		t.Error("glob coverage is wrong")
	}
	l = Location{File: "./deploy/values.yaml"}
	if !l.Covers("deploy/values.yaml") || l.Covers("deploy/other.yaml") {
		t.Error("file coverage is wrong")
	}
}
