package policy

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	version "github.com/hashicorp/go-version"

	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/exception"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/settings"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
)

// Relaxation is one way a policy is weaker than its version at the base
// (UG607): a rule turned off or lowered, a required stop, blocked entry,
// compatibility row, deployed location, freeze or vendor import removed (a
// freeze shortened, an import's maxAge raised), a constraint widened, an
// exception added.
type Relaxation struct {
	// Node is the head policy's node the relaxation is about (its
	// enclosing list or mapping for something removed).
	Node string
	Pos  Pos
	// What says it: "required stop 16.3.9 removed".
	What string
}

// Relaxations lists what head relaxes compared with base, the same policy
// at the base, in the order of the policy's fields. Both are decoded
// policies; a broken one (Broken) is compared as far as it was read.
func Relaxations(base, head *Policy) []Relaxation {
	if base == nil || head == nil {
		return nil
	}
	r := &relaxer{base: base, head: head}
	r.stops()
	r.maxStep()
	r.blocked()
	r.compatibility()
	r.checklist()
	r.dryRun()
	r.window()
	r.exceptions()
	r.deployed()
	r.freezes()
	r.imports()
	return r.out
}

type relaxer struct {
	base, head *Policy
	out        []Relaxation
}

// add records a relaxation at the head's node, or at the nearest node of
// the head that exists.
func (r *relaxer) add(node string, pos *Pos, format string, args ...any) {
	rel := Relaxation{Node: node, What: fmt.Sprintf(format, args...)}
	if pos != nil && pos.Line > 0 {
		rel.Pos = *pos
	} else {
		p := r.head.Loc.Locate(node)
		rel.Pos = Pos{File: r.head.File, Line: p.Line, Column: p.Column}
	}
	r.out = append(r.out, rel)
}

func (r *relaxer) stops() {
	for _, s := range r.base.RequiredStops {
		i := slices.IndexFunc(r.head.RequiredStops, func(h upgradepath.Stop) bool { return h.Version.Equal(s.Version) })
		switch {
		case i < 0:
			r.add("spec.requiredStops", nil, "required stop %s removed", s.Raw)
		case s.Conditional == "" && r.head.RequiredStops[i].Conditional != "":
			h := r.head.RequiredStops[i]
			r.add(fmt.Sprintf("spec.requiredStops[%d]", h.Index), &h.Pos, "required stop %s made conditional (a warning, no longer an error)", s.Raw)
		}
	}
}

func (r *relaxer) maxStep() {
	b, h := r.base.MaxStep, r.head.MaxStep
	for _, l := range []struct {
		name         string
		had, has     bool
		was, becomes int
	}{{"major", b.HasMajor, h.HasMajor, b.Major, h.Major}, {"minor", b.HasMinor, h.HasMinor, b.Minor, h.Minor}} {
		switch {
		case l.had && !l.has:
			r.add("spec.maxStep", nil, "maxStep.%s removed (was %d)", l.name, l.was)
		case l.had && l.becomes > l.was:
			r.add("spec.maxStep."+l.name, nil, "maxStep.%s raised from %d to %d", l.name, l.was, l.becomes)
		}
	}
}

func (r *relaxer) blocked() {
	samples := r.componentSamples()
	for _, b := range r.base.Blocked {
		covered := slices.ContainsFunc(r.head.Blocked, func(h upgradepath.Blocked) bool {
			return includes(h.From, b.From, samples) && includes(h.To, b.To, samples)
		})
		if covered {
			continue
		}
		if i := slices.IndexFunc(r.head.Blocked, func(h upgradepath.Blocked) bool { return h.Index == b.Index }); i >= 0 {
			h := r.head.Blocked[i]
			r.add(fmt.Sprintf("spec.blocked[%d]", h.Index), &h.Pos, "blocked hop from %q to %q narrowed to from %q to %q", b.FromRaw, b.ToRaw, h.FromRaw, h.ToRaw)
			continue
		}
		r.add("spec.blocked", nil, "blocked hop from %q to %q removed", b.FromRaw, b.ToRaw)
	}
}

