package check

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
	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// changedRepo is a repository with two manifests: upgrades/app.yaml names
// conf/values.yaml, where conf is a symlink to deploy, and its key is
// missing (UG402); upgrades/other.yaml is clean and names only its own doc.
// A broken YAML file lies elsewhere.
func changedRepo(t *testing.T) string {
	t.Helper()
	base := baseManifest(t)
	root := testtree.Write(t, map[string]string{
		"upgrades/app.yaml":   base + "  config:\n    - {file: conf/values.yaml, key: db.pool}\n",
		"upgrades/other.yaml": strings.NewReplacer("name: app-2-2", "name: other", "component: app", "component: other").Replace(base) + "  docs: [docs/other.md]\n",
		"deploy/values.yaml":  "db: {size: 3}\n",
		"docs/other.md":       "# other\n",
		"elsewhere/bad.yaml":  "kind: Upgrade\nspec: [\n",
	})
	if err := os.Symlink("deploy", filepath.Join(root, "conf")); err != nil {
		t.Fatal(err)
	}
	return root
}

func runChanged(t *testing.T, root string, changed []string) *report.Report {
	t.Helper()
	rep, err := Run(context.Background(), Options{Root: root, Now: goldenNow, FailOn: finding.Error,
		References: refs.New(refs.Options{Getenv: func(string) string { return "" }}), ChangedOnly: true, ChangedFiles: changed})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

func manifestFiles(rep *report.Report) []string {
	out := []string{}
	for _, m := range rep.Manifests {
		out = append(out, m.File)
	}
	sort.Strings(out)
	return out
}

func findingKeys(rep *report.Report) []string {
	out := []string{}
	for _, f := range rep.Findings {
		out = append(out, f.File+" "+f.Rule.String())
	}
	sort.Strings(out)
	return out
}

// TestChangedOnlyThroughASymlink is issue 13 item 3: a change to the file a
// manifest names through a symlinked directory concerns the manifest, as
// does a change to the symlink itself.
func TestChangedOnlyThroughASymlink(t *testing.T) {
	t.Parallel()
	root := changedRepo(t)
	full := runTree(t, root)
	if !full.Failed() {
		t.Fatalf("the full check passes; the test needs it to fail: %v", findingKeys(full))
	}
	tests := []struct {
		name      string
		changed   []string
		manifests []string
		findings  []string
	}{
		{"the target file", []string{"deploy/values.yaml"}, []string{"upgrades/app.yaml"}, []string{"upgrades/app.yaml UG402"}},
		{"the symlink", []string{"conf"}, []string{"upgrades/app.yaml"}, []string{"upgrades/app.yaml UG402"}},
		{"the name through the link", []string{"./conf/values.yaml"}, []string{"upgrades/app.yaml"}, []string{"upgrades/app.yaml UG402"}},
		{"the manifest", []string{"upgrades/app.yaml"}, []string{"upgrades/app.yaml"}, []string{"upgrades/app.yaml UG402"}},
		{"the other's doc", []string{"docs/other.md"}, []string{"upgrades/other.yaml"}, []string{}},
		{"a policy no manifest names", []string{"policies/app.yaml"}, []string{}, []string{}},
		{"an unrelated file", []string{"README.md", "deploy/other.yaml"}, []string{}, []string{}},
		{"the broken file", []string{"elsewhere/bad.yaml"}, []string{}, []string{"elsewhere/bad.yaml UG001"}},
		{"nothing", []string{}, []string{}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep := runChanged(t, root, tt.changed)
			if tt.manifests != nil {
				if diff := cmp.Diff(tt.manifests, manifestFiles(rep)); diff != "" {
					t.Errorf("manifests checked (-want +got):\n%s", diff)
				}
			}
			if diff := cmp.Diff(tt.findings, findingKeys(rep)); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

// TestChangedOnlyPolicy: a changed policy concerns every manifest that names
// it (through a symlink, which is followed) and every manifest of the
// component it governs in the repository.
func TestChangedOnlyPolicy(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(testtree.Testdata(t), "base", "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	full := baseManifest(t)
	root := testtree.Write(t, map[string]string{
		"upgrades/app.yaml":        strings.Replace(full, "spec:\n", "spec:\n  policy: ../rules/app.yaml\n", 1),
		"upgrades/other.yaml":      strings.Replace(full, "name: app-2-2", "name: other", 1),
		"policies/shared/app.yaml": string(data),
	})
	if err := os.Symlink("policies/shared", filepath.Join(root, "rules")); err != nil {
		t.Fatal(err)
	}
	rep := runChanged(t, root, []string{"policies/shared/app.yaml"})
	if diff := cmp.Diff([]string{"upgrades/app.yaml", "upgrades/other.yaml"}, manifestFiles(rep)); diff != "" {
		t.Errorf("manifests checked (-want +got):\n%s", diff)
	}
}

// TestChangedOnlyLinkOutIsChecked: a reference whose way leaves the
// repository through a symlink cannot be compared with the changed files: its
// manifest is checked, and fails as a full check does.
func TestChangedOnlyLinkOutIsChecked(t *testing.T) {
	t.Parallel()
	root := testtree.Write(t, map[string]string{
		"upgrades/app.yaml": baseManifest(t) + "  config:\n    - {file: conf/values.yaml, key: db.pool}\n",
	})
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "values.yaml"), []byte("db: {pool: 1}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "conf")); err != nil {
		t.Fatal(err)
	}
	rep := runChanged(t, root, []string{"README.md"})
	if diff := cmp.Diff([]string{"upgrades/app.yaml UG006"}, findingKeys(rep)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}
