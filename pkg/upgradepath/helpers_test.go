package upgradepath

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

// v parses a version or fails the test binary: test inputs are constants.
func v(s string) *version.Version {
	return version.Must(version.NewVersion(s))
}

func vs(ss ...string) []*version.Version {
	out := make([]*version.Version, len(ss))
	for i, s := range ss {
		out[i] = v(s)
	}
	return out
}

func constraint(s string) Constraint {
	c, err := alternatives(s)
	if err != nil {
		panic(fmt.Sprintf("constraint %q: %v", s, err))
	}
	return c
}

// alternatives reads a constraint whose alternatives are separated by "||",
// each one go-version's.
func alternatives(s string) (Constraint, error) {
	var out Constraint
	for _, alt := range strings.Split(s, "||") {
		c, err := version.NewConstraint(alt)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// goCheck is Constraint.Check straight from go-version, term by term: the
// reference for the engine's segment arithmetic.
func goCheck(c Constraint, v *version.Version) bool {
	if len(c) == 0 {
		return true
	}
	for _, alt := range c {
		if alt.Check(v) {
			return true
		}
	}
	return false
}

func stops(ss ...string) []Stop {
	out := make([]Stop, len(ss))
	for i, s := range ss {
		out[i] = Stop{Version: v(s), Raw: s, Index: i}
	}
	return out
}

func block(from, to string, index int) Blocked {
	return Blocked{From: constraint(from), To: constraint(to), FromRaw: from, ToRaw: to, Index: index}
}

// blockWhy is block with a reason.
func blockWhy(from, to, reason string, index int) Blocked {
	b := block(from, to, index)
	b.Reason = reason
	return b
}

// originals renders versions as written, keeping nil and empty apart.
func originals(vv []*version.Version) []string {
	if vv == nil {
		return nil
	}
	out := make([]string, len(vv))
	for i, x := range vv {
		out[i] = x.Original()
	}
	return out
}

// canon renders versions canonically ("1.2" and "1.2.0" alike).
func canon(vv []*version.Version) []string {
	if vv == nil {
		return nil
	}
	out := make([]string, len(vv))
	for i, x := range vv {
		out[i] = x.String()
	}
	return out
}

var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b *version.Version) bool {
		if a == nil || b == nil {
			return a == b
		}
		return a.Original() == b.Original()
	}),
	cmp.Comparer(func(a, b Constraint) bool { return a.String() == b.String() }),
}

// naive implements the path rules straight from the spec, with
// go-version's own methods, as the reference the engine is tested against.
type naive struct{ r Rules }

func seriesLess(a, b *version.Version) bool {
	sa, sb := a.Segments64(), b.Segments64()
	return sa[0] < sb[0] || sa[0] == sb[0] && sa[1] < sb[1]
}

// stops applies the spec's "one stop" rule to the policy's stops: a series
// stop gives way to an exact stop of its series and to an earlier series
// stop of its series; the one left is required when any of them is.
func (n naive) stops() []Stop {
	same := func(a, b Stop) bool {
		x, y := a.Version.Segments(), b.Version.Segments()
		return x[0] == y[0] && x[1] == y[1]
	}
	var out []Stop
	for _, s := range n.r.Stops {
		if s.Version == nil {
			continue
		}
		drop := false
		for _, o := range n.r.Stops {
			if o.Version == nil || !same(s, o) {
				continue
			}
			if s.Series && (!o.Series || o.Index < s.Index) {
				drop = true
			}
			if o.Series && o.Conditional == "" {
				s.Conditional = ""
			}
		}
		if !drop {
			out = append(out, s)
		}
	}
	return out
}

// releases are the policy's releases and, with a graph, its edges' ends.
func (n naive) releases() []*version.Version {
	out := slices.Clone(n.r.Releases)
	if len(n.r.Graphs) > 0 {
		for _, e := range n.r.Edges {
			out = append(out, e.From, e.To)
		}
	}
	return out
}

