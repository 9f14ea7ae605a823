package policy

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// sequenceReleases is how spec.releases was read before decodeReleases: every
// item through d.Sequence (its path and position recorded) and parseRelease.
func sequenceReleases(d *yamldoc.Decoder, p *Policy, path string, n *yaml.Node) {
	d.Sequence(path, n, func(_ int, ip string, v *yaml.Node) {
		if ver := parseRelease(d, ip, v); ver != nil {
			p.Releases = append(p.Releases, Release{Ver: ver, Pos: at(d, ip)})
		}
	})
}

// TestDecodeReleasesIsSequence: decodeReleases gives the releases, their
// positions and the findings d.Sequence and parseRelease give, on lists of
// every kind of item (versions, spaces, empty and null items, lists,
// mappings, aliases, malformed versions, a segment out of range) and on
// what is not a list; d.Loc lacks only the positions of the releases read.
func TestDecodeReleasesIsSequence(t *testing.T) {
	t.Parallel()
	items := []string{"1.0.0", "v1.2", "' 1.3 '", "\"\"", "~", "null", "[1.4]", "{a: 1}", "*x", "&x 1.5.0", "1.6.0-rc.1+b",
		"1.0a", "one", "99999999999999999999", "1.7.0.1", "2026-01-01", "1.8", "!!str 1.9", "''"}
	var cases []string
	for i := range 40 {
		var b strings.Builder
		for j := range 1 + i%7 {
			fmt.Fprintf(&b, "    - %s\n", items[(i*5+j*3)%len(items)])
		}
		cases = append(cases, "spec:\n  x: &x 0.9\n  releases:\n"+b.String())
	}
	cases = append(cases, "spec:\n  releases: 1.0\n", "spec:\n  releases:\n", "spec:\n  releases: {a: b}\n", "spec:\n  releases: [1.0, [], 2]\n",
		"spec:\n  releases: *y\n  x: &y [1.0, 1.1]\n")
	for _, text := range cases {
		var doc yaml.Node
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			continue // an alias before its anchor
		}
		spec := mappingValue(yamldoc.Content(&doc), "spec")
		n := mappingValue(spec, "releases")
		got, want := &Policy{}, &Policy{}
		dg, dw := yamldoc.NewDecoder("p.yaml", spec), yamldoc.NewDecoder("p.yaml", spec)
		decodeReleases(dg, got, "spec.releases", n)
		sequenceReleases(dw, want, "spec.releases", n)
		if diff := cmp.Diff(fmt.Sprint(dw.Findings), fmt.Sprint(dg.Findings)); diff != "" {
			t.Fatalf("%s: findings (-Sequence +decodeReleases):\n%s", text, diff)
		}
		if len(got.Releases) != len(want.Releases) {
			t.Fatalf("%s: %d releases, want %d", text, len(got.Releases), len(want.Releases))
		}
		loc := maps.Collect(dw.Loc.All())
		for i, r := range got.Releases {
			w := want.Releases[i]
			if r.Pos != w.Pos || r.Ver.Original() != w.Ver.Original() || r.Version().String() != w.Version().String() {
				t.Fatalf("%s: release %d = %s at %+v, want %s at %+v", text, i, r.Ver.Original(), r.Pos, w.Ver.Original(), w.Pos)
			}
		}
		for k := range loc {
			if strings.HasPrefix(k, "spec.releases[") {
				if _, kept := dg.Loc.Get(k); !kept && !isRelease(want, loc[k].Value) {
					t.Fatalf("%s: decodeReleases recorded no position for %s, which is not a release", text, k)
				}
				delete(loc, k)
			}
		}
		for k, v := range dg.Loc.All() {
			if strings.HasPrefix(k, "spec.releases[") {
				if w, _ := dw.Loc.Get(k); w != v || isRelease(want, v.Value) {
					t.Fatalf("%s: %s at %+v recorded (Sequence: %+v)", text, k, v, w)
				}
				continue
			}
			if loc[k] != v {
				t.Fatalf("%s: %s at %+v, Sequence's %+v", text, k, v, loc[k])
			}
			delete(loc, k)
		}
		if len(loc) != 0 {
			t.Fatalf("%s: positions %v not recorded", text, loc)
		}
	}
}

func isRelease(p *Policy, at yamldoc.Pos) bool {
	for _, r := range p.Releases {
		if r.Pos.Line == at.Line && r.Pos.Column == at.Column {
			return true
		}
	}
	return false
}

// TestReleaseItemsSizesTheDecoder: the decoder of a policy is sized for
// the positions it records, the releases' left out.
func TestReleaseItemsSizesTheDecoder(t *testing.T) {
	t.Parallel()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte("spec:\n  component: a\n  releases: [1.0, 1.1, 1.2]\n  x: {releases: [1]}\n"), &doc); err != nil {
		t.Fatal(err)
	}
	if n := len(releaseItems(yamldoc.Content(&doc))); n != 3 {
		t.Errorf("releaseItems: %d, want 3", n)
	}
	for _, text := range []string{"spec: {releases: 1.0}\n", "spec: [releases]\n", "kind: Policy\n", "spec: {component: a}\n"} {
		if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
			t.Fatal(err)
		}
		if n := len(releaseItems(yamldoc.Content(&doc))); n != 0 {
			t.Errorf("releaseItems(%q): %d, want 0", text, n)
		}
	}
}
