package workspace

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

const (
	pol     = "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: app\n  releases: [1.0.0, 2.0.0]\n"
	upgrade = "apiVersion: upgradegate/v1\nkind: Upgrade\nmetadata: {name: app}\nspec: {component: app, from: 1.0.0, to: 2.0.0, policy: ../policies/app.yaml}\n"
)

func open(t *testing.T, files map[string]string) *Workspace {
	t.Helper()
	r, err := repo.Open(testtree.Write(t, files))
	if err != nil {
		t.Fatal(err)
	}
	return New(r)
}

func TestDiscoverAndRead(t *testing.T) {
	t.Parallel()
	w := open(t, map[string]string{
		"policies/app.yaml":      pol,
		"upgrades/app.yaml":      upgrade + "---\napiVersion: upgradegate/v1\nkind: Upgrad\n",
		"deploy/values.yaml":     "replicas: 2\n",
		"node_modules/x/up.yaml": upgrade,
		"notes.txt":              "kind: Upgrade\n",
	})
	cands, err := w.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	var rels []string
	for _, c := range cands {
		rels = append(rels, c.Rel)
	}
	if diff := cmp.Diff([]string{"deploy/values.yaml", "policies/app.yaml", "upgrades/app.yaml"}, rels); diff != "" {
		t.Fatalf("Discover() (-want +got):\n%s", diff)
	}
	got := map[string]File{}
	for _, c := range cands {
		got[c.Rel] = w.Read(c)
	}
	if f := got["deploy/values.yaml"]; len(f.Findings)+len(f.Manifests)+len(f.Policies) != 0 {
		t.Errorf("another tool's YAML: %+v, want nothing", f)
	}
	if f := got["policies/app.yaml"]; len(f.Policies) != 1 || f.Policies[0] != "policies/app.yaml" || len(f.Manifests) != 0 {
		t.Errorf("policy file: %+v, want it noted as a policy", f)
	}
	f := got["upgrades/app.yaml"]
	if len(f.Manifests) != 1 || f.Manifests[0].Name != "app" || len(f.Decoded) != 1 {
		t.Fatalf("manifest file: %+v, want one manifest", f)
	}
	if len(f.Findings) != 1 || !strings.Contains(f.Findings[0].String(), `upgrades/app.yaml:7:7: error: kind "Upgrad" is neither "Upgrade", "Policy" nor "Settings"; did you mean "Upgrade"? [UG004]`) {
		t.Errorf("findings = %v, want the misspelt kind at 7:7", f.Findings)
	}
	// named on the command line, a file without a manifest is a finding
	if _, err := w.Discover([]string{filepath.Join(w.Repo().Root(), "missing.yaml")}); err == nil {
		t.Error("Discover(missing) succeeded, want an error naming the path")
	}
	named := w.Read(Candidate{Rel: "deploy/values.yaml", Explicit: true})
	if len(named.Findings) != 1 || named.Findings[0].Rule.String() != "UG003" {
		t.Errorf("named non-manifest: %v, want UG003", named.Findings)
	}
}

func TestPolicyLoadedOnce(t *testing.T) {
	t.Parallel()
	w := open(t, map[string]string{"policies/app.yaml": pol, "policies/big.yaml": pol + strings.Repeat("# padding\n", MaxFileSize/10+1)})
	a, b := w.Policy("policies/app.yaml"), w.Policy("policies/app.yaml")
	if a != b || a.Policy == nil || a.Policy.Engine == nil || len(a.Findings) != 0 || a.Err != nil {
		t.Fatalf("Policy() = %+v and %p: want one built policy", a, b)
	}
	if !a.Policy.Engine.HasReleases() {
		t.Error("the engine has no releases")
	}
	big := w.Policy("policies/big.yaml")
	if big.Policy != nil || len(big.Findings) != 1 || !strings.Contains(big.Findings[0].String(), "over the 1 MiB limit [UG004]") {
		t.Errorf("big policy: %+v, want the size finding", big)
	}
	if missing := w.Policy("policies/none.yaml"); missing.Err == nil || strings.Contains(missing.Err.Error(), w.Repo().Root()) {
		t.Errorf("missing policy: error %v, want one without the absolute path", missing.Err)
	}
	if n := w.Policies(); n != 3 {
		t.Errorf("Policies() = %d, want 3", n)
	}
}

func TestReadPolicyFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := ReadPolicyFile(write("app.yaml", pol), "x/app.yaml"); p.Policy == nil || p.Policy.File != "x/app.yaml" || p.Policy.Engine == nil {
		t.Errorf("valid policy: %+v", p)
	}
	if p := ReadPolicyFile(write("m.yaml", upgrade), "m.yaml"); !errors.As(p.Err, new(*policy.NotPolicyError)) {
		t.Errorf("a manifest: error %v, want *policy.NotPolicyError", p.Err)
	}
	if p := ReadPolicyFile(dir, "dir"); p.Err == nil || p.Err.Error() != "is a directory" {
		t.Errorf("a directory: error %v", p.Err)
	}
	huge := write("huge.yaml", pol+strings.Repeat("#", MaxFileSize))
	if p := ReadPolicyFile(huge, "huge.yaml"); p.Policy != nil || len(p.Findings) != 1 || p.Findings[0].File != "huge.yaml" {
		t.Errorf("a huge file: %+v, want the size finding", p)
	}
}

func TestSettings(t *testing.T) {
	t.Parallel()
	const doc = "apiVersion: upgradegate/v1\nkind: Settings\nspec:\n  outcomeWithin: 3d\n"
	w := open(t, map[string]string{
		".upgradegate.yaml":      doc,
		"team/.upgradegate.yaml": doc,
	})
	s := w.Settings()
	if s.Settings == nil || s.Settings.OutcomeWithin != 72*time.Hour || len(s.Findings) != 0 {
		t.Fatalf("root settings = %+v", s)
	}
	if w.Settings() != s {
		t.Error("Settings is read once per workspace")
	}
	cands, err := w.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, c := range cands {
		for _, f := range w.Read(c).Findings {
			found = append(found, f.String())
		}
	}
	want := []string{`team/.upgradegate.yaml:1:1: error: a kind: Settings document is read only from .upgradegate.yaml at the repository root, not from "team/.upgradegate.yaml" [UG004]`}
	if diff := cmp.Diff(want, found); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// named on the command line, the root's file is no "file without a manifest"
	if f := w.Read(Candidate{Rel: ".upgradegate.yaml", Explicit: true}); len(f.Findings) != 0 {
		t.Errorf("explicit .upgradegate.yaml: %v", f.Findings)
	}

	for name, files := range map[string]map[string]string{
		"no file":      {"a.txt": ""},
		"empty marker": {".upgradegate.yaml": ""},
	} {
		if s := open(t, files).Settings(); s.Settings != nil || len(s.Findings) != 0 {
			t.Errorf("%s: %+v, want no settings and no findings", name, s)
		}
	}
	big := open(t, map[string]string{".upgradegate.yaml": "# " + strings.Repeat("x", MaxFileSize) + "\n"}).Settings()
	if len(big.Findings) != 1 || !strings.Contains(big.Findings[0].Message, "over the 1 MiB limit") {
		t.Errorf("a file over the limit: %v", big.Findings)
	}
}