// isEdge reports whether some edge of the graph goes from u to w.
func (n naive) isEdge(u, w *version.Version) bool {
	for _, e := range n.r.Edges {
		if e.From.Equal(u) && e.To.Equal(w) {
			return true
		}
	}
	return false
}

// violations lists the hop's violations in Validate's order.
func (n naive) violations(hop int, u, w *version.Version) []Violation {
	var out []Violation
	var crossed []Stop
	for _, s := range n.stops() {
		if u.LessThan(s.Version) && seriesLess(s.Version, w) {
			crossed = append(crossed, s)
		}
	}
	slices.SortStableFunc(crossed, func(a, b Stop) int {
		if c := a.Version.Compare(b.Version); c != 0 {
			return c
		}
		return a.Index - b.Index
	})
	for _, s := range crossed {
		out = append(out, Violation{Hop: hop, From: u, To: w, Kind: Crossed, Stop: &s})
	}
	su, sw := u.Segments(), w.Segments()
	m := n.r.MaxStep
	switch d := sw[0] - su[0]; {
	case m.HasMajor && d > m.Major:
		out = append(out, Violation{Hop: hop, From: u, To: w, Kind: ExceedsMaxStep,
			Detail: fmt.Sprintf("raises the major by %d, maxStep.major is %d", d, m.Major)})
	case d == 0 && m.HasMinor && sw[1]-su[1] > m.Minor:
		out = append(out, Violation{Hop: hop, From: u, To: w, Kind: ExceedsMaxStep,
			Detail: fmt.Sprintf("raises the minor by %d, maxStep.minor is %d", sw[1]-su[1], m.Minor)})
	}
	blocked := slices.Clone(n.r.Blocked)
	slices.SortStableFunc(blocked, func(a, b Blocked) int { return a.Index - b.Index })
	for _, b := range blocked {
		if goCheck(b.From, u) && goCheck(b.To, w) {
			out = append(out, Violation{Hop: hop, From: u, To: w, Kind: IsBlocked, Blocked: &b})
		}
	}
	if len(n.r.Graphs) > 0 && !n.isEdge(u, w) {
		out = append(out, Violation{Hop: hop, From: u, To: w, Kind: NotAnEdge})
	}
	return out
}

func (n naive) legal(u, w *version.Version) bool { return len(n.violations(0, u, w)) == 0 }

// conditional reports whether the graph's edge from u to w is conditional:
// it is listed, and every listing has risks.
func (n naive) conditional(u, w *version.Version) bool {
	listed := false
	for _, e := range n.r.Edges {
		if e.From.Equal(u) && e.To.Equal(w) {
			if len(e.Risks) == 0 {
				return false
			}
			listed = true
		}
	}
	return listed
}

// suggest enumerates every ascending path through the releases between from
// and to and keeps the shortest legal one, the lexicographically latest
// among equals. ok is false when none is legal.
func (n naive) suggest(from, to *version.Version) (path []*version.Version, ok bool) {
	path, _, ok = n.suggestFor(from, to, nil)
	return path, ok
}

// compatible reports, straight from the spec, whether env satisfies every
// requirement (of a component env lists) of every row covering v.
func (n naive) compatible(env Env, v *version.Version) bool {
	for _, row := range n.r.Rows {
		if !goCheck(row.Versions, v) {
			continue
		}
		for _, q := range row.Requires {
			ev, ok := env[q.Component]
			if !ok {
				continue
			}
			if q.Relative == nil {
				if !goCheck(q.Constraint, ev) {
					return false
				}
				continue
			}
			es, vs := ev.Segments64(), v.Segments64()
			if q.Relative.Major {
				if es[0] < vs[0]+q.Relative.Lo || es[0] > vs[0]+q.Relative.Hi {
					return false
				}
			} else if es[0] != vs[0] || es[1] < vs[1]+q.Relative.Lo || es[1] > vs[1]+q.Relative.Hi {
				return false
			}
		}
	}
	return true
}

