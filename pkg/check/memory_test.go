package check

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/workspace"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// manyManifestsTree is a repository of n copies of the golden base manifest
// (each with its own name) and its policy.
func manyManifestsTree(t testing.TB, n int) string {
	t.Helper()
	base := testtree.Testdata(t)
	man, err := os.ReadFile(filepath.Join(base, "base", "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	pol, err := os.ReadFile(filepath.Join(base, "base", "policies", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"policies/app.yaml": string(pol)}
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("upgrades/m%04d.yaml", i)] = strings.Replace(string(man), "name: app-2-2", fmt.Sprintf("name: app-%d", i), 1)
	}
	return testtree.Repo(t, files)
}

// manySecondLooksTree is secondLookTree with n more copies of its app-2-2,
// each with its own name: every one is kept for the plan's second look.
func manySecondLooksTree(t *testing.T, n int) string {
	t.Helper()
	dir := secondLookTree(t)
	man, err := os.ReadFile(filepath.Join(dir, "upgrades", "app.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("upgrades/app%04d.yaml", i)] = strings.Replace(string(man), "name: app-2-2", fmt.Sprintf("name: app-%d", i), 1)
	}
	testtree.Add(t, dir, files)
	return dir
}

// TestRunKeepsNoManifest: what a run keeps of a manifest once it is
// checked holds no decoded manifest, no YAML tree, no field positions and
// no file bytes, so memory grows with the findings, not with the manifests'
// size (100,000 tiny manifests took 1.7 GB when every decoded manifest was
// kept until the end). A manifest the plan may check again keeps until then
// only its secondLook: the positions of the fields the plan families and
// the exception audit report at, and no others.
func TestRunKeepsNoManifest(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name       string
		root       string
		manifests  int
		secondLook int // the manifests kept for the plan's second look
	}{
		{"passing", manyManifestsTree(t, 20), 20, 0},
		{"second look", manySecondLooksTree(t, 20), 22, 21}, // and the postgres upgrade
	} {
		t.Run(tc.name, func(t *testing.T) { keepsNoManifest(t, tc.root, tc.manifests, tc.secondLook) })
	}
}

// keptPositions are the fields whose positions a secondLook keeps (and
// their ancestors', spec's and the document's).
var keptPositions = regexp.MustCompile(`^(|spec|spec\.(from|to|after)|spec\.path(\[\d+\])?|spec\.environment(\..+)?|spec\.exceptions(\[\d+\](\.expires)?)?)$`)

func keepsNoManifest(t *testing.T, root string, wantManifests, wantSecondLooks int) {
	r, err := repo.Open(root)
	if err != nil {
		t.Fatal(err)
	}
	g := newGate(r, Options{Now: goldenNow, FailOn: finding.Error})
	cands, err := g.ws.Discover(nil)
	if err != nil {
		t.Fatal(err)
	}
	g.ws.Index()
	files := g.readAll(context.Background(), cands)
	results, again := 0, 0
	for _, f := range files {
		results += len(f.results)
		for _, res := range f.results {
			if res.again == nil {
				continue
			}
			again++
			for k := range res.again.loc.All() {
				if !keptPositions.MatchString(k) {
					t.Errorf("%s: the second look keeps the position of %s", res.summary.Name, k)
				}
			}
		}
	}
	if results != wantManifests || again != wantSecondLooks {
		t.Fatalf("%d manifests checked, %d kept for a second look; want %d and %d", results, again, wantManifests, wantSecondLooks)
	}
	forbidden := map[reflect.Type]string{
		reflect.TypeOf(manifest.Manifest{}):      "a decoded manifest",
		reflect.TypeOf(yaml.Node{}):              "a YAML tree",
		reflect.TypeOf(yamldoc.Locations{}):      "field positions",
		reflect.TypeOf(workspace.File{}):         "a loaded file",
		reflect.TypeOf([]byte(nil)):              "file bytes",
		reflect.TypeOf(map[string]bool(nil)):     "a field set",
		reflect.TypeOf((*workspace.Policy)(nil)): "",
	}
	seen := map[uintptr]bool{}
	var walk func(v reflect.Value, path string)
	walk = func(v reflect.Value, path string) {
		if what, bad := forbidden[v.Type()]; bad {
			empty := (v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil() ||
				v.Type() == reflect.TypeOf(yamldoc.Locations{}) && v.IsZero()
			// the second look's positions are checked above
			secondLook := v.Type() == reflect.TypeOf(yamldoc.Locations{}) && strings.Contains(path, ".again.")
			if what != "" && !empty && !secondLook {
				t.Errorf("%s holds %s (%s)", path, what, v.Type())
			}
			return // a policy is shared by the run, read once
		}
		switch v.Kind() {
		case reflect.Pointer:
			if v.IsNil() || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			walk(v.Elem(), path)
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				walk(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice, reflect.Array:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
			}
		case reflect.Map:
			for _, k := range v.MapKeys() {
				walk(v.MapIndex(k), fmt.Sprintf("%s[%v]", path, k))
			}
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem(), path)
			}
		}
	}
	walk(reflect.ValueOf(files), "files")
}

// BenchmarkRunManyManifests reports the heap a run holds per manifest
// (heap-B/manifest) once it is done, for 2,000 passing manifests.
func BenchmarkRunManyManifests(b *testing.B) {
	root := manyManifestsTree(b, 2000)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		rep, err := Run(context.Background(), Options{Root: root, Now: goldenNow, FailOn: finding.Error})
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		b.ReportMetric(float64(after.HeapInuse-before.HeapInuse)/float64(len(rep.Manifests)), "heap-B/manifest")
		runtime.KeepAlive(rep)
	}
}

// TestPlanFindingsGrowTheSliceExactly: the plan's findings about a manifest
// are added in exactly the room they need (append would double a full
// slice of seven for one UG801: 100,000 tiny manifests held 217 MB of such
// slices), and the manifest's own findings stay before them, unchanged.
func TestPlanFindingsGrowTheSliceExactly(t *testing.T) {
	t.Parallel()
	g := newGate(nil, Options{Now: goldenNow})
	own := make([]finding.Finding, 7)
	for i := range own {
		own[i] = finding.New(rules.UG501, "upgrades/a.yaml", i+1, 1, fmt.Sprint("own ", i), "")
	}
	res := &manifestResult{findings: own[:7:7]}
	plan := []finding.Finding{
		finding.New(rules.UG801, "upgrades/a.yaml", 9, 3, "contradicts the plan", ""),
		finding.New(rules.UG802, "upgrades/a.yaml", 10, 3, "another", ""),
	}
	g.addPlanFindings(res, plan)
	if len(res.findings) != 9 || cap(res.findings) != 9 {
		t.Fatalf("len %d cap %d, want 9 and 9", len(res.findings), cap(res.findings))
	}
	for i := range own {
		if res.findings[i] != own[i] {
			t.Errorf("finding %d changed: %v, want %v", i, res.findings[i], own[i])
		}
	}
	if res.findings[7] != plan[0] || res.findings[8] != plan[1] {
		t.Errorf("plan findings %v, want %v", res.findings[7:], plan)
	}
	// room to spare: no new slice
	room := append(make([]finding.Finding, 0, 10), own...)
	res = &manifestResult{findings: room}
	g.addPlanFindings(res, plan[:1])
	if &res.findings[0] != &room[0] || len(res.findings) != 8 {
		t.Errorf("a slice with room was copied (len %d)", len(res.findings))
	}
}
