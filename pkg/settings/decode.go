package settings

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// dayOrder lists the days Monday first, as hints show them.
var dayOrder = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

var fullDays = map[string]string{"monday": "mon", "tuesday": "tue", "wednesday": "wed", "thursday": "thu",
	"friday": "fri", "saturday": "sat", "sunday": "sun"}

// Decode reads the spec field key (one of Fields) at path into s. It
// reports whether key is one of them; every problem is a finding of d.
func Decode(d *yamldoc.Decoder, s *Settings, key, path string, v *yaml.Node) bool {
	switch key {
	case "maintenance":
		s.MaintenanceSet = !yamldoc.IsNull(v)
		d.Sequence(path, v, func(_ int, p string, v *yaml.Node) {
			if per, ok := decodePeriod(d, p, v); ok {
				s.Maintenance = append(s.Maintenance, per)
			}
		})
	case "freezes":
		first := len(s.Freezes)
		d.Sequence(path, v, func(_ int, p string, v *yaml.Node) {
			if f, ok := decodeFreeze(d, p, v); ok {
				for _, g := range s.Freezes[first:] {
					if f.Overlaps(g.Start, g.End) {
						d.Invalid(p, "merge the two into one freeze",
							"freeze %s overlaps %s (%s)", f.Describe(), g.Path, g.Describe())
						return
					}
				}
				s.Freezes = append(s.Freezes, f)
			}
		})
	case "approvals":
		d.Sequence(path, v, func(_ int, p string, v *yaml.Node) {
			if a, ok := decodeApproval(d, p, v); ok {
				s.Approvals = append(s.Approvals, a)
			}
		})
	case "outcomeWithin":
		if str, ok := d.String(path, v); ok {
			dur, err := yamldoc.ParseDuration(str)
			if err != nil || dur <= 0 {
				d.Invalid(path, "write a duration like 7d or 36h (units s, m, h, d, w)",
					"outcomeWithin %s is not a positive duration", yamldoc.Quote(str))
				return true
			}
			s.OutcomeWithin, s.OutcomeWithinSet, s.OutcomeWithinPos = dur, true, at(d, path)
		}
	default:
		return false
	}
	return true
}

func at(d *yamldoc.Decoder, path string) Pos {
	p := d.Loc.Locate(path)
	return Pos{File: d.File, Line: p.Line, Column: p.Column}
}

func decodePeriod(d *yamldoc.Decoder, path string, n *yaml.Node) (Period, bool) {
	p := Period{Path: path, Pos: at(d, path), Zone: "UTC", Location: time.UTC, Start: -1, End: -1}
	ok := true
	daysSet := false
	if !d.Mapping(path, n, PeriodFields, func(key, kp string, v *yaml.Node) {
		switch key {
		case "days":
			daysSet = true
			if yamldoc.IsNull(v) {
				return
			}
			list := d.Strings(kp, v)
			if len(list) == 0 && d.Loc.Has(kp) {
				d.Invalid(kp, "name the days, or leave days out for every day", "days is empty")
				ok = false
			}
			for i, day := range list {
				idx, err := parseDay(day)
				if err != nil {
					d.Invalid(yamldoc.Index(kp, i), "expected one of "+strings.Join(dayOrder, ", "), "%v", err)
					ok = false
					continue
				}
				p.Days[idx] = true
			}
		case "start", "end":
			str, sok := d.String(kp, v)
			if !sok {
				return
			}
			min, err := parseClock(str, key == "end")
			if err != nil {
				d.Invalid(kp, "write a time of day like \"22:00\" (end may be \"24:00\")", "%v", err)
				ok = false
				return
			}
			if key == "start" {
				p.Start = min
			} else {
				p.End = min
			}
		case "timeZone":
			if zone, loc, zok := decodeZone(d, kp, v); zok {
				p.Zone, p.Location = zone, loc
			} else if d.Loc.Has(kp) {
				ok = false
			}
		}
	}) {
		d.Invalid(path, "write {days: [sat], start: \"22:00\", end: \"04:00\", timeZone: Europe/Berlin}", "maintenance period is empty")
		return p, false
	}
	if !daysSet {
		p.Days = [7]bool{true, true, true, true, true, true, true}
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"start", p.Start >= 0}, {"end", p.End >= 0}} {
		if !f.set && !yamldoc.IsShadowed(d.Shadowed, yamldoc.Join(path, f.name)) {
			d.Missing(yamldoc.Join(path, f.name), "a maintenance period has a start and an end, like \"22:00\" and \"04:00\"")
		}
		ok = ok && f.set
	}
	if ok && p.Start == p.End {
		d.Invalid(yamldoc.Join(path, "end"), "for a whole day write start: \"00:00\", end: \"24:00\"",
			"maintenance period ends at %s, when it starts: it would last no time", Clock(p.End))
		ok = false
	}
	return p, ok
}

