package policy

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const relaxBase = `apiVersion: upgradegate/v1
kind: Policy
metadata: {name: app}
spec:
  component: app
  requiredStops:
    - version: 1.2.5
    - version: 2.1.0
      conditional: "only with the legacy plugin"
  maxStep: {major: 1, minor: 2}
  blocked:
    - from: ">= 1.3.0, < 2.0.0"
      to: ">= 2.0.0"
  compatibility:
    - versions: ">= 2.0, < 3.0"
      requires:
        postgresql: ">= 13, < 17"
        kubernetes: ">= 1.27"
  checklist:
    UG502: error
  dryRunMaxAge: 14d
  downtimeWindow: both
  exceptions:
    - rule: UG509
      reason: r
      approvedBy: "@cto"
      expires: 2026-12-15
`

// edit returns relaxBase with each old text replaced by the new one.
func edit(t *testing.T, pairs ...string) string {
	t.Helper()
	s := relaxBase
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("the base policy has no %q", pairs[i])
		}
		s = strings.Replace(s, pairs[i], pairs[i+1], 1)
	}
	return s
}

func readPolicy(t *testing.T, text string) *Policy {
	t.Helper()
	p, fs, err := Read("policies/app.yaml", []byte(text))
	if err != nil || p == nil || p.Broken {
		t.Fatalf("read policy: %v %v\n%s", err, fs, text)
	}
	return p
}

func TestRelaxations(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		head string
		want []string
		line int // of the first relaxation
	}{
		{"unchanged", relaxBase, nil, 0},
		{"stricter everywhere", edit(t, "maxStep: {major: 1, minor: 2}", "maxStep: {major: 1, minor: 1}",
			`postgresql: ">= 13, < 17"`, `postgresql: ">= 14, < 17"`, "UG502: error", "UG502: error\n    UG509: error",
			"dryRunMaxAge: 14d", "dryRunMaxAge: 7d", "downtimeWindow: both", "downtimeWindow: always",
			`      conditional: "only with the legacy plugin"`+"\n", ""), nil, 0},
		{"reordered and rewritten alike", edit(t, "    - version: 1.2.5\n    - version: 2.1.0\n      conditional: \"only with the legacy plugin\"\n",
			"    - version: 2.1.0\n      conditional: \"only with the legacy plugin\"\n    - version: 1.2.5\n",
			`postgresql: ">= 13, < 17"`, `postgresql: "< 17, >= 13.0.0"`), nil, 0},
		{"stop removed", edit(t, "    - version: 1.2.5\n", ""), []string{"required stop 1.2.5 removed"}, 7},
		{"stop made conditional", edit(t, "    - version: 1.2.5\n", "    - version: 1.2.5\n      conditional: only some\n"),
			[]string{"required stop 1.2.5 made conditional (a warning, no longer an error)"}, 7},
		{"maxStep raised and removed", edit(t, "maxStep: {major: 1, minor: 2}", "maxStep: {major: 2}"),
			[]string{"maxStep.major raised from 1 to 2", "maxStep.minor removed (was 2)"}, 10},
		{"blocked removed", edit(t, "  blocked:\n    - from: \">= 1.3.0, < 2.0.0\"\n      to: \">= 2.0.0\"\n", ""),
			[]string{`blocked hop from ">= 1.3.0, < 2.0.0" to ">= 2.0.0" removed`}, 4},
		{"blocked narrowed", edit(t, `from: ">= 1.3.0, < 2.0.0"`, `from: ">= 1.3.5, < 2.0.0"`),
			[]string{`blocked hop from ">= 1.3.0, < 2.0.0" to ">= 2.0.0" narrowed to from ">= 1.3.5, < 2.0.0" to ">= 2.0.0"`}, 12},
		{"blocked widened is stricter", edit(t, `from: ">= 1.3.0, < 2.0.0"`, `from: ">= 1.0.0, < 2.0.0"`), nil, 0},
		{"requirement widened", edit(t, `postgresql: ">= 13, < 17"`, `postgresql: ">= 12, < 17"`),
			[]string{`requirement postgresql of the row for versions ">= 2.0, < 3.0" widened from ">= 13, < 17" to ">= 12, < 17"`}, 17},
		{"requirement removed", edit(t, "        kubernetes: \">= 1.27\"\n", ""),
			[]string{`requirement kubernetes ">= 1.27" of the row for versions ">= 2.0, < 3.0" removed (at version 2.0.0)`}, 15},
		{"row narrowed", edit(t, `versions: ">= 2.0, < 3.0"`, `versions: ">= 2.5, < 3.0"`),
			[]string{`requirement postgresql ">= 13, < 17" of the row for versions ">= 2.0, < 3.0" removed (at version 2.0.0)`,
				`requirement kubernetes ">= 1.27" of the row for versions ">= 2.0, < 3.0" removed (at version 2.0.0)`}, 15},
		{"row removed", edit(t, "  compatibility:\n    - versions: \">= 2.0, < 3.0\"\n      requires:\n        postgresql: \">= 13, < 17\"\n        kubernetes: \">= 1.27\"\n", ""),
			[]string{`compatibility row for versions ">= 2.0, < 3.0" removed`}, 4},
		{"row split in two", edit(t, `    - versions: ">= 2.0, < 3.0"`+"\n", `    - versions: ">= 2.0, < 2.5"
      requires:
        postgresql: ">= 13, < 17"
        kubernetes: ">= 1.27"
    - versions: ">= 2.5, < 3.0"
`), nil, 0},
		{"rule turned off", edit(t, "UG502: error", "UG502: off"), []string{"UG502 turned off (was error)"}, 20},
		{"rule lowered by dropping its entry", edit(t, "  checklist:\n    UG502: error\n", "  checklist:\n    UG509: error\n"),
			[]string{"UG502 lowered from error to warning"}, 20},
		{"default lowered", edit(t, "UG502: error", "UG502: error\n    UG501: notice"), []string{"UG501 lowered from error to notice"}, 21},
		{"dry run age raised", edit(t, "dryRunMaxAge: 14d", "dryRunMaxAge: 30d"), []string{"dryRunMaxAge raised from 14d to 30d"}, 21},
		{"window relaxed", edit(t, "downtimeWindow: both", "downtimeWindow: major"), []string{"downtimeWindow relaxed from both to major"}, 22},
		{"exception added", edit(t, "  exceptions:\n", "  exceptions:\n    - {rule: UG201, match: \"1.2.5\", reason: r, approvedBy: \"@cto\", expires: 2026-12-15}\n"),
			[]string{`exception for UG201 matching "1.2.5" added`}, 24},
		{"exception extended", edit(t, "expires: 2026-12-15", "expires: 2027-01-15"),
			[]string{"exception for UG509 extended from 2026-12-15 to 2027-01-15"}, 27},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := Relaxations(readPolicy(t, relaxBase), readPolicy(t, tt.head))
			var what []string
			for _, r := range got {
				what = append(what, r.What)
				if r.Pos.File != "policies/app.yaml" || r.Pos.Line < 1 || r.Pos.Column < 1 {
					t.Errorf("relaxation without a position in the head policy: %+v", r)
				}
			}
			if diff := cmp.Diff(tt.want, what); diff != "" {
				t.Errorf("relaxations (-want +got):\n%s", diff)
			}
			if len(got) > 0 && got[0].Pos.Line != tt.line {
				t.Errorf("first relaxation at line %d (%s), want %d", got[0].Pos.Line, got[0].Node, tt.line)
			}
		})
	}
}

