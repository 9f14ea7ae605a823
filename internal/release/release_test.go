package release

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func read(t *testing.T, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// goreleaser is the part of .goreleaser.yaml the tests look at. Decoding is
// strict at the top level, so a misspelt section fails here too.
type goreleaser struct {
	Version     int            `yaml:"version"`
	ProjectName string         `yaml:"project_name"`
	Before      map[string]any `yaml:"before"`
	Builds      []struct {
		ID      string   `yaml:"id"`
		Main    string   `yaml:"main"`
		Binary  string   `yaml:"binary"`
		Env     []string `yaml:"env"`
		Flags   []string `yaml:"flags"`
		Ldflags []string `yaml:"ldflags"`
		Goos    []string `yaml:"goos"`
		Goarch  []string `yaml:"goarch"`
	} `yaml:"builds"`
	Archives []struct {
		IDs             []string `yaml:"ids"`
		Formats         []string `yaml:"formats"`
		NameTemplate    string   `yaml:"name_template"`
		FormatOverrides []struct {
			Goos    string   `yaml:"goos"`
			Formats []string `yaml:"formats"`
		} `yaml:"format_overrides"`
		ID    string   `yaml:"id"`
		Files []string `yaml:"files"`
	} `yaml:"archives"`
	Checksum struct {
		NameTemplate string `yaml:"name_template"`
		Algorithm    string `yaml:"algorithm"`
	} `yaml:"checksum"`
	DockersV2 []struct {
		ID         string            `yaml:"id"`
		IDs        []string          `yaml:"ids"`
		Dockerfile string            `yaml:"dockerfile"`
		Images     []string          `yaml:"images"`
		Tags       []string          `yaml:"tags"`
		Platforms  []string          `yaml:"platforms"`
		Labels     map[string]string `yaml:"labels"`
	} `yaml:"dockers_v2"`
	Release   map[string]any `yaml:"release"`
	Changelog map[string]any `yaml:"changelog"`
}

func loadGoreleaser(t *testing.T) goreleaser {
	t.Helper()
	var g goreleaser
	dec := yaml.NewDecoder(strings.NewReader(string(read(t, ".goreleaser.yaml"))))
	dec.KnownFields(true)
	if err := dec.Decode(&g); err != nil {
		t.Fatalf(".goreleaser.yaml: %v", err)
	}
	return g
}

// TestGoreleaserBuildsEveryPlatform: static binaries for linux, darwin and
// windows on amd64 and arm64, the version stamped into the variable the CLI
// prints, and a checksum file.
func TestGoreleaserBuildsEveryPlatform(t *testing.T) {
	g := loadGoreleaser(t)
	if g.Version != 2 {
		t.Errorf("version: %d, want 2 (GoReleaser v2)", g.Version)
	}
	if len(g.Builds) != 1 {
		t.Fatalf("builds: %d, want 1", len(g.Builds))
	}
	b := g.Builds[0]
	if b.Main != "./cmd/upgradegate" || b.Binary != "upgradegate" {
		t.Errorf("build main %q binary %q", b.Main, b.Binary)
	}
	if _, err := os.Stat(filepath.Join("..", "..", b.Main, "main.go")); err != nil {
		t.Errorf("build main: %v", err)
	}
	if !slices.Contains(b.Env, "CGO_ENABLED=0") {
		t.Errorf("build env %v: want CGO_ENABLED=0 (a static binary for distroless/static)", b.Env)
	}
	for _, os := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(b.Goos, os) {
			t.Errorf("goos %v lacks %s", b.Goos, os)
		}
	}
	for _, arch := range []string{"amd64", "arm64"} {
		if !slices.Contains(b.Goarch, arch) {
			t.Errorf("goarch %v lacks %s", b.Goarch, arch)
		}
	}
	// the -X target must exist, or the version is silently not stamped
	const x = "-X github.com/upgradegate/upgradegate/pkg/cli.Version="
	if len(b.Ldflags) != 1 || !strings.Contains(b.Ldflags[0], x) {
		t.Errorf("ldflags %v: want %s{{ .Tag }}", b.Ldflags, x)
	}
	cli := string(read(t, "pkg/cli/cli.go"))
	if !regexp.MustCompile(`(?m)^var Version\b|^\s+Version\s+(string\s+)?=`).MatchString(cli) {
		t.Errorf("pkg/cli/cli.go has no package variable Version for -X to set")
	}
	if g.Checksum.NameTemplate == "" || g.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum %+v: want a sha256 checksum file", g.Checksum)
	}
	if len(g.Archives) != 1 || !slices.Equal(g.Archives[0].IDs, []string{b.ID}) {
		t.Errorf("archives %+v: want one archive of build %q", g.Archives, b.ID)
	}
}

