package settings

import (
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

// FuzzRead feeds arbitrary bytes to the Settings reader: it must never
// panic, every finding has a position, and every period it accepts answers
// Contains for any window.
func FuzzRead(f *testing.F) {
	f.Add([]byte(head + "  maintenance: [{days: [sat, sun], start: \"22:00\", end: \"04:00\", timeZone: Europe/Berlin}]\n"))
	f.Add([]byte(head + "  freezes: [{start: 2026-12-18, end: 2027-01-04, timeZone: America/New_York}]\n"))
	f.Add([]byte(head + "  approvals: [{when: major, from: [\"@a\", \"@o/t\"], count: 2}]\n  outcomeWithin: 7d\n"))
	f.Add([]byte(head + "  maintenance: [{days: Sat, start: \"24:00\", end: \"24:00\", timeZone: Local}]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, fs := Read(File, data)
		for _, f := range fs {
			if f.Line < 1 || f.Column < 1 || f.Rule == (rules.ID{}) || f.Message == "" {
				t.Fatalf("finding without position or text: %+v", f)
			}
		}
		if s == nil {
			return
		}
		w := time.Date(2026, 10, 24, 23, 30, 0, 0, time.UTC)
		for i := range s.Maintenance {
			p := &s.Maintenance[i]
			p.Contains(w, w.Add(90*time.Minute))
			if st, en, ok := p.Occurrence(w); ok && !en.After(st) {
				t.Fatalf("%s: occurrence [%s, %s) is empty", p.Describe(), st, en)
			}
		}
	})
}
