package policy

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

const positioned = `apiVersion: upgradegate/v1
kind: Policy
spec:
  component: gitlab
  releases: [16.11.10, 17.0.0, 17.1.0]
  requiredStops:
    - version: 16.11.10
    - {version: 17.0.0, conditional: large tables only}
  maxStep: {major: 1}
  blocked:
    - {from: "< 17.0.0", to: ">= 17.1.0", reason: data loss}
  compatibility:
    - versions: ">= 17.0.0"
      requires: {postgresql: ">= 14"}
`

// TestRulesCarryPositions: every rule element knows where it was written,
// so that findings can point at a vendor file's line as at the policy's.
func TestRulesCarryPositions(t *testing.T) {
	t.Parallel()
	p, fs, err := Parse("policies/gitlab.yaml", []byte(positioned))
	if err != nil || len(fs) != 0 {
		t.Fatalf("Parse() = %v, %v", fs, err)
	}
	at := func(line, col int) Pos { return Pos{File: "policies/gitlab.yaml", Line: line, Column: col} }
	got := map[string]Pos{
		"release 1": p.Releases[1].Pos, "stop 0": p.RequiredStops[0].Pos, "stop 1": p.RequiredStops[1].Pos,
		"maxStep": p.MaxStep.Pos, "blocked 0": p.Blocked[0].Pos, "row 1": p.Compatibility[0].Pos,
		"requirement": p.Compatibility[0].Requires[0].Pos,
	}
	want := map[string]Pos{
		"release 1": at(5, 24), "stop 0": at(7, 7), "stop 1": at(8, 7), "maxStep": at(9, 12),
		"blocked 0": at(11, 7), "row 1": at(13, 7), "requirement": at(14, 30),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("positions (-want +got):\n%s", diff)
	}
}

// TestDecodeLeavesTheEngineToBuild: Decode reads the rules; Build, after
// every source has added its own, makes the engine from them.
func TestDecodeLeavesTheEngineToBuild(t *testing.T) {
	t.Parallel()
	p, fs, err := Read("p.yaml", []byte(positioned))
	if err != nil || len(fs) != 0 || p.Engine != nil {
		t.Fatalf("Read() = engine %v, %v, %v: want the rules and no engine", p.Engine, fs, err)
	}
	// a vendor file adds a release and a blocked hop, with its own positions
	vendor := SourceFunc(func(file string, data []byte) (Rules, []finding.Finding) {
		v := version.Must(version.NewVersion(strings.TrimSpace(string(data))))
		c, _ := version.NewConstraint("= 17.1.0")
		any, _ := version.NewConstraint(">= 17.1.5")
		return Rules{
			Releases: []Release{{Ver: upgradepath.FromGo(v), Pos: Pos{File: file, Line: 3, Column: 1}}},
			Blocked:  []upgradepath.Blocked{{From: upgradepath.Constraint{c}, To: upgradepath.Constraint{any}, FromRaw: "= 17.1.0", ToRaw: ">= 17.1.5", Pos: Pos{File: file, Line: 9, Column: 2}}},
		}, nil
	})
	src, err := Sources{"test-vendor": vendor}.For("test-vendor")
	if err != nil {
		t.Fatal(err)
	}
	imported, fs := src.Read("vendor/releases.txt", []byte("17.1.5\n"))
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	p.Add(imported)
	if fs := p.Build(); len(fs) != 0 || p.Engine == nil {
		t.Fatalf("Build() = %v, engine %v", fs, p.Engine)
	}
	from, to := version.Must(version.NewVersion("17.1.0")), version.Must(version.NewVersion("17.1.5"))
	if !p.Engine.IsRelease(to) {
		t.Errorf("the imported release %s is not a release of the engine", to)
	}
	vio := p.Engine.Validate(from, to, nil)
	if len(vio) != 1 || vio[0].Kind != upgradepath.IsBlocked || vio[0].Blocked.Pos.File != "vendor/releases.txt" || vio[0].Blocked.Pos.Line != 9 {
		t.Fatalf("Validate(17.1.0 -> 17.1.5) = %+v: want the imported entry, at vendor/releases.txt:9", vio)
	}
	if vio[0].Blocked.Index != 1 {
		t.Errorf("imported entry has index %d, want 1 (after the policy's own)", vio[0].Blocked.Index)
	}
}

