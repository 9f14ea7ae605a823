package upgradepath

import (
	"strings"
	"testing"

	version "github.com/hashicorp/go-version"
)

// FuzzSuggest derives a small policy and a query from the input and checks
// Suggest against the naive reference: same path or both ErrNoPath, the
// path legal, ascending and made of releases.
func FuzzSuggest(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{1, 9, 40, 3, 17, 80, 2, 5, 60, 1, 0, 1, 2, 1, 3, 4, 7, 10, 30})
	f.Add([]byte("\x00\x0e\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x03\x01\x01\x01\x02\x00\x01\x00\x01\x04\x05\x06\x07\x10\x50"))
	f.Fuzz(func(t *testing.T, data []byte) {
		pick := func(n int) int {
			if len(data) == 0 {
				return 0
			}
			b := data[0]
			data = data[1:]
			return int(b) % n
		}
		u := universe
		if pick(2) == 1 {
			u = wideUniverse
		}
		c := genCase(pick, u)
		checkCase(t, c)
		// Validate must cope with any declared path, including nil
		// entries and hops that go down.
		path := []*version.Version{nil}
		for range pick(4) {
			path = append(path, u[pick(len(u))])
		}
		New(c.rules).Validate(c.from, c.to, path)
	})
}

// FuzzSuggestVersions feeds arbitrary version and constraint strings: the
// engine must not panic, and a suggested path must pass Validate and
// consist of releases.
func FuzzSuggestVersions(f *testing.F) {
	f.Add("1.0,1.2.0-rc1,1.2,2.0.0.1,v2.1", "1.2", "1.0.0", "2.1", ">= 1.1=>< 3 || >= 4;~> 2=>!= 2.1 || < 1", 1, -1, "")
	f.Add("1.0.0.0-rc1,1.0.0,1.0.0-rc1,1.0.0.0", "1.0.0-rc1", "0.9", "1.1", "", -1, 0, "")
	f.Add("1.0,1.1.5,1.2.0", "1.1", "1.0", "1.2.0", "", 0, 0, "1.0>1.1.5,1.1.5>1.2.0,1.0>1.2.0.0,x>1.0")
	f.Fuzz(func(t *testing.T, releases, stopList, from, to, blocked string, major, minor int, edges string) {
		parse := func(list string) []*version.Version {
			var out []*version.Version
			for _, s := range strings.Split(list, ",") {
				if v, err := version.NewVersion(s); err == nil {
					out = append(out, v)
				}
			}
			return out
		}
		var r Rules
		r.Releases = parse(releases)
		for i, s := range parse(stopList) {
			r.Stops = append(r.Stops, Stop{Version: s, Index: i, Series: IsSeries(s.Original())})
		}
		if edges != "" { // an update graph: "from>to" pairs
			r.Graphs = []string{"graph.json"}
			for _, pair := range strings.Split(edges, ",") {
				ft := strings.SplitN(pair, ">", 2)
				if len(ft) != 2 {
					continue
				}
				a, b := parse(ft[0]), parse(ft[1])
				if len(a) == 1 && len(b) == 1 {
					r.Edges = append(r.Edges, Edge{From: a[0], To: b[0], Risks: []Risk{{Name: pair}}})
				}
			}
		}
		// odd values set a limit, negative ones included
		r.MaxStep = MaxStep{Major: major / 2 % 3, HasMajor: major&1 == 1, Minor: minor / 2 % 3, HasMinor: minor&1 == 1}
		for i, pair := range strings.Split(blocked, ";") {
			ft := strings.SplitN(pair, "=>", 2)
			if len(ft) != 2 {
				continue
			}
			fc, err1 := alternatives(ft[0])
			tc, err2 := alternatives(ft[1])
			if err1 == nil && err2 == nil {
				r.Blocked = append(r.Blocked, Blocked{From: fc, To: tc, Index: i})
			}
		}
		fv, tv := parse(from), parse(to)
		if len(fv) != 1 || len(tv) != 1 {
			return
		}
		e := New(r)
		path, err := e.Suggest(fv[0], tv[0])
		e.Validate(fv[0], tv[0], path)
		if err != nil || !e.HasReleases() || fv[0].Equal(tv[0]) {
			return
		}
		if vio := e.Validate(fv[0], tv[0], path); len(vio) != 0 {
			t.Fatalf("suggested path %v has violations %v", originals(path), vio)
		}
		for _, s := range path {
			if !e.IsRelease(s) {
				t.Fatalf("suggested stop %s is not a release", s.Original())
			}
		}
	})
}