// suggestFor is suggest with an environment: among the legal paths it keeps
// the one with the fewest stops env does not satisfy, then the shortest,
// then the one with the fewest conditional edges, then the
// lexicographically latest; bad counts its unsupported stops.
func (n naive) suggestFor(from, to *version.Version, env Env) (path []*version.Version, bad int, ok bool) {
	badOf := func(vs []*version.Version) int {
		c := 0
		for _, v := range vs {
			if !n.compatible(env, v) {
				c++
			}
		}
		return c
	}
	var rel []*version.Version
	for _, r := range n.releases() {
		if r != nil {
			rel = append(rel, r)
		}
	}
	if len(rel) == 0 {
		out := []*version.Version{}
		for _, s := range n.stops() {
			if from.LessThan(s.Version) && seriesLess(s.Version, to) {
				out = append(out, s.Version)
			}
		}
		slices.SortStableFunc(out, func(a, b *version.Version) int { return a.Compare(b) })
		out = slices.CompactFunc(out, func(a, b *version.Version) bool { return a.Equal(b) })
		// the crossed stops are the only route; it must itself be legal
		nodes := append(append([]*version.Version{from}, out...), to)
		for i := 0; i+1 < len(nodes); i++ {
			if len(n.violations(i, nodes[i], nodes[i+1])) > 0 {
				return nil, 0, false
			}
		}
		return out, badOf(out), true
	}
	if from.Equal(to) {
		return []*version.Version{}, 0, true
	}
	var mid []*version.Version
	if from.LessThan(to) {
		slices.SortStableFunc(rel, func(a, b *version.Version) int { return a.Compare(b) })
		rel = slices.CompactFunc(rel, func(a, b *version.Version) bool { return a.Equal(b) })
		for _, r := range rel {
			if from.LessThan(r) && r.LessThan(to) {
				mid = append(mid, r)
			}
		}
	}
	if len(mid) > 18 {
		panic("naive suggest: too many releases to enumerate")
	}
	nodes := append(append([]*version.Version{from}, mid...), to)
	edge := make([][]bool, len(nodes))
	for i := range nodes {
		edge[i] = make([]bool, len(nodes))
		for j := i + 1; j < len(nodes); j++ {
			edge[i][j] = n.legal(nodes[i], nodes[j])
		}
	}
	var best []int
	bestBad, bestRisky := 0, 0
	for mask := 0; mask < 1<<len(mid); mask++ {
		idx := []int{0}
		for i := range mid {
			if mask&(1<<i) != 0 {
				idx = append(idx, i+1)
			}
		}
		idx = append(idx, len(nodes)-1)
		legal := true
		for i := 0; i+1 < len(idx) && legal; i++ {
			legal = edge[idx[i]][idx[i+1]]
		}
		if !legal {
			continue
		}
		b := 0
		for _, i := range idx[1 : len(idx)-1] {
			if !n.compatible(env, nodes[i]) {
				b++
			}
		}
		r := 0
		for i := 0; i+1 < len(idx); i++ {
			if n.conditional(nodes[idx[i]], nodes[idx[i+1]]) {
				r++
			}
		}
		if best == nil || b < bestBad || b == bestBad && (len(idx) < len(best) ||
			len(idx) == len(best) && (r < bestRisky || r == bestRisky && slices.Compare(idx, best) > 0)) {
			best, bestBad, bestRisky = idx, b, r
		}
	}
	if best == nil {
		return nil, 0, false
	}
	path = []*version.Version{}
	for _, i := range best[1 : len(best)-1] {
		path = append(path, nodes[i])
	}
	return path, bestBad, true
}