func TestSourcesForUnknownFormat(t *testing.T) {
	t.Parallel()
	s := Sources{"endoflife": SourceFunc(nil), "cincinnati-graph": SourceFunc(nil)}
	_, err := s.For("endoflive")
	if err == nil || err.Error() != `unknown import format "endoflive": expected one of cincinnati-graph, endoflife` {
		t.Errorf("For() error = %v", err)
	}
	if _, err := (Sources{}).For("x"); err == nil || !strings.Contains(err.Error(), `"x"`) {
		t.Errorf("For() on no sources: error = %v", err)
	}
}

func TestWithoutConditionalLeavesTheRules(t *testing.T) {
	t.Parallel()
	p, _, err := Parse("p.yaml", []byte(positioned))
	if err != nil {
		t.Fatal(err)
	}
	r := p.WithoutConditional()
	if len(r.RequiredStops) != 1 || r.RequiredStops[0].Raw != "16.11.10" {
		t.Errorf("WithoutConditional() stops = %+v, want 16.11.10 only", r.RequiredStops)
	}
	if len(p.RequiredStops) != 2 || p.RequiredStops[1].Conditional == "" {
		t.Errorf("the policy's stops changed: %+v", p.RequiredStops)
	}
}

func TestAddNumbersAfterTheOwnRules(t *testing.T) {
	t.Parallel()
	v := func(s string) *version.Version { return version.Must(version.NewVersion(s)) }
	own := Rules{
		RequiredStops: []upgradepath.Stop{{Version: v("2.0.0"), Index: 0}, {Version: v("4.0.0"), Index: 1}},
		MaxStep:       upgradepath.MaxStep{Major: 1, HasMajor: true},
		Compatibility: []Row{{Index: 1}}, InvalidRows: []int{2},
	}
	own.Add(Rules{
		RequiredStops: []upgradepath.Stop{{Version: v("3.0.0"), Index: 0}},
		MaxStep:       upgradepath.MaxStep{Major: 5, HasMajor: true, Minor: 2, HasMinor: true},
		Compatibility: []Row{{Index: 1}}, InvalidRows: []int{2},
	})
	var stops []string
	for _, s := range own.RequiredStops {
		stops = append(stops, fmt.Sprintf("%s#%d", s.Version, s.Index))
	}
	if diff := cmp.Diff([]string{"2.0.0#0", "3.0.0#2", "4.0.0#1"}, stops); diff != "" {
		t.Errorf("stops (-want +got):\n%s", diff)
	}
	if own.MaxStep.Major != 1 || own.MaxStep.Minor != 2 || !own.MaxStep.HasMinor {
		t.Errorf("maxStep = %+v: want the policy's major, the import's minor", own.MaxStep)
	}
	if own.Compatibility[1].Index != 3 || own.InvalidRows[1] != 4 {
		t.Errorf("rows %+v invalid %v: want the import's rows numbered 3 and 4", own.Compatibility, own.InvalidRows)
	}
}