// compatibility compares the requirements version by version: at every
// sample version a base row covers, every component it requires must be
// required by the head's rows covering that version, and no wider.
func (r *relaxer) compatibility() {
	samples := r.componentSamples()
	for _, row := range r.base.Compatibility {
		var covered []*version.Version
		for _, v := range samples {
			if row.Versions.Check(v) {
				covered = append(covered, v)
			}
		}
		same := slices.IndexFunc(r.head.Compatibility, func(h Row) bool { return h.VersionsRaw == row.VersionsRaw })
		anyRow := false
		for _, v := range covered {
			for _, h := range r.head.Compatibility {
				if h.Versions.Check(v) {
					anyRow = true
				}
			}
		}
		if !anyRow && len(covered) > 0 {
			r.add("spec.compatibility", nil, "compatibility row for versions %q removed", row.VersionsRaw)
			continue
		}
		for _, req := range row.Requires {
			env := r.envSamples(req.Component)
			for _, v := range covered {
				required, wider := false, (*version.Version)(nil)
				for _, w := range env {
					accepted := true
					for _, h := range r.head.Compatibility {
						if !h.Versions.Check(v) {
							continue
						}
						for _, hr := range h.Requires {
							if hr.Component == req.Component {
								required = true
								if !hr.Allows(w, v) {
									accepted = false
								}
							}
						}
					}
					if accepted && !req.Allows(w, v) && wider == nil {
						wider = w
					}
				}
				if !required {
					node, pos := "spec.compatibility", (*Pos)(nil)
					if same >= 0 {
						node, pos = r.head.Compatibility[same].Path+".requires", &r.head.Compatibility[same].Pos
					}
					r.add(node, pos, "requirement %s %q of the row for versions %q removed (at version %s)", req.Component, req.Raw, row.VersionsRaw, v.Original())
					break
				}
				if wider != nil {
					node, pos, now := "spec.compatibility", (*Pos)(nil), ""
					if same >= 0 {
						for _, hr := range r.head.Compatibility[same].Requires {
							if hr.Component == req.Component {
								p := hr.Pos
								node, pos, now = r.head.Compatibility[same].Path+".requires."+req.Component, &p, hr.Raw
							}
						}
					}
					if now != "" {
						r.add(node, pos, "requirement %s of the row for versions %q widened from %q to %q", req.Component, row.VersionsRaw, req.Raw, now)
					} else {
						r.add(node, pos, "requirement %s %q of the row for versions %q widened: at version %s, %s %s is now accepted", req.Component, req.Raw, row.VersionsRaw, v.Original(), req.Component, wider.Original())
					}
					break
				}
			}
		}
	}
}

func (r *relaxer) checklist() {
	ids := map[rules.ID]bool{}
	for id := range r.base.Checklist {
		ids[id] = true
	}
	for id := range r.head.Checklist {
		ids[id] = true
	}
	sorted := make([]rules.ID, 0, len(ids))
	for id := range ids {
		sorted = append(sorted, id)
	}
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].String() < sorted[j].String() })
	for _, id := range sorted {
		was, now := r.base.Severity(id), r.head.Severity(id)
		if now >= was {
			continue
		}
		node := "spec.checklist." + id.String()
		if _, ok := r.head.Checklist[id]; !ok {
			node = "spec.checklist"
		}
		if now == finding.Off {
			r.add(node, nil, "%s turned off (was %s)", id, was)
		} else {
			r.add(node, nil, "%s lowered from %s to %s", id, was, now)
		}
	}
}

func (r *relaxer) dryRun() {
	if r.head.DryRunMaxAge > r.base.DryRunMaxAge {
		r.add("spec.dryRunMaxAge", nil, "dryRunMaxAge raised from %s to %s", days(r.base.DryRunMaxAge), days(r.head.DryRunMaxAge))
	}
}

// windowCases are the upgrades each downtimeWindow mode asks a window for.
var windowCases = map[string][]string{WindowAlways: {"major", "migrations", "other"}, WindowBoth: {"major", "migrations"},
	WindowMajor: {"major"}, WindowMigrations: {"migrations"}, WindowNever: nil}