// between returns the distinct releases strictly between from and to,
// ascending.
func (n naive) between(from, to *version.Version) []*version.Version {
	var rel []*version.Version
	for _, r := range n.releases() {
		if r != nil && from.LessThan(r) && r.LessThan(to) {
			rel = append(rel, r)
		}
	}
	slices.SortStableFunc(rel, func(a, b *version.Version) int { return a.Compare(b) })
	return slices.CompactFunc(rel, func(a, b *version.Version) bool { return a.Equal(b) })
}

// naiveDescribe is the reference wording of a violation in a no-path
// message, written out here rather than taken from the code under test.
func naiveDescribe(v Violation) string {
	hop := `hop "` + v.From.Original() + `" -> "` + v.To.Original() + `"`
	switch v.Kind {
	case Crossed:
		return hop + ` skips required stop "` + v.Stop.Version.Original() + `"`
	case ExceedsMaxStep:
		return hop + " exceeds maxStep: " + v.Detail
	case IsBlocked:
		s := hop + ` is blocked (from "` + v.Blocked.FromRaw + `" to "` + v.Blocked.ToRaw + `")`
		if v.Blocked.Reason != "" {
			s += ": " + v.Blocked.Reason
		}
		return s
	case NotAnEdge:
		return hop + " is not an edge of the update graph"
	}
	panic(fmt.Sprintf("naiveDescribe: kind %d", v.Kind))
}

// noPathMessage is the error text Suggest should give when no path exists.
func (n naive) noPathMessage(from, to *version.Version) string {
	head := fmt.Sprintf("no legal upgrade path from %q to %q: ", from.Original(), to.Original())
	if !slices.ContainsFunc(n.releases(), func(r *version.Version) bool { return r != nil }) {
		var stops []*version.Version
		for _, s := range n.stops() {
			if from.LessThan(s.Version) && seriesLess(s.Version, to) && !slices.ContainsFunc(stops, s.Version.Equal) {
				stops = append(stops, s.Version)
			}
		}
		slices.SortStableFunc(stops, func(a, b *version.Version) int { return a.Compare(b) })
		nodes := append(append([]*version.Version{from}, stops...), to)
		route := "the direct hop"
		if len(stops) > 0 {
			route = "the route through the required stops"
		}
		for i := 0; i+1 < len(nodes); i++ {
			if vs := n.violations(i, nodes[i], nodes[i+1]); len(vs) > 0 {
				return head + fmt.Sprintf("the policy lists no releases, and %s breaks its rules (%s): list the releases so that intermediate stops can be chosen", route, naiveDescribe(vs[0]))
			}
		}
	}
	if !from.LessThan(to) {
		return head + "the target is below the start and the direct hop is not legal"
	}
	mid := n.between(from, to)
	if len(mid) == 0 {
		return head + "the direct hop is not legal and no release lies between them"
	}
	fwd := make([]bool, len(mid)) // reachable from from
	for j := range mid {
		fwd[j] = n.legal(from, mid[j])
		for i := 0; i < j && !fwd[j]; i++ {
			fwd[j] = fwd[i] && n.legal(mid[i], mid[j])
		}
	}
	bwd := make([]bool, len(mid)) // reaches to
	for i := len(mid) - 1; i >= 0; i-- {
		bwd[i] = n.legal(mid[i], to)
		for j := i + 1; j < len(mid) && !bwd[i]; j++ {
			bwd[i] = bwd[j] && n.legal(mid[i], mid[j])
		}
	}
	direct := "the direct hop is not legal; "
	if vs := n.violations(0, from, to); len(vs) > 0 {
		direct = naiveDescribe(vs[0]) + "; "
	}
	msg := fmt.Sprintf("no release between them is reachable from %q", from.Original())
	u, w := from, 0 // the last node reached and the index of the next release
	for i := len(fwd) - 1; i >= 0; i-- {
		if fwd[i] {
			msg = fmt.Sprintf("the highest release reachable from %q is %q", from.Original(), mid[i].Original())
			u, w = mid[i], i+1
			break
		}
	}
	next := to
	if w < len(mid) {
		next = mid[w]
	}
	if vs := n.violations(0, u, next); len(vs) > 0 {
		msg += ", and " + naiveDescribe(vs[0])
	}
	if i := slices.Index(bwd, true); i >= 0 {
		msg += fmt.Sprintf("; the lowest release that reaches %q is %q", to.Original(), mid[i].Original())
	} else {
		msg += fmt.Sprintf("; no release between them reaches %q", to.Original())
	}
	// another target: the lowest of the next 16 releases above to
	// (pre-releases left out) that from reaches
	var above []*version.Version
	for _, r := range n.releases() {
		if r != nil && to.LessThan(r) && r.Prerelease() == "" {
			above = append(above, r)
		}
	}
	slices.SortStableFunc(above, func(a, b *version.Version) int { return a.Compare(b) })
	above = slices.CompactFunc(above, func(a, b *version.Version) bool { return a.Equal(b) })
	for i, r := range above {
		if i == 16 {
			break
		}
		if _, ok := n.suggest(from, r); ok {
			msg += fmt.Sprintf("; the lowest release above %q that %q reaches is %q", to.Original(), from.Original(), r.Original())
			break
		}
	}
	return head + direct + msg
}