// TestConstraintTermLimit: the reported policy (one blocked entry of 20,000
// ">= 0.0.1" terms) is a UG105 naming the limit, found without parsing the
// terms, and the entry is left out visibly, as an unparsable one is.
func TestConstraintTermLimit(t *testing.T) {
	t.Parallel()
	terms := strings.TrimSuffix(strings.Repeat(">= 0.0.1, ", 20000), ", ")
	text := "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: a\n  blocked:\n    - from: \"" + terms + "\"\n      to: \">= 0\"\n"
	p, fs, err := Parse("p.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("p.yaml:6:13: error: constraint of spec.blocked[0].from has 20000 terms, over the limit of %d [UG105]", MaxConstraintTerms)
	if len(fs) != 1 || fs[0].String() != want {
		t.Fatalf("findings = %v, want %q", fs, want)
	}
	if len(p.Blocked) != 0 {
		t.Errorf("blocked = %v, want the entry left out", p.Blocked)
	}
	at := strings.TrimSuffix(strings.Repeat(">= 0.0.1, ", MaxConstraintTerms), ", ")
	if _, fs, _ := Parse("p.yaml", []byte(strings.Replace(text, terms, at, 1))); len(fs) != 0 {
		t.Errorf("%d terms: findings %v, want none", MaxConstraintTerms, fs)
	}
}

// TestWorkLimitBreaksThePolicy: blocked entries the engine refuses make the
// policy broken, with UG004 at spec.blocked naming the limit.
func TestWorkLimitBreaksThePolicy(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString("apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: a\n  releases: [")
	n := 4400
	for i := range n {
		fmt.Fprintf(&b, "1.%d.%d, ", i/100, i%100)
	}
	b.WriteString("2.0.0]\n  blocked:\n")
	// every release blocked towards everything from every other release of
	// 4200: a search may scan 2100 pieces on each of 4400 releases
	for i := 0; i < 4200; i += 2 {
		fmt.Fprintf(&b, "    - {from: \"= 1.%d.%d\", to: \">= 0\"}\n", i/100, i%100)
	}
	p, fs, err := Parse("p.yaml", []byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || fs[0].Rule != rules.UG004 || fs[0].Line != 7 || fs[0].Column != 5 ||
		!strings.Contains(fs[0].Message, fmt.Sprint(upgradepath.DefaultLimit)) {
		t.Fatalf("findings = %v: want one UG004 at p.yaml:7:5 (the blocked list) naming the limit", fs)
	}
	if !p.Broken || p.Engine != nil {
		t.Errorf("Broken %v, engine %v: want a broken policy without an engine", p.Broken, p.Engine)
	}
}

// TestExactPairsPolicy: the reported 8,000 exact blocked pairs over 8,000
// releases (60 s and 599 MB before) are a valid policy that builds at once;
// sized down under -short.
func TestExactPairsPolicy(t *testing.T) {
	t.Parallel()
	n := 8000
	if testing.Short() {
		n = 1000
	}
	var b strings.Builder
	b.WriteString("apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: a\n  releases:\n")
	name := func(i int) string { return fmt.Sprintf("1.%d.%d", i/100, i%100) }
	for i := range n {
		fmt.Fprintf(&b, "    - %s\n", name(i))
	}
	b.WriteString("  blocked:\n")
	for i := 0; i+1 < n; i++ {
		fmt.Fprintf(&b, "    - {from: \"= %s\", to: \"= %s\"}\n", name(i), name(i+1))
	}
	p, fs, err := Parse("p.yaml", []byte(b.String()))
	if err != nil || len(fs) != 0 {
		t.Fatalf("Parse() = %v, %v", fs, err)
	}
	from, to := version.Must(version.NewVersion("1.0.0")), version.Must(version.NewVersion("1.0.1"))
	if vio := p.Engine.Validate(from, to, nil); len(vio) != 1 || vio[0].Blocked.FromRaw != "= 1.0.0" {
		t.Errorf("Validate(1.0.0 -> 1.0.1) = %+v, want the first entry", vio)
	}
}

// TestSeriesStopDecoded: a stop of two segments is a series stop; three
// segments, or a pre-release, is an exact one.
func TestSeriesStopDecoded(t *testing.T) {
	t.Parallel()
	text := "apiVersion: upgradegate/v1\nkind: Policy\nspec:\n  component: gitlab\n" +
		"  requiredStops: [{version: \"17.3\"}, {version: 17.5}, {version: 17.3.7}, {version: v18.1}, {version: 18.2.0-rc1}]\n"
	p, fs, err := Parse("p.yaml", []byte(text))
	if err != nil || len(fs) != 0 {
		t.Fatalf("Parse() = %v, %v", fs, err)
	}
	got := map[string]bool{}
	for _, s := range p.RequiredStops {
		got[s.Raw] = s.Series
	}
	want := map[string]bool{"17.3": true, "17.5": true, "17.3.7": false, "v18.1": true, "18.2.0-rc1": false}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("series stops (-want +got):\n%s", diff)
	}
}