func (r *relaxer) window() {
	was, now := windowCases[r.base.DowntimeWindow], windowCases[r.head.DowntimeWindow]
	for _, c := range was {
		if !slices.Contains(now, c) {
			r.add("spec.downtimeWindow", nil, "downtimeWindow relaxed from %s to %s", r.base.DowntimeWindow, r.head.DowntimeWindow)
			return
		}
	}
}

func (r *relaxer) exceptions() {
	for _, e := range r.head.Exceptions {
		i := slices.IndexFunc(r.base.Exceptions, func(b *exception.Exception) bool { return b.Rule == e.Rule && b.Match == e.Match })
		what := "exception for " + e.Rule
		if e.Match != "" {
			what += fmt.Sprintf(" matching %q", e.Match)
		}
		switch {
		case i < 0:
			r.add(e.Path, &Pos{File: e.File, Line: e.Pos.Line, Column: e.Pos.Column}, "%s added", what)
		case e.Expires.After(r.base.Exceptions[i].Expires) && !r.base.Exceptions[i].Expires.IsZero():
			p := e.Loc.Locate(e.Path + ".expires")
			r.add(e.Path+".expires", &Pos{File: e.File, Line: p.Line, Column: p.Column}, "%s extended from %s to %s", what,
				r.base.Exceptions[i].Expires.Format(time.DateOnly), e.Expires.Format(time.DateOnly))
		}
	}
}

// days writes a duration in days when it is whole days.
func days(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	}
	return d.String()
}

// includes reports whether wide accepts every sample narrow accepts.
func includes(wide, narrow upgradepath.Constraint, samples []*version.Version) bool {
	for _, v := range samples {
		if narrow.Check(v) && !wide.Check(v) {
			return false
		}
	}
	return true
}

// maxOffset bounds the offsets of relative requirements sampled.
const maxOffset = 8

var versionToken = regexp.MustCompile(`\d+(?:\.\d+)*`)

// componentSamples are versions of the component at which two policies'
// constraints can differ: every version either names (releases, stops,
// the bounds of rows and blocked entries), with the versions next to each.
func (r *relaxer) componentSamples() []*version.Version {
	var raws []string
	for _, p := range []*Policy{r.base, r.head} {
		for _, rel := range p.Releases {
			raws = append(raws, rel.Ver.String())
		}
		for _, s := range p.RequiredStops {
			raws = append(raws, s.Version.String())
		}
		for _, b := range p.Blocked {
			raws = append(raws, b.FromRaw, b.ToRaw)
		}
		for _, row := range p.Compatibility {
			raws = append(raws, row.VersionsRaw)
		}
	}
	return samples(raws)
}

// envSamples are the versions of an environment component at which two
// policies' requirements can differ.
func (r *relaxer) envSamples(component string) []*version.Version {
	var raws []string
	relative := false
	for _, p := range []*Policy{r.base, r.head} {
		for _, row := range p.Compatibility {
			for _, req := range row.Requires {
				if req.Component != component {
					continue
				}
				raws = append(raws, req.Raw)
				if req.Relative != nil {
					relative = true
				}
			}
		}
	}
	if relative {
		// a window around the checked version: the component's versions
		// shifted by every offset a window can name
		for _, v := range r.componentSamples() {
			seg := v.Segments()
			for d := -maxOffset; d <= maxOffset; d++ {
				raws = append(raws, fmt.Sprintf("%d.%d", seg[0]+d, seg[1]), fmt.Sprintf("%d.%d", seg[0], seg[1]+d))
			}
		}
	}
	return samples(raws)
}