// universe is the pool random cases draw versions from: three majors,
// short forms, v prefixes and pre-releases. It has no four-segment
// versions: go-version orders those against pre-releases inconsistently.
var universe = func() []*version.Version {
	var out []*version.Version
	for maj := 1; maj <= 3; maj++ {
		for mi := 0; mi <= 3; mi++ {
			for p := 0; p <= 2; p++ {
				out = append(out, v(fmt.Sprintf("%d.%d.%d", maj, mi, p)))
			}
			out = append(out,
				v(fmt.Sprintf("%d.%d", maj, mi)),
				v(fmt.Sprintf("v%d.%d.1", maj, mi)),
				v(fmt.Sprintf("%d.%d.0-rc1", maj, mi)),
				v(fmt.Sprintf("%d.%d.0-rc.2", maj, mi)),
				v(fmt.Sprintf("%d.%d.1-beta", maj, mi)))
		}
	}
	return out
}()

// wideUniverse spreads fewer forms over more series, for longer paths.
var wideUniverse = func() []*version.Version {
	var out []*version.Version
	for maj := 1; maj <= 5; maj++ {
		for mi := 0; mi <= 5; mi++ {
			out = append(out, v(fmt.Sprintf("%d.%d.0-rc1", maj, mi)), v(fmt.Sprintf("%d.%d", maj, mi)), v(fmt.Sprintf("%d.%d.1", maj, mi)))
		}
	}
	return out
}()

var constraintPool = []string{
	">= 1.1.0, < 1.3.0", ">= 2.0.0", "< 2.0.0", "~> 1.2", "~> 2.1.0", "!= 1.2.0",
	"= 2.0.0-rc1", ">= 1.2.0-rc1", "> 1.0.0", "<= 2.2.1", ">= 3.0.0-rc1", ">= 1.0.0",
	">= 1.1.0, < 1.2.0 || >= 2.1.0", "~> 1.0.0 || ~> 2.2 || = 3.1.1", "< 1.1.0 || > 2.0.0-rc.2, < 3.0.0",
}

var parsedPool = func() []Constraint {
	out := make([]Constraint, len(constraintPool))
	for i, s := range constraintPool {
		out[i] = constraint(s)
	}
	return out
}()

type randomCase struct {
	rules    Rules
	from, to *version.Version
	env      Env
}