func TestMayHoldManifest(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		upgrade: true,
		pol:     true,
		"apiVersion: upgradegate/v1\nmetadata: {name: x}\n":                      true, // no kind: Read reports it
		"apiVersion: upgradegate/v1\nkind: Upgrad\n":                             true, // a misspelt kind
		"kind: Upgrade\nspec: [\n":                                               true, // broken, with a line kind: Upgrade
		"apiVersion: upgradegate/v1\nkind: Settings\n":                           true,
		"jobs:\n  gate:\n    steps:\n      - uses: upgradegate/upgradegate@v1\n": false, // a workflow that runs the gate
		"# Upgrade paths the projects publish\n- policy: policies/a.yaml\n":      false,
		"kind: Deployment\napiVersion: apps/v1\n":                                false,
		"replicas: 2\n": false,
	} {
		if got := mayHoldManifest([]byte(text)); got != want {
			t.Errorf("mayHoldManifest(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestReadUsesWhatIndexParsed: after Index, Read of a policy file sorts the
// documents the index parsed (a policy file is parsed once per run) and
// finds what Read alone finds in the same bytes.
func TestReadUsesWhatIndexParsed(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"policies/app.yaml":    pol + "---\n" + upgrade + "---\napiVersion: upgradegate/v1\nkind: Upgrad\n",
		"policies/broken.yaml": "apiVersion: upgradegate/v1\nkind: Policy\nspec: [\n",
		"upgrades/app.yaml":    upgrade,
		"workflows/gate.yml":   "jobs:\n  gate:\n    steps:\n      - uses: upgradegate/upgradegate@v1\n",
	}
	read := func(w *Workspace) map[string]string {
		cands, err := w.Discover(nil)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, c := range cands {
			f := w.Read(c)
			var s []string
			for _, x := range f.Findings {
				s = append(s, x.String())
			}
			for _, m := range f.Manifests {
				s = append(s, "manifest "+m.Name+" in "+m.File)
			}
			s = append(s, f.Policies...)
			got[c.Rel] = strings.Join(s, "\n")
		}
		return got
	}
	alone := read(open(t, files))
	w := open(t, files)
	w.Index()
	// what Read sorts is what the index read and parsed, not the file now
	for rel := range files {
		if err := os.WriteFile(filepath.Join(w.Repo().Root(), rel), []byte("apiVersion: upgradegate/v1\nkind: Upgrade\nspec: [\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff(alone, read(w)); diff != "" {
		t.Errorf("Read after Index (-alone +indexed):\n%s", diff)
	}
	if !strings.Contains(alone["policies/app.yaml"], "manifest app in policies/app.yaml") || !strings.Contains(alone["policies/app.yaml"], `kind "Upgrad"`) {
		t.Errorf("policies/app.yaml: %q, want its manifest and the misspelt kind", alone["policies/app.yaml"])
	}
	if p := w.ComponentPolicy("app"); p == nil || p.Rel != "policies/app.yaml" {
		t.Errorf("ComponentPolicy(app) = %+v, want policies/app.yaml", p)
	}
	if p := w.Policy("policies/broken.yaml"); p.Policy != nil || len(p.Findings) != 1 || p.Findings[0].Rule.String() != "UG001" {
		t.Errorf("broken policy = %+v, want its syntax finding", p)
	}
}

// A directory is walked once per workspace: Discover of the root and the
// policy index's walk of it (Index) give the same files from one walk, and
// a file that appears after that walk is not found by a later Discover of
// the same directory, though a directory not walked yet is searched.
func TestDiscoverWalksOnce(t *testing.T) {
	t.Parallel()
	w := open(t, map[string]string{
		"policies/app.yaml": pol,
		"upgrades/app.yaml": upgrade,
		"other/x.yaml":      "a: 1\n",
	})
	root := w.Repo().Root()
	first, err := w.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "upgrades", "late.yaml"), []byte(upgrade), 0o644); err != nil {
		t.Fatal(err)
	}
	w.Index()
	if p := w.ComponentPolicy("app"); p == nil || p.Rel != "policies/app.yaml" {
		t.Fatalf("ComponentPolicy(app) = %+v, want policies/app.yaml", p)
	}
	again, err := w.Discover([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(first, again); diff != "" {
		t.Errorf("Discover(root) after Discover(nil) (-first +again):\n%s", diff)
	}
	sub, err := w.Discover([]string{filepath.Join(root, "upgrades")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Candidate{{Rel: "upgrades/app.yaml"}, {Rel: "upgrades/late.yaml"}}
	if diff := cmp.Diff(want, sub); diff != "" {
		t.Errorf("Discover(upgrades) (-want +got):\n%s", diff)
	}
	for _, c := range again {
		if c.Rel == "upgrades/late.yaml" {
			t.Errorf("Discover(root) walked the root again: found %s, written after the first walk", c.Rel)
		}
	}
}

// Index before Discover, as a run calls them: the walk hands the files to
// the readers as it finds them, in the walk's order, which is not the
// order of the paths ("a/" before "a-b/" in the walk, after it as paths);
// the first policy of a component is still the first in path order, every
// file is read, and Discover of the root is that walk's answer, sorted.
func TestIndexWhileWalking(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"a/p.yaml":   pol,
		"a-b/p.yaml": pol,
	}
	var want []string
	for d := range 5 {
		for f := range 2 * feedBatch {
			rel := fmt.Sprintf("d%d/m%02d.yaml", d, f)
			files[rel] = strings.Replace(upgrade, "name: app", fmt.Sprintf("name: app-%d-%d", d, f), 1)
			want = append(want, rel)
		}
	}
	want = append([]string{"a-b/p.yaml", "a/p.yaml"}, want...)
	w := open(t, files)
	w.Index()
	if p := w.ComponentPolicy("app"); p == nil || p.Rel != "a-b/p.yaml" {
		t.Errorf("ComponentPolicy(app) = %+v, want a-b/p.yaml (the first in path order)", p)
	}
	dups := w.DuplicatePolicies()
	if len(dups) != 1 || dups[0].Rel != "a/p.yaml" || len(dups[0].Findings) == 0 || !strings.Contains(dups[0].Findings[len(dups[0].Findings)-1].Message, "already has a policy: a-b/p.yaml") {
		t.Fatalf("DuplicatePolicies() = %+v, want a/p.yaml naming a-b/p.yaml", dups)
	}
	cands, err := w.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cands {
		got = append(got, c.Rel)
		if _, ok := w.held.get(c.Rel); !ok {
			t.Errorf("%s: not held after Index, want every file read once by the index", c.Rel)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Discover(nil) after Index (-want +got):\n%s", diff)
	}
}
