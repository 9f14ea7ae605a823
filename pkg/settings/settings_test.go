package settings

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

const head = "apiVersion: upgradegate/v1\nkind: Settings\nspec:\n"

// read decodes a Settings document and returns it with its findings as
// "line:col RULE message" strings.
func read(t *testing.T, spec string) (*Settings, []string) {
	t.Helper()
	s, fs := Read(File, []byte(head+spec))
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	return s, got
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestDecodeValid(t *testing.T) {
	t.Parallel()
	s, fs := read(t, `  maintenance:
    - {days: [sat, sun], start: "22:00", end: "04:00", timeZone: Europe/Berlin}
    - {start: "01:00", end: "24:00"}
  freezes:
    - {start: 2026-12-18, end: 2027-01-04, timeZone: America/New_York, reason: "year-end freeze"}
    - {start: 2027-02-01T00:00:00Z, end: 2027-02-02T12:00:00Z}
  approvals:
    - {when: migrations, from: ["@alice", "@example-org/dba"], count: 2}
    - {from: "@bob"}
  outcomeWithin: 3d
`)
	if len(fs) != 0 {
		t.Fatalf("findings: %q", fs)
	}
	if len(s.Maintenance) != 2 || !s.MaintenanceSet {
		t.Fatalf("maintenance = %+v", s.Maintenance)
	}
	p := s.Maintenance[0]
	if got := p.Describe(); got != "sat, sun 22:00–04:00 Europe/Berlin" {
		t.Errorf("Describe = %q", got)
	}
	if p.Pos.Line != 5 || p.Pos.Column != 7 || p.Pos.File != File {
		t.Errorf("period position = %+v, want .upgradegate.yaml:5:7", p.Pos)
	}
	if got := s.Maintenance[1].Describe(); got != "every day 01:00–24:00 UTC" {
		t.Errorf("Describe = %q", got)
	}
	ny, _ := time.LoadLocation("America/New_York")
	f := s.Freezes[0]
	if !f.Start.Equal(time.Date(2026, 12, 18, 0, 0, 0, 0, ny)) || !f.End.Equal(time.Date(2027, 1, 5, 0, 0, 0, 0, ny)) {
		t.Errorf("freeze = [%s, %s), want the whole days 2026-12-18 to 2027-01-04 in New York", f.Start, f.End)
	}
	if g := s.Freezes[1]; !g.End.Equal(mustTime(t, "2027-02-02T12:00:00Z")) {
		t.Errorf("a freeze's RFC 3339 end is itself, got %s", g.End)
	}
	want := []Approval{
		{Path: "spec.approvals[0]", Pos: Pos{File, 11, 7}, When: WhenMigrations, From: []string{"@alice", "@example-org/dba"}, Count: 2},
		{Path: "spec.approvals[1]", Pos: Pos{File, 12, 7}, When: WhenAlways, From: []string{"@bob"}, Count: 1},
	}
	if diff := cmp.Diff(want, s.Approvals); diff != "" {
		t.Errorf("approvals (-want +got):\n%s", diff)
	}
	if s.OutcomeWithin != 72*time.Hour || !s.OutcomeWithinSet {
		t.Errorf("outcomeWithin = %s", s.OutcomeWithin)
	}
}

func TestDecodeInvalid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, spec string
		want       []string
	}{
		{"full day name", "  maintenance: [{days: [saturday], start: \"22:00\", end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:25: error: day "saturday" is not one of mon, tue, wed, thu, fri, sat, sun; did you mean "sat"? [UG004]`}},
		{"capitalised day", "  maintenance: [{days: [Sat, sun], start: \"22:00\", end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:25: error: day "Sat" is not one of mon, tue, wed, thu, fri, sat, sun; did you mean "sat"? [UG004]`}},
		{"day prefix", "  maintenance: [{days: [thurs], start: \"22:00\", end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:25: error: day "thurs" is not one of mon, tue, wed, thu, fri, sat, sun; did you mean "thu"? [UG004]`}},
		{"empty days", "  maintenance: [{days: [], start: \"22:00\", end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:24: error: days is empty [UG004]`}},
		{"unknown zone", "  maintenance: [{start: \"22:00\", end: \"04:00\", timeZone: Europe/Berln}]\n",
			[]string{`.upgradegate.yaml:4:58: error: unknown time zone "Europe/Berln" [UG004]`}},
		{"zone in lower case", "  maintenance: [{start: \"22:00\", end: \"04:00\", timeZone: europe/berlin}]\n",
			[]string{`.upgradegate.yaml:4:58: error: unknown time zone "europe/berlin"; did you mean "Europe/Berlin"? [UG004]`}},
		{"local zone", "  maintenance: [{start: \"22:00\", end: \"04:00\", timeZone: Local}]\n",
			[]string{`.upgradegate.yaml:4:58: error: time zone "Local" depends on the machine: name the zone, like Europe/Berlin or UTC [UG004]`}},
		{"hour out of range", "  maintenance: [{start: \"25:00\", end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:25: error: time of day "25:00" is out of range (00:00 to 23:59, or 24:00 as an end) [UG004]`}},
		{"24:00 as a start", "  maintenance: [{start: \"24:00\", end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:25: error: time of day "24:00" is out of range (00:00 to 23:59, or 24:00 as an end) [UG004]`}},
		{"not a clock", "  maintenance: [{start: 10pm, end: \"04:00\"}]\n",
			[]string{`.upgradegate.yaml:4:25: error: time of day "10pm" is not HH:MM [UG004]`}},
		{"no end", "  maintenance: [{start: \"22:00\"}]\n",
			[]string{`.upgradegate.yaml:4:17: error: spec.maintenance[0].end is missing [UG003]`}},
		{"no time", "  maintenance: [{start: \"22:00\", end: \"22:00\"}]\n",
			[]string{`.upgradegate.yaml:4:39: error: maintenance period ends at 22:00, when it starts: it would last no time [UG004]`}},
		{"freeze ends before it starts", "  freezes: [{start: 2027-01-04, end: 2026-12-18}]\n",
			[]string{`.upgradegate.yaml:4:38: error: freeze ends "2026-12-18", before it starts "2027-01-04" [UG004]`}},
		{"freeze without end", "  freezes: [{start: 2027-01-04}]\n",
			[]string{`.upgradegate.yaml:4:13: error: spec.freezes[0].end is missing [UG003]`}},
		{"freeze with a bad date", "  freezes: [{start: 2027-13-04, end: 2027-12-01}]\n",
			[]string{`.upgradegate.yaml:4:21: error: invalid date "2027-13-04": write YYYY-MM-DD or an RFC 3339 time like 2026-12-01T22:00:00Z [UG004]`}},
		{"overlapping freezes", "  freezes:\n    - {start: 2026-12-18, end: 2027-01-04, reason: year end}\n    - {start: 2027-01-04, end: 2027-01-10}\n",
			[]string{`.upgradegate.yaml:6:7: error: freeze 2027-01-04 to 2027-01-10 UTC overlaps spec.freezes[0] (2026-12-18 to 2027-01-04 UTC ("year end")) [UG004]`}},
		{"bad when", "  approvals: [{when: migration, from: [\"@a\"]}]\n",
			[]string{`.upgradegate.yaml:4:22: error: approvals when "migration" is not one of always, major, migrations, downtime; did you mean "migrations"? [UG004]`}},
		{"bad approver", "  approvals: [{from: [alice]}]\n",
			[]string{`.upgradegate.yaml:4:23: error: approver "alice" is neither @user nor @org/team [UG004]`}},
		{"no approvers", "  approvals: [{when: always}]\n",
			[]string{`.upgradegate.yaml:4:15: error: spec.approvals[0].from is missing [UG003]`}},
		{"count zero", "  approvals: [{from: [\"@a\"], count: 0}]\n",
			[]string{`.upgradegate.yaml:4:37: error: approvals count 0 is less than 1 [UG004]`}},
		{"count out of reach", "  approvals: [{from: [\"@a\", \"@b\"], count: 3}]\n",
			[]string{`.upgradegate.yaml:4:43: error: approvals count 3 can never be met: from names 2 people [UG004]`}},
		{"bad duration", "  outcomeWithin: soon\n",
			[]string{`.upgradegate.yaml:4:18: error: outcomeWithin "soon" is not a positive duration [UG004]`}},
		{"unknown field", "  freeze: []\n",
			[]string{`.upgradegate.yaml:4:3: error: unknown field "freeze" in spec; did you mean "freezes"? [UG002]`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, got := read(t, tt.spec)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("findings (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCountWithTeams(t *testing.T) {
	t.Parallel()
	// a team may hold more people than count: no finding
	s, fs := read(t, "  approvals: [{from: [\"@org/dba\"], count: 3}]\n")
	if len(fs) != 0 || len(s.Approvals) != 1 || s.Approvals[0].Count != 3 {
		t.Fatalf("approvals %+v, findings %q", s.Approvals, fs)
	}
}

func TestReadFile(t *testing.T) {
	t.Parallel()
	for _, text := range []string{"", "# repository root marker\n", "---\n", "kind: ConfigMap\n"} {
		s, fs := Read(File, []byte(text))
		if s != nil || len(fs) != 0 {
			t.Errorf("Read(%q) = %+v, %v; want no settings, no findings", text, s, fs)
		}
	}
	_, fs := Read(File, []byte(head+"  outcomeWithin: 1d\n---\n"+head+"  outcomeWithin: 2d\n"))
	if len(fs) != 1 || fs[0].Rule != rules.UG004 || fs[0].Line != 7 || !strings.Contains(fs[0].Message, "a second kind: Settings document") {
		t.Errorf("second document: %v", fs)
	}
	_, fs = Read(File, []byte("apiVersion: upgradegate/v2\nkind: Settings\n"))
	if len(fs) != 1 || fs[0].Rule != rules.UG004 || !strings.Contains(fs[0].Message, `apiVersion "upgradegate/v2"`) {
		t.Errorf("wrong apiVersion: %v", fs)
	}
	_, fs = Read(File, []byte("kind: Settings\nspec: [\n"))
	if len(fs) != 1 || fs[0].Rule != rules.UG001 {
		t.Errorf("syntax error: %v", fs)
	}
}

func TestMerge(t *testing.T) {
	t.Parallel()
	repo, _ := read(t, "  maintenance: [{start: \"22:00\", end: \"04:00\"}]\n  freezes: [{start: 2026-12-18, end: 2027-01-04}]\n  approvals: [{from: \"@a\"}]\n  outcomeWithin: 3d\n")
	pol, _ := read(t, "  maintenance: [{start: \"01:00\", end: \"02:00\"}, {start: \"03:00\", end: \"05:00\"}]\n  freezes: [{start: 2027-02-01, end: 2027-02-02}]\n  approvals: [{from: \"@b\"}]\n")
	m := Merge(repo, pol)
	if len(m.Maintenance) != 2 || m.Maintenance[0].Start != 60 {
		t.Errorf("a policy's maintenance replaces the repository's: %+v", m.Maintenance)
	}
	if len(m.Freezes) != 2 || len(m.Approvals) != 2 {
		t.Errorf("freezes and approvals are the union: %d freezes, %d approvals", len(m.Freezes), len(m.Approvals))
	}
	if m.OutcomeWithin != 72*time.Hour {
		t.Errorf("outcomeWithin not set by the policy keeps the repository's: %s", m.OutcomeWithin)
	}
	lifted, _ := read(t, "  maintenance: []\n  outcomeWithin: 1d\n")
	if m := Merge(repo, lifted); len(m.Maintenance) != 0 || !m.MaintenanceSet || m.OutcomeWithin != 24*time.Hour || len(m.Freezes) != 1 {
		t.Errorf("an empty maintenance list lifts the repository's periods, outcomeWithin replaces: %+v", m)
	}
	if m := Merge(nil, nil); m.OutcomeWithin != DefaultOutcomeWithin || m.MaintenanceSet {
		t.Errorf("Merge(nil, nil) = %+v", m)
	}
}

func period(t *testing.T, spec string) Period {
	t.Helper()
	s, fs := read(t, "  maintenance: ["+spec+"]\n")
	if len(fs) != 0 || len(s.Maintenance) != 1 {
		t.Fatalf("period %s: %q", spec, fs)
	}
	return s.Maintenance[0]
}

// TestContains covers windows crossing midnight and the nights the clocks
// change in Europe/Berlin: 2026-10-25 (03:00 CEST is 02:00 CET, the night
// is an hour longer) and 2027-03-28 (02:00 CET is 03:00 CEST, an hour shorter).
func TestContains(t *testing.T) {
	t.Parallel()
	berlin := period(t, `{days: [sat], start: "22:00", end: "04:00", timeZone: Europe/Berlin}`)
	utcNight := period(t, `{days: [fri], start: "23:00", end: "01:00"}`)
	for _, tt := range []struct {
		name       string
		p          Period
		start, end string
		want       bool
	}{
		{"inside, summer time", berlin, "2026-09-05T20:00:00Z", "2026-09-06T02:00:00Z", true},
		{"ends after 04:00 CEST", berlin, "2026-09-05T20:00:00Z", "2026-09-06T02:30:00Z", false},
		{"starts before 22:00 CEST", berlin, "2026-09-05T19:30:00Z", "2026-09-05T21:00:00Z", false},
		{"inside, winter time", berlin, "2026-12-05T21:00:00Z", "2026-12-06T03:00:00Z", true},
		{"winter 02:30Z is 03:30 CET", berlin, "2026-12-05T21:00:00Z", "2026-12-06T02:30:00Z", true},
		{"clocks go back: 04:00 CET is 03:00Z", berlin, "2026-10-24T20:00:00Z", "2026-10-25T03:00:00Z", true},
		{"clocks go back: the longer night still ends", berlin, "2026-10-24T20:00:00Z", "2026-10-25T03:30:00Z", false},
		{"clocks go back: 22:00 CEST is 20:00Z", berlin, "2026-10-24T19:30:00Z", "2026-10-24T22:00:00Z", false},
		{"clocks go forward: 04:00 CEST is 02:00Z", berlin, "2027-03-27T21:00:00Z", "2027-03-28T02:00:00Z", true},
		{"clocks go forward: the night is shorter", berlin, "2027-03-27T21:00:00Z", "2027-03-28T02:30:00Z", false},
		{"not on a friday", berlin, "2026-09-04T20:00:00Z", "2026-09-04T21:00:00Z", false},
		{"the sunday morning part of saturday's period", berlin, "2026-09-06T00:00:00Z", "2026-09-06T01:00:00Z", true},
		{"sunday night is not saturday's", berlin, "2026-09-06T20:00:00Z", "2026-09-06T21:00:00Z", false},
		{"crossing midnight UTC", utcNight, "2026-12-04T23:00:00Z", "2026-12-05T01:00:00Z", true},
		{"crossing midnight, too long", utcNight, "2026-12-04T23:00:00Z", "2026-12-05T01:01:00Z", false},
		{"after midnight, the friday's occurrence", utcNight, "2026-12-05T00:10:00Z", "2026-12-05T00:50:00Z", true},
		{"after midnight on saturday's date but thursday night", utcNight, "2026-12-04T00:10:00Z", "2026-12-04T00:50:00Z", false},
		{"two occurrences are not one", utcNight, "2026-12-04T23:00:00Z", "2026-12-11T01:00:00Z", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.p.Contains(mustTime(t, tt.start), mustTime(t, tt.end)); got != tt.want {
				t.Errorf("%s Contains [%s, %s) = %v, want %v", tt.p.Describe(), tt.start, tt.end, got, tt.want)
			}
		})
	}
}

func TestFreezeOverlaps(t *testing.T) {
	t.Parallel()
	s, fs := read(t, "  freezes: [{start: 2026-12-18, end: 2027-01-04, timeZone: America/New_York}]\n")
	if len(fs) != 0 {
		t.Fatal(fs)
	}
	f := s.Freezes[0]
	for _, tt := range []struct {
		start, end string
		want       bool
	}{
		// 2026-12-18 00:00 in New York is 05:00Z
		{"2026-12-18T03:00:00Z", "2026-12-18T05:00:00Z", false}, // ends as the freeze starts: half-open
		{"2026-12-18T03:00:00Z", "2026-12-18T05:00:01Z", true},
		// the last day is included: 2027-01-04 23:59 in New York is 2027-01-05T04:59Z
		{"2027-01-05T04:00:00Z", "2027-01-05T04:30:00Z", true},
		{"2027-01-05T05:00:00Z", "2027-01-05T06:00:00Z", false},
		{"2026-12-01T00:00:00Z", "2027-02-01T00:00:00Z", true}, // around it
	} {
		if got := f.Overlaps(mustTime(t, tt.start), mustTime(t, tt.end)); got != tt.want {
			t.Errorf("freeze %s overlaps [%s, %s) = %v, want %v", f.Describe(), tt.start, tt.end, got, tt.want)
		}
	}
}