func (c randomCase) String() string {
	var b []string
	for _, bl := range c.rules.Blocked {
		b = append(b, bl.FromRaw+" -> "+bl.ToRaw)
	}
	var st []string
	for _, s := range c.rules.Stops {
		st = append(st, s.Version.Original()+map[bool]string{true: "?", false: ""}[s.Conditional != ""])
	}
	var ed []string
	for _, e := range c.rules.Edges {
		ed = append(ed, e.From.Original()+">"+e.To.Original())
	}
	var rows []string
	for _, r := range c.rules.Rows {
		var qs []string
		for _, q := range r.Requires {
			if q.Relative != nil {
				qs = append(qs, q.Component+" "+q.Relative.String())
			} else {
				qs = append(qs, q.Component+" "+q.Constraint.String())
			}
		}
		rows = append(rows, fmt.Sprintf("%s: %v", r.Versions, qs))
	}
	env := map[string]string{}
	for k, v := range c.env {
		env[k] = v.Original()
	}
	return fmt.Sprintf("from %s to %s releases %v stops %v maxStep %+v blocked %q graph %v edges %v rows %q env %v",
		c.from.Original(), c.to.Original(), originals(c.rules.Releases), st, c.rules.MaxStep, b, c.rules.Graphs != nil, ed, rows, env)
}

// genCase builds a small random policy and query from versions of
// universe; pick(n) returns a choice in [0, n).
func genCase(pick func(n int) int, universe []*version.Version) randomCase {
	var c randomCase
	for range pick(15) {
		c.rules.Releases = append(c.rules.Releases, universe[pick(len(universe))])
	}
	for i := range pick(5) {
		s := Stop{Version: universe[pick(len(universe))], Index: i}
		if n := len(c.rules.Releases); n > 0 && pick(4) != 0 {
			s.Version = c.rules.Releases[pick(n)] // a stop is usually a release
		}
		s.Raw = s.Version.Original()
		if pick(4) == 0 { // a series stop, "MAJOR.MINOR"
			seg := s.Version.Segments()
			s.Raw = fmt.Sprintf("%d.%d", seg[0], seg[1])
			s.Version, s.Series = v(s.Raw), true
		}
		if pick(4) == 0 {
			s.Conditional = "large tables only"
		}
		c.rules.Stops = append(c.rules.Stops, s)
	}
	c.rules.MaxStep = MaxStep{HasMajor: pick(2) == 0, Major: pick(3), HasMinor: pick(2) == 0, Minor: pick(3)}
	for i := range max(0, pick(5)-2) {
		f, t := pick(len(constraintPool)), pick(len(constraintPool))
		b := Blocked{From: parsedPool[f], To: parsedPool[t], FromRaw: constraintPool[f], ToRaw: constraintPool[t], Index: i}
		if pick(2) == 0 {
			b.Reason = fmt.Sprintf("breaks migration %d", i)
		}
		c.rules.Blocked = append(c.rules.Blocked, b)
	}
	// from mostly in the lower half of the pool, to in the upper half
	half := len(universe) / 2
	c.from, c.to = universe[pick(half+half/2)], universe[half/2+pick(len(universe)-half/2)]
	if c.from.GreaterThan(c.to) && pick(4) != 0 {
		c.from, c.to = c.to, c.from
	}
	if pick(3) == 0 { // an update graph over the releases, from and to
		c.rules.Graphs = []string{"graph.json"}
		nodes := append(slices.Clone(c.rules.Releases), c.from, c.to)
		extra := 2 // ends that are no release, at most two: the reference enumerates
		node := func() *version.Version {
			if extra > 0 && pick(8) == 0 {
				extra--
				return universe[pick(len(universe))]
			}
			return nodes[pick(len(nodes))]
		}
		for range pick(30) {
			e := Edge{From: node(), To: node()}
			if e.From.GreaterThan(e.To) && pick(4) != 0 {
				e.From, e.To = e.To, e.From
			}
			if pick(3) == 0 {
				e.Risks = []Risk{{Name: "R", Message: "m", URL: "https://example.com/r"}}
			}
			c.rules.Edges = append(c.rules.Edges, e)
		}
	}
	if pick(2) == 0 { // compatibility rows and an environment
		for range 1 + pick(3) {
			row := Row{Versions: parsedPool[pick(len(parsedPool))]}
			for range pick(3) {
				q := Requirement{Component: []string{"db", "k"}[pick(2)]}
				if pick(2) == 0 {
					q.Relative = &Relative{Major: pick(3) == 0, Lo: int64(pick(3)) - 2, Hi: int64(pick(2))}
				} else {
					q.Constraint = parsedPool[pick(len(parsedPool))]
				}
				row.Requires = append(row.Requires, q)
			}
			c.rules.Rows = append(c.rules.Rows, row)
		}
		c.env = Env{}
		for _, name := range []string{"db", "k"} {
			if pick(4) != 0 {
				c.env[name] = universe[pick(len(universe))]
			}
		}
	}
	return c
}