// samples returns the versions in the texts and their neighbours: each
// one, one patch above and below it, the next minor and major (the bounds
// of ~>), and the extremes, sorted and without duplicates. Two unions of
// intervals whose bounds are among the texts' versions differ at one of
// these if they differ at all.
func samples(texts []string) []*version.Version {
	seen := map[string]bool{}
	var out []*version.Version
	add := func(segs ...int) {
		parts := make([]string, len(segs))
		for i, s := range segs {
			parts[i] = strconv.Itoa(s)
		}
		s := strings.Join(parts, ".")
		if seen[s] {
			return
		}
		if v, err := version.NewVersion(s); err == nil {
			seen[s] = true
			out = append(out, v)
		}
	}
	add(0, 0, 0)
	add(1<<30, 0, 0)
	for _, t := range texts {
		for _, tok := range versionToken.FindAllString(t, 16) {
			v, err := version.NewVersion(tok)
			if err != nil {
				continue
			}
			s := v.Segments()
			for len(s) < 3 {
				s = append(s, 0)
			}
			a, b, c := s[0], s[1], s[2]
			add(a, b, c)
			add(a, b, c+1)
			add(a, b+1, 0)
			add(a+1, 0, 0)
			switch {
			case c > 0:
				add(a, b, c-1)
			case b > 0:
				add(a, b-1, 1<<30)
			case a > 0:
				add(a-1, 1<<30, 1<<30)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LessThan(out[j]) })
	return out
}

// deployed reports each location of the base that the head no longer has
// (the same kind, file or glob, key, image or pattern, and environment): a
// location removed lets a version change pass unseen.
func (r *relaxer) deployed() {
	id := func(l *deployed.Location) string {
		pattern := ""
		if l.Pattern != nil {
			pattern = l.Pattern.String()
		}
		return strings.Join([]string{l.Kind(), l.Where(), l.KeyRaw, l.Image, pattern, l.Env()}, "\x00")
	}
	have := map[string]bool{}
	for i := range r.head.Deployed {
		have[id(&r.head.Deployed[i])] = true
	}
	for i := range r.base.Deployed {
		l := &r.base.Deployed[i]
		if have[id(l)] {
			continue
		}
		what := l.KeyRaw
		switch l.Kind() {
		case "image":
			what = l.ImageRaw
		case "pattern":
			what = l.Pattern.String()
		}
		r.add("spec.deployed", nil, "deployed location %s %q in %s (%s) removed", l.Kind(), what, l.Where(), l.Env())
	}
}

// freezes reports each freeze of the base that no freeze of the head
// covers whole: removed or shortened.
func (r *relaxer) freezes() {
	for _, b := range r.base.Settings.Freezes {
		covered := slices.ContainsFunc(r.head.Settings.Freezes, func(h settings.Freeze) bool {
			return !h.Start.After(b.Start) && !h.End.Before(b.End)
		})
		if !covered {
			r.add("spec.freezes", nil, "freeze %s to %s (%s) removed or shortened", b.StartRaw, b.EndRaw, b.Zone)
		}
	}
}

// imports reports each spec.import entry of the base (its format and file)
// that the head no longer has: the vendor data it brought (required stops,
// support windows, the only legal hops) no longer applies. An entry kept
// with a maxAge raised or removed lets a staler copy pass (UG705).
func (r *relaxer) imports() {
	id := func(im Import) string { return im.Format + "\x00" + path.Clean(im.File) }
	for _, b := range r.base.Imports {
		i := slices.IndexFunc(r.head.Imports, func(h Import) bool { return id(h) == id(b) })
		switch {
		case i < 0:
			r.add("spec.import", nil, "import of %s from %s removed", b.Format, b.File)
		case b.MaxAge > 0 && r.head.Imports[i].MaxAge == 0:
			h := r.head.Imports[i]
			r.add(h.Path, &h.Pos, "maxAge of the import of %s from %s removed (was %s)", b.Format, b.File, days(b.MaxAge))
		case b.MaxAge > 0 && r.head.Imports[i].MaxAge > b.MaxAge:
			h := r.head.Imports[i]
			p := r.head.Loc.Locate(h.Path + ".maxAge")
			r.add(h.Path+".maxAge", &Pos{File: r.head.File, Line: p.Line, Column: p.Column}, "maxAge of the import of %s from %s raised from %s to %s",
				b.Format, b.File, days(b.MaxAge), days(h.MaxAge))
		}
	}
}