// parseDay reads a weekday as the spec writes it: mon … sun.
func parseDay(s string) (int, error) {
	if i := slices.Index(DayNames, s); i >= 0 {
		return i, nil
	}
	lower := strings.ToLower(strings.TrimSpace(s))
	msg := fmt.Sprintf("day %s is not one of %s", yamldoc.Quote(s), strings.Join(dayOrder, ", "))
	switch {
	case slices.Contains(DayNames, lower):
		msg += fmt.Sprintf("; did you mean %q?", lower)
	case fullDays[lower] != "":
		msg += fmt.Sprintf("; did you mean %q?", fullDays[lower])
	default:
		for full, short := range fullDays {
			if len(lower) >= 3 && strings.HasPrefix(full, lower) {
				msg += fmt.Sprintf("; did you mean %q?", short)
				return 0, fmt.Errorf("%s", msg)
			}
		}
		if near, found := yamldoc.Nearest(lower, DayNames); found {
			msg += fmt.Sprintf("; did you mean %q?", near)
		}
	}
	return 0, fmt.Errorf("%s", msg)
}

var clockShape = regexp.MustCompile(`^([0-9]{2}):([0-9]{2})$`)

// parseClock reads HH:MM; 24:00 only as an end.
func parseClock(s string, end bool) (int, error) {
	m := clockShape.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("time of day %s is not HH:MM", yamldoc.Quote(s))
	}
	h, mm := int(m[1][0]-'0')*10+int(m[1][1]-'0'), int(m[2][0]-'0')*10+int(m[2][1]-'0')
	switch {
	case h == 24 && mm == 0 && end:
		return 24 * 60, nil
	case h > 23 || mm > 59:
		return 0, fmt.Errorf("time of day %s is out of range (00:00 to 23:59, or 24:00 as an end)", yamldoc.Quote(s))
	}
	return h*60 + mm, nil
}

// decodeZone reads an IANA time zone name.
func decodeZone(d *yamldoc.Decoder, path string, v *yaml.Node) (string, *time.Location, bool) {
	name, ok := d.String(path, v)
	if !ok {
		return "", nil, false
	}
	loc, err := LoadZone(name)
	if err != nil {
		d.Invalid(path, "write an IANA time zone name like Europe/Berlin, America/New_York or UTC", "%v", err)
		return "", nil, false
	}
	return name, loc, true
}

// LoadZone loads an IANA time zone by name. "Local" and "" are refused:
// they would depend on the machine the gate runs on.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("time zone %s depends on the machine: name the zone, like Europe/Berlin or UTC", yamldoc.Quote(name))
	}
	loc, err := time.LoadLocation(name)
	if err == nil {
		return loc, nil
	}
	msg := fmt.Sprintf("unknown time zone %s", yamldoc.Quote(name))
	if fixed := titleZone(name); fixed != name {
		if _, err := time.LoadLocation(fixed); err == nil {
			msg += fmt.Sprintf("; did you mean %q?", fixed)
		}
	}
	return nil, fmt.Errorf("%s", msg)
}

// titleZone capitalises each part of a zone name the way the database
// spells most of them: "europe/berlin" is "Europe/Berlin", "utc" is "UTC".
func titleZone(name string) string {
	if strings.EqualFold(name, "utc") {
		return "UTC"
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		words := strings.Split(p, "_")
		for j, w := range words {
			if w != "" {
				words[j] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
			}
		}
		parts[i] = strings.Join(words, "_")
	}
	return strings.Join(parts, "/")
}