// TestImageNamesAgree: GoReleaser (dockers_v2, not the deprecated dockers
// and docker_manifests) pushes one image under the tag for linux/amd64 and
// linux/arm64 from the one build; the release workflow's pin and the action's
// documentation name that same image; the release Dockerfile only copies the
// binary GoReleaser built for the platform buildx builds.
func TestImageNamesAgree(t *testing.T) {
	g := loadGoreleaser(t)
	if len(g.DockersV2) != 1 {
		t.Fatalf("dockers_v2: %d images, want 1", len(g.DockersV2))
	}
	d := g.DockersV2[0]
	if !slices.Equal(d.Images, []string{Image}) || !slices.Equal(d.Tags, []string{"{{ .Tag }}"}) {
		t.Errorf("dockers_v2 %s: images %v tags %v, want %s:{{ .Tag }}", d.ID, d.Images, d.Tags, Image)
	}
	if want := []string{"linux/amd64", "linux/arm64"}; !slices.Equal(d.Platforms, want) {
		t.Errorf("dockers_v2 %s: platforms %v, want %v", d.ID, d.Platforms, want)
	}
	if len(g.Builds) != 1 || !slices.Equal(d.IDs, []string{g.Builds[0].ID}) {
		t.Errorf("dockers_v2 %s: ids %v, want the one build's id", d.ID, d.IDs)
	}
	for _, l := range []string{"org.opencontainers.image.source", "org.opencontainers.image.version", "org.opencontainers.image.revision"} {
		if d.Labels[l] == "" {
			t.Errorf("dockers_v2 %s: no label %s", d.ID, l)
		}
	}
	df := string(read(t, d.Dockerfile))
	// dockers_v2's build context holds PLATFORM/BINARY for every platform
	if !strings.Contains(df, "\nARG TARGETPLATFORM\n") || !strings.Contains(df, "\nCOPY $TARGETPLATFORM/upgradegate /usr/local/bin/upgradegate\n") ||
		strings.Contains(df, "go build") {
		t.Errorf("%s: want a Dockerfile that copies $TARGETPLATFORM/upgradegate and builds nothing", d.Dockerfile)
	}
	for _, bad := range []string{"\nUSER", "\nWORKDIR"} {
		if strings.Contains(df, bad) {
			t.Errorf("%s has %s: Docker actions must run as root in /github/workspace", d.Dockerfile, strings.TrimSpace(bad))
		}
	}

	wf := string(read(t, ".github/workflows/release.yml"))
	for _, want := range []string{
		`tags: ["v[0-9]+.[0-9]+.[0-9]+"]`,
		"goreleaser/goreleaser-action@",
		"packages: write",
		"go run ./internal/release/pinaction",
		"ghcr.io/upgradegate/upgradegate:$TAG",
	} {
		if !strings.Contains(wf, want) {
			t.Errorf("release workflow lacks %q", want)
		}
	}
	action := read(t, "action.yml")
	if !strings.Contains(string(action), "docker://"+Image+":") {
		t.Errorf("action.yml's comment should name the released image %s", Image)
	}
	pinned, err := PinImage(action, "v1.2.3")
	if err != nil {
		t.Fatalf("PinImage(action.yml): %v", err)
	}
	var a struct {
		Runs struct {
			Using string   `yaml:"using"`
			Image string   `yaml:"image"`
			Args  []string `yaml:"args"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(pinned, &a); err != nil {
		t.Fatalf("pinned action.yml is not YAML: %v", err)
	}
	if a.Runs.Using != "docker" || a.Runs.Image != "docker://"+Image+":v1.2.3" || !slices.Equal(a.Runs.Args, []string{"action"}) {
		t.Errorf("pinned runs: %+v", a.Runs)
	}
	if !strings.Contains(string(read(t, "docs/action.md")), "docker://"+Image+":") {
		t.Errorf("docs/action.md does not name the released image %s", Image)
	}
}

func TestPinImage(t *testing.T) {
	src := []byte("name: x\nruns:\n  using: docker\n  # image: docker://elsewhere\n  image: Dockerfile\n  args: [\"action\"]\n")
	out, err := PinImage(src, "v2.10.0")
	if err != nil {
		t.Fatal(err)
	}
	want := "name: x\nruns:\n  using: docker\n  # image: docker://elsewhere\n  image: docker://ghcr.io/upgradegate/upgradegate:v2.10.0\n  args: [\"action\"]\n"
	if string(out) != want {
		t.Errorf("PinImage:\n%s\nwant:\n%s", out, want)
	}
	for _, tc := range []struct {
		name, file, tag, err string
	}{
		{"already pinned", want, "v2.10.1", "0 lines"},
		{"two image lines", string(src) + "  image: Dockerfile\n", "v1.0.0", "2 lines"},
		{"tag without v", string(src), "1.0.0", "vMAJOR.MINOR.PATCH"},
		{"pre-release tag", string(src), "v1.0.0-rc.1", "vMAJOR.MINOR.PATCH"},
		{"tag with a newline", string(src), "v1.0.0\n  image: x", "vMAJOR.MINOR.PATCH"},
	} {
		if _, err := PinImage([]byte(tc.file), tc.tag); err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("%s: err %v, want one containing %q", tc.name, err, tc.err)
		}
	}
}

func TestMajorMinor(t *testing.T) {
	major, minor, err := MajorMinor("v1.12.3")
	if err != nil || major != "v1" || minor != "v1.12" {
		t.Errorf("MajorMinor(v1.12.3) = %q, %q, %v", major, minor, err)
	}
	if _, _, err := MajorMinor("v1.12"); err == nil {
		t.Error("MajorMinor(v1.12): want an error")
	}
}
