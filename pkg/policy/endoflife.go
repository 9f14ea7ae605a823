package policy

import (
	"fmt"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/internal/jsonpos"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// FormatEndOfLife is the endoflife.date importer's format name.
const FormatEndOfLife = "endoflife"

// ReadEndOfLife reads endoflife.date data (manifest v1 section 7): the API
// v1 product JSON ({"result": {"releases": [{name, eoasFrom, eolFrom, isLts,
// latest}, …]}, "generated_at"}) gives each release cycle's support window,
// release-data's versions JSON ({"versions": {"17.3.1": {"date": …}, …}})
// gives the releases. A file may hold both. Dates are YYYY-MM-DD (a date in
// another form is UG706 at it); a cycle is named by its series ("17.3",
// "1.31", "17") and holds the releases that start with it.
func ReadEndOfLife(file string, data []byte) (Rules, []finding.Finding) {
	var r Rules
	var fs []finding.Finding
	bad := func(p jsonpos.Pos, hint, format string, args ...any) {
		fs = append(fs, finding.New(rules.UG706, file, p.Line, p.Column, fmt.Sprintf(format, args...), hint))
	}
	root, err := jsonpos.Parse(data)
	if err != nil {
		p := jsonpos.Pos{Line: 1, Column: 1}
		if je, ok := err.(*jsonpos.Error); ok {
			p = je.Pos
		}
		bad(p, "download the file again (`upgradegate vendor pull`): it must be endoflife.date JSON",
			"endoflife file %q is not JSON: %v", file, err)
		return Rules{}, fs
	}
	const shape = `endoflife.date's API v1 product JSON ({"result": {"releases": […]}}) or release-data's {"versions": {…}}`
	if root.Kind != jsonpos.Object {
		bad(root.Pos, "import an endoflife.date product (https://endoflife.date/api/v1/products/NAME) or a release-data releases/NAME.json",
			"endoflife file %q holds %s, not %s", file, root.Kind, shape)
		return Rules{}, fs
	}
	pos := func(p jsonpos.Pos) Pos { return Pos{File: file, Line: p.Line, Column: p.Column} }
	date := func(n *jsonpos.Node, what string) (time.Time, bool) {
		if n == nil || n.Kind == jsonpos.Null {
			return time.Time{}, false
		}
		if n.Kind != jsonpos.String {
			bad(n.Pos, "endoflife.date writes dates as YYYY-MM-DD strings", "%s is %s, not a YYYY-MM-DD date", what, n.Kind)
			return time.Time{}, false
		}
		t, err := time.Parse(time.DateOnly, n.Str)
		if err != nil {
			bad(n.Pos, "endoflife.date writes dates as YYYY-MM-DD", "%s %q is not a YYYY-MM-DD date", what, n.Str)
			return time.Time{}, false
		}
		return t, true
	}
	boolean := func(n *jsonpos.Node, what string) bool {
		if n == nil || n.Kind == jsonpos.Null {
			return false
		}
		if n.Kind != jsonpos.Bool {
			bad(n.Pos, "write true or false", "%s is %s, not true or false", what, n.Kind)
			return false
		}
		return n.Str == "true"
	}
	found := false
	if res := root.Get("result"); res != nil {
		releases := res.Get("releases")
		switch {
		case res.Kind != jsonpos.Object || releases == nil:
			bad(res.Pos, "import a product (https://endoflife.date/api/v1/products/NAME), not another endpoint", "result of %q is not a product with releases: expected %s", file, shape)
		case releases.Kind != jsonpos.Array:
			bad(releases.Pos, "", "result.releases of %q is %s, not a list of release cycles", file, releases.Kind)
		default:
			found = true
			for i, rel := range releases.Items {
				where := fmt.Sprintf("result.releases[%d]", i)
				if rel.Kind != jsonpos.Object {
					bad(rel.Pos, "", "%s is %s, not a release cycle", where, rel.Kind)
					continue
				}
				name := rel.Get("name")
				if name == nil || name.Kind != jsonpos.String || name.Str == "" {
					bad(rel.Pos, "each release cycle has a name such as \"17.3\"", "%s has no name", where)
					continue
				}
				seg, ok := CycleSegments(name.Str)
				if !ok {
					bad(name.Pos, "the gate matches cycles to versions by their series: \"17.3\", \"1.31\" or \"17\"",
						"release cycle %q of %s is not a version series", name.Str, where)
					continue
				}
				c := Cycle{Name: name.Str, Segments: seg, Pos: pos(rel.Pos)}
				c.LTS = boolean(rel.Get("isLts"), "isLts of cycle "+name.Str)
				c.SupportEnd, _ = date(rel.Get("eoasFrom"), "eoasFrom of cycle "+name.Str)
				c.SupportEnded = boolean(rel.Get("isEoas"), "isEoas of cycle "+name.Str)
				c.EOL, _ = date(rel.Get("eolFrom"), "eolFrom of cycle "+name.Str)
				c.EOLEnded = boolean(rel.Get("isEol"), "isEol of cycle "+name.Str)
				if l := rel.Get("latest"); l != nil && l.Kind == jsonpos.Object {
					if n := l.Get("name"); n != nil && n.Kind == jsonpos.String {
						c.Latest = n.Str
					}
					c.LatestDate, _ = date(l.Get("date"), "latest.date of cycle "+name.Str)
				}
				r.Cycles = append(r.Cycles, c)
			}
		}
		for _, key := range []string{"generated_at", "last_modified"} {
			if n := root.Get(key); n != nil && n.Kind == jsonpos.String {
				t, err := yamldoc.ParseTime(n.Str)
				if err != nil {
					bad(n.Pos, "endoflife.date writes it as an RFC 3339 time", "%s %q of %q is not a date or RFC 3339 time", key, n.Str, file)
					continue
				}
				r.Dated = t
				break
			}
		}
	}
	if vs := root.Get("versions"); vs != nil {
		if vs.Kind != jsonpos.Object {
			bad(vs.Pos, "", "versions of %q is %s, not an object of versions", file, vs.Kind)
		} else {
			found = true
			for _, f := range vs.Fields {
				v, err := yamldoc.ParseVersion(f.Key)
				if err != nil {
					bad(f.KeyPos, "release-data names each release by its version, such as \"17.3.1\"", "release %q of %q is not a version", f.Key, file)
					continue
				}
				if f.Value.Kind == jsonpos.Object {
					date(f.Value.Get("date"), fmt.Sprintf("date of release %q", f.Key))
				}
				if v.Prerelease() != "" {
					continue // never a stop
				}
				r.Releases = append(r.Releases, Release{Ver: upgradepath.FromGo(v), Pos: pos(f.KeyPos)})
			}
		}
	}
	if !found && len(fs) == 0 {
		var keys []string
		for _, f := range root.Fields {
			keys = append(keys, f.Key)
		}
		bad(root.Pos, "import an endoflife.date product (https://endoflife.date/api/v1/products/NAME) or a release-data releases/NAME.json",
			"endoflife file %q is not %s (its keys: %s)", file, shape, strings.Join(keys, ", "))
	}
	return r, fs
}