func decodeFreeze(d *yamldoc.Decoder, path string, n *yaml.Node) (Freeze, bool) {
	f := Freeze{Path: path, Pos: at(d, path), Zone: "UTC"}
	loc := time.UTC
	ok := true
	if !d.Mapping(path, n, FreezeFields, func(key, kp string, v *yaml.Node) {
		switch key {
		case "start":
			f.StartRaw, _ = d.String(kp, v)
		case "end":
			f.EndRaw, _ = d.String(kp, v)
		case "timeZone":
			if zone, l, zok := decodeZone(d, kp, v); zok {
				f.Zone, loc = zone, l
			} else if d.Loc.Has(kp) {
				ok = false
			}
		case "reason":
			f.Reason, _ = d.String(kp, v)
		}
	}) {
		d.Invalid(path, "write {start: 2026-12-18, end: 2027-01-04, timeZone: America/New_York, reason: ...}", "freeze is empty")
		return f, false
	}
	for _, part := range []struct {
		name, raw string
		t         *time.Time
		end       bool
	}{{"start", f.StartRaw, &f.Start, false}, {"end", f.EndRaw, &f.End, true}} {
		kp := yamldoc.Join(path, part.name)
		if part.raw == "" {
			if !yamldoc.IsShadowed(d.Shadowed, kp) {
				d.Missing(kp, "a freeze has a start and an end date (both days included)")
			}
			ok = false
			continue
		}
		t, err := parseBound(part.raw, loc, part.end)
		if err != nil {
			d.Invalid(kp, "write a date like 2026-12-18 (the whole day, in timeZone) or an RFC 3339 time", "%v", err)
			ok = false
			continue
		}
		*part.t = t
	}
	if ok && !f.End.After(f.Start) {
		d.Invalid(yamldoc.Join(path, "end"), "a freeze's end is its last day, on or after its start",
			"freeze ends %s, before it starts %s", yamldoc.Quote(f.EndRaw), yamldoc.Quote(f.StartRaw))
		ok = false
	}
	return f, ok
}

// parseBound reads a freeze's start or end: a date stands for its whole
// day in loc (an end date includes its day: the bound is the next
// midnight), an RFC 3339 time for itself.
func parseBound(s string, loc *time.Location, end bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if day, err := time.ParseInLocation("2006-01-02", s, loc); err == nil {
		if end {
			y, m, d := day.Date()
			return time.Date(y, m, d+1, 0, 0, 0, 0, loc), nil
		}
		return day, nil
	}
	return yamldoc.ParseTime(s)
}

var approverShape = regexp.MustCompile(`^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:/[A-Za-z0-9._-]+)?$`)

// IsTeam reports whether an approver names a team ("@org/team").
func IsTeam(approver string) bool { return strings.Contains(approver, "/") }

func decodeApproval(d *yamldoc.Decoder, path string, n *yaml.Node) (Approval, bool) {
	a := Approval{Path: path, Pos: at(d, path), When: WhenAlways, Count: 1}
	ok := true
	if !d.Mapping(path, n, ApprovalFields, func(key, kp string, v *yaml.Node) {
		switch key {
		case "when":
			s, _ := d.String(kp, v)
			if !slices.Contains(WhenValues, s) {
				msg := fmt.Sprintf("approvals when %s is not one of %s", yamldoc.Quote(s), strings.Join(WhenValues, ", "))
				if near, found := yamldoc.Nearest(s, WhenValues); found {
					msg += fmt.Sprintf("; did you mean %q?", near)
				}
				d.Invalid(kp, "expected one of "+strings.Join(WhenValues, ", "), "%s", msg)
				ok = false
				return
			}
			a.When = s
		case "from":
			for i, who := range d.Strings(kp, v) {
				if !approverShape.MatchString(who) {
					d.Invalid(yamldoc.Index(kp, i), "write a GitHub user as \"@alice\" or a team as \"@example-org/dba\"",
						"approver %s is neither @user nor @org/team", yamldoc.Quote(who))
					ok = false
					continue
				}
				a.From = append(a.From, who)
			}
		case "count":
			c, cok := d.Int(kp, v)
			if !cok {
				ok = ok && yamldoc.IsNull(v)
				return
			}
			if c < 1 {
				d.Invalid(kp, "write 1 or more", "approvals count %d is less than 1", c)
				ok = false
				return
			}
			a.Count = c
		}
	}) {
		d.Invalid(path, "write {when: migrations, from: [\"@alice\"], count: 1}", "approval is empty")
		return a, false
	}
	if len(a.From) == 0 && ok {
		if !yamldoc.IsShadowed(d.Shadowed, yamldoc.Join(path, "from")) {
			d.Missing(yamldoc.Join(path, "from"), "name who may approve: users (\"@alice\") or teams (\"@example-org/dba\")")
		}
		return a, false
	}
	teams := slices.ContainsFunc(a.From, IsTeam)
	if ok && !teams && a.Count > len(a.From) {
		d.Invalid(yamldoc.Join(path, "count"), "lower count, or name more approvers in from",
			"approvals count %d can never be met: from names %d %s", a.Count, len(a.From), plural(len(a.From), "person", "people"))
		ok = false
	}
	return a, ok
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
