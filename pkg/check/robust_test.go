package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/report"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

func runTree(t *testing.T, root string, paths ...string) *report.Report {
	t.Helper()
	for i, p := range paths {
		paths[i] = filepath.Join(root, p)
	}
	rep, err := Run(context.Background(), Options{Root: root, Paths: paths, Now: goldenNow, FailOn: finding.Error})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func rulesOf(rep *report.Report) []string {
	var out []string
	for _, f := range rep.Findings {
		out = append(out, f.Rule.String())
	}
	return out
}

func baseManifest(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return strings.Replace(string(data), "  policy: ../policies/app.yaml\n", "", 1)
}

// An alias bomb (each level a list of nine aliases of the level below) must
// not be expanded: the decoder walks the fixed shape of a manifest, so the
// work and the findings stay proportional to the file.
func TestAliasBomb(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(baseManifest(t))
	b.WriteString("  postUpgrade: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&b, "  monitoring%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), ", "))
	}
	b.WriteString("  risks: *a12\n  healthChecks: [*a12, *a12, *a12]\n  environment: {x: *a12}\n")
	root := testtree.Write(t, map[string]string{"bomb.yaml": b.String()})
	rep := runTree(t, root) // an expanded bomb would never return: the test's own timeout ends it
	if len(rep.Findings) > 40 {
		t.Errorf("%d findings for a small file: %v", len(rep.Findings), rulesOf(rep))
	}
	if !rep.Failed() {
		t.Errorf("alias bomb passed: %v", rulesOf(rep))
	}
}

func TestHostileFiles(t *testing.T) {
	t.Parallel()
	m := baseManifest(t)
	huge := m + "# " + strings.Repeat("x", 2<<20) + "\n"
	tests := []struct {
		name  string
		files map[string]string
		paths []string
		want  []string // rules, in report order
		in    string   // substring of a message
	}{
		{"2 MiB manifest found by the search", map[string]string{"big.yaml": huge}, nil, []string{"UG004"}, "over the 1 MiB limit"},
		{"2 MiB YAML of another tool is skipped", map[string]string{"big.yaml": "a: Upgrade\n# " + strings.Repeat("x", 2<<20)}, nil, nil, ""},
		{"invalid UTF-8", map[string]string{"m.yaml": "kind: Upgrade\nname: caf\xe9\n"}, nil, []string{"UG001"}, "not valid UTF-8"},
		{"list named", map[string]string{"m.yaml": "- kind: Upgrade\n"}, []string{"m.yaml"}, []string{"UG004"}, "is a list, not a mapping"},
		{"kind and spec 5", map[string]string{"m.yaml": "kind: Upgrade\nspec: 5\n"}, nil, []string{"UG003", "UG004"}, `spec must be a mapping, not "5"`},
		{"empty spec.policy", map[string]string{"m.yaml": strings.Replace(m, "  owner:", "  policy: \"\"\n  owner:", 1)}, nil, []string{"UG004"}, "spec.policy is empty"},
		{"long value is shortened in messages", map[string]string{"m.yaml": strings.Replace(m, "from: 1.2.0", "from: "+strings.Repeat("z", 5000), 1)},
			nil, []string{"UG101"}, `"` + strings.Repeat("z", 80) + `..." of spec.from`},
		{"duplicate name points at the first name", map[string]string{"a.yaml": m, "b.yaml": "# moved\n" + m}, nil, []string{"UG004"},
			`metadata.name "app-2-2" is also used by a.yaml:4`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			root := testtree.Write(t, tt.files)
			rep := runTree(t, root, tt.paths...)
			got := rulesOf(rep)
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("rules = %v, want %v", got, tt.want)
			}
			if tt.in != "" {
				found := false
				for _, f := range rep.Findings {
					found = found || strings.Contains(f.Message, tt.in)
					if len(f.Message) > 400 {
						t.Errorf("message of %d bytes", len(f.Message))
					}
				}
				if !found {
					t.Errorf("no message contains %q: %v", tt.in, rep.Findings)
				}
			}
		})
	}
}

// A file or directory the search cannot read may hold manifests: it is a
// finding, never a silent pass.
func TestUnreadableIsReported(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root reads every file")
	}
	root := testtree.Write(t, map[string]string{"a/m.yaml": baseManifest(t), "b/c/m.yaml": baseManifest(t)})
	if err := os.Chmod(filepath.Join(root, "a/m.yaml"), 0); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(root, "b/c"), 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(root, "b/c"), 0o755) })
	rep := runTree(t, root)
	if !rep.Failed() || len(rep.Findings) != 2 {
		t.Fatalf("findings: %v", rep.Findings)
	}
	for i, want := range []string{`cannot read "a/m.yaml"`, `cannot read "b/c"`} {
		if f := rep.Findings[i]; f.Rule != rules.UG004 || !strings.Contains(f.Message, want) {
			t.Errorf("finding %d: %v, want UG004 %q", i, f, want)
		}
	}
}

// TestPolicyReadOncePerRun: many manifests share one policy; it is read and
// parsed once, so its own findings appear once, not once per manifest.
func TestPolicyReadOncePerRun(t *testing.T) {
	t.Parallel()
	pol, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		// an unknown field: a finding of the policy file itself
		"policies/app.yaml": strings.Replace(string(pol), "  dryRunMaxAge: 14d\n", "  dryRunMaxAge: 14d\n  notes: shared by every manifest\n", 1),
	}
	for i := 0; i < 40; i++ {
		files[fmt.Sprintf("upgrades/app-%02d.yaml", i)] = strings.Replace(string(m), "name: app-2-2", fmt.Sprintf("name: app-%02d", i), 1)
	}
	r, err := repo.Open(testtree.Write(t, files))
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(r, Options{Now: goldenNow, FailOn: finding.Error})
	cands, err := g.ws.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	rep := g.finish(context.Background(), g.readAll(context.Background(), cands))
	if n := g.ws.Policies(); n != 1 {
		t.Errorf("%d policy entries, want 1", n)
	}
	n := 0
	for _, f := range rep.Findings {
		if f.File == "policies/app.yaml" {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d findings about the policy file, want 1 (read once, reported once): %v", n, rulesOf(rep))
	}
	if rep.Summary.Manifests != 40 {
		t.Errorf("%d manifests, want 40", rep.Summary.Manifests)
	}
}