// checkCase runs the engine on c and compares it with the naive reference.
func checkCase(t *testing.T, c randomCase) {
	t.Helper()
	e := New(c.rules)
	n := naive{c.rules}
	sg, err := e.SuggestFor(c.from, c.to, c.env)
	got := sg.Stops
	want, wantBad, ok := n.suggestFor(c.from, c.to, c.env)
	switch {
	case !ok:
		if err == nil {
			t.Fatalf("%v: got path %v, want ErrNoPath", c, canon(got))
		}
		if !errorsIsNoPath(err) {
			t.Fatalf("%v: got error %v, want ErrNoPath", c, err)
		}
		if diff := cmp.Diff(n.noPathMessage(c.from, c.to), err.Error()); diff != "" {
			t.Fatalf("%v: error message mismatch (-want +got):\n%s", c, diff)
		}
		return
	case err != nil:
		t.Fatalf("%v: got error %v, want path %v", c, err, canon(want))
	}
	if diff := cmp.Diff(canon(want), canon(got)); diff != "" {
		t.Fatalf("%v: path mismatch (-want +got):\n%s", c, diff)
	}
	if sg.Incompatible != wantBad {
		t.Fatalf("%v: path %v has %d incompatible stops, want %d", c, canon(got), sg.Incompatible, wantBad)
	}
	checkParsed(t, c, got, err)
	if got2, err := e.Suggest(c.from, c.to); c.env == nil && (err != nil || !slices.EqualFunc(got, got2, (*version.Version).Equal)) {
		t.Fatalf("%v: Suggest = %v, %v; SuggestFor without an environment = %v", c, canon(got2), err, canon(got))
	}
	if !e.HasReleases() || c.from.Equal(c.to) { // no hop to check
		return
	}
	if vio := e.Validate(c.from, c.to, got); len(vio) != 0 {
		t.Fatalf("%v: suggested path %v has violations %v", c, canon(got), vio)
	}
	prev := c.from
	for _, s := range got { // only when from < to can got be non-empty
		if !s.GreaterThan(prev) || !s.LessThan(c.to) || !e.IsRelease(s) {
			t.Fatalf("%v: path %v is not strictly ascending releases within (from, to)", c, canon(got))
		}
		prev = s
	}
}

// checkParsed builds the engine of c with its releases read by
// ParseVersion (Rules.Parsed) instead of go-version and checks that it
// suggests what the engine of go-version's releases did (got, err).
func checkParsed(t *testing.T, c randomCase, got []*version.Version, err error) {
	t.Helper()
	r := c.rules
	r.Releases, r.Parsed = nil, make([]*Version, len(c.rules.Releases))
	for i, rel := range c.rules.Releases {
		pv, perr := ParseVersion(rel.Original())
		if perr != nil {
			t.Fatalf("ParseVersion(%q): %v", rel.Original(), perr)
		}
		r.Parsed[i] = pv
	}
	sg, err2 := New(r).SuggestFor(c.from, c.to, c.env)
	if errText(err) != errText(err2) || !slices.Equal(originals(got), originals(sg.Stops)) {
		t.Fatalf("%v: with releases read by ParseVersion: %v, %v; with go-version's: %v, %v", c, originals(sg.Stops), err2, originals(got), err)
	}
}