func TestRelaxationsNil(t *testing.T) {
	t.Parallel()
	if got := Relaxations(nil, readPolicy(t, relaxBase)); got != nil {
		t.Errorf("no base: %v", got)
	}
}

// A relative requirement (a window around the checked version) is
// compared at the versions it allows: a wider window is a relaxation.
func TestRelaxationsRelative(t *testing.T) {
	t.Parallel()
	base := edit(t, `        kubernetes: ">= 1.27"`, `        kubelet: {minor: [-3, 0]}`)
	for _, tt := range []struct {
		window string
		want   int
	}{{"{minor: [-3, 0]}", 0}, {"{minor: [-2, 0]}", 0}, {"{minor: [-4, 0]}", 1}, {"{minor: [-3, 1]}", 1}} {
		head := strings.Replace(base, "{minor: [-3, 0]}", tt.window, 1)
		got := Relaxations(readPolicy(t, base), readPolicy(t, head))
		if len(got) != tt.want {
			t.Errorf("kubelet %s after {minor: [-3, 0]}: %v, want %d relaxations", tt.window, got, tt.want)
		}
	}
}

// TestRelaxationsDeployedAndFreezes: a deployed location or a freeze the
// base had is a relaxation when the head drops it (or shortens the freeze);
// one moved into another entry order, or a longer freeze, is not.
func TestRelaxationsDeployedAndFreezes(t *testing.T) {
	t.Parallel()
	const base = `apiVersion: upgradegate/v1
kind: Policy
metadata: {name: app}
spec:
  component: app
  deployed:
    - {file: deploy/values.yaml, key: image.tag}
    - {files: "k8s/**/*.yaml", image: registry.example.com/app}
  freezes:
    - {start: 2026-12-18, end: 2027-01-04, timeZone: America/New_York, reason: year-end}
`
	for _, tt := range []struct {
		name, from, to string
		want           []string
	}{
		{"reordered and a longer freeze", "    - {file: deploy/values.yaml, key: image.tag}\n    - {files: \"k8s/**/*.yaml\", image: registry.example.com/app}\n" +
			"  freezes:\n    - {start: 2026-12-18, end: 2027-01-04",
			"    - {files: \"k8s/**/*.yaml\", image: registry.example.com/app}\n    - {file: deploy/values.yaml, key: image.tag}\n" +
				"  freezes:\n    - {start: 2026-12-15, end: 2027-01-06", nil},
		{"location removed", "    - {file: deploy/values.yaml, key: image.tag}\n", "",
			[]string{`deployed location key "image.tag" in deploy/values.yaml (production) removed`}},
		{"location moved to another environment", "key: image.tag}", "key: image.tag, environment: staging}",
			[]string{`deployed location key "image.tag" in deploy/values.yaml (production) removed`}},
		{"freeze shortened", "end: 2027-01-04", "end: 2026-12-31",
			[]string{"freeze 2026-12-18 to 2027-01-04 (America/New_York) removed or shortened"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.from) {
				t.Fatalf("base lacks %q", tt.from)
			}
			head := strings.Replace(base, tt.from, tt.to, 1)
			var what []string
			for _, r := range Relaxations(readPolicy(t, base), readPolicy(t, head)) {
				what = append(what, r.What)
				if r.Pos.Line < 1 || r.Pos.Column < 1 {
					t.Errorf("relaxation without a position: %+v", r)
				}
			}
			if diff := cmp.Diff(tt.want, what); diff != "" {
				t.Errorf("relaxations (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRelaxationsImports: an import the base had is a relaxation when the
// head drops it (its stops, windows and hops no longer apply) or raises or
// removes its maxAge; reordered, with a stricter maxAge or the file written
// as another path to the same file, it is not.
func TestRelaxationsImports(t *testing.T) {
	t.Parallel()
	const base = `apiVersion: upgradegate/v1
kind: Policy
metadata: {name: app}
spec:
  component: app
  import:
    - format: gitlab-upgrade-path
      file: vendor/gitlab/upgrade_path.yml
      maxAge: 30d
    - format: endoflife
      file: vendor/eol/gitlab.json
`
	for _, tt := range []struct {
		name, from, to string
		want           []string
		line           int
	}{
		{"reordered, stricter, same file", "    - format: gitlab-upgrade-path\n      file: vendor/gitlab/upgrade_path.yml\n      maxAge: 30d\n    - format: endoflife\n      file: vendor/eol/gitlab.json\n",
			"    - format: endoflife\n      file: ./vendor/eol/gitlab.json\n    - format: gitlab-upgrade-path\n      file: vendor/gitlab/upgrade_path.yml\n      maxAge: 14d\n", nil, 0},
		{"import removed", "    - format: endoflife\n      file: vendor/eol/gitlab.json\n", "",
			[]string{"import of endoflife from vendor/eol/gitlab.json removed"}, 7},
		{"every import removed", "  import:\n    - format: gitlab-upgrade-path\n      file: vendor/gitlab/upgrade_path.yml\n      maxAge: 30d\n    - format: endoflife\n      file: vendor/eol/gitlab.json\n", "",
			[]string{"import of gitlab-upgrade-path from vendor/gitlab/upgrade_path.yml removed", "import of endoflife from vendor/eol/gitlab.json removed"}, 4},
		{"another file", "file: vendor/eol/gitlab.json", "file: vendor/eol/gitlab-old.json",
			[]string{"import of endoflife from vendor/eol/gitlab.json removed"}, 7},
		{"maxAge raised", "maxAge: 30d", "maxAge: 90d",
			[]string{"maxAge of the import of gitlab-upgrade-path from vendor/gitlab/upgrade_path.yml raised from 30d to 90d"}, 9},
		{"maxAge removed", "      maxAge: 30d\n", "",
			[]string{"maxAge of the import of gitlab-upgrade-path from vendor/gitlab/upgrade_path.yml removed (was 30d)"}, 7},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(base, tt.from) {
				t.Fatalf("base lacks %q", tt.from)
			}
			head := strings.Replace(base, tt.from, tt.to, 1)
			got := Relaxations(readPolicy(t, base), readPolicy(t, head))
			var what []string
			for _, r := range got {
				what = append(what, r.What)
				if r.Pos.File != "policies/app.yaml" || r.Pos.Line < 1 || r.Pos.Column < 1 {
					t.Errorf("relaxation without a position in the head: %+v", r)
				}
			}
			if diff := cmp.Diff(tt.want, what); diff != "" {
				t.Errorf("relaxations (-want +got):\n%s", diff)
			}
			if len(got) > 0 && got[0].Pos.Line != tt.line {
				t.Errorf("first relaxation at line %d (%s), want %d", got[0].Pos.Line, got[0].Node, tt.line)
			}
		})
	}
}
