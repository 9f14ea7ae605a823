package report

import (
	"testing"
	"time"
)

func TestFormatWindow(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, tt := range []struct {
		start, end string
		loc        *time.Location
		want       string
	}{
		{"2026-12-01T22:00:00Z", "2026-12-01T23:30:00Z", time.UTC, "2026-12-01 22:00–23:30 UTC"},
		{"2026-12-05T21:00:00Z", "2026-12-06T03:00:00Z", berlin, "2026-12-05 22:00–2026-12-06 04:00 CET (2026-12-05 21:00–2026-12-06 03:00 UTC)"},
		// the night the clocks go back: 22:00 CEST to 04:00 CET
		{"2027-10-30T20:00:00Z", "2027-10-31T03:00:00Z", berlin, "2027-10-30 22:00–2027-10-31 04:00 CEST/CET (2027-10-30 20:00–2027-10-31 03:00 UTC)"},
		{"2027-06-12T21:00:00Z", "2027-06-12T21:00:00Z", berlin, "2027-06-12 23:00 CEST (2027-06-12 21:00 UTC)"},
	} {
		if got := FormatWindow(at(tt.start), at(tt.end), tt.loc); got != tt.want {
			t.Errorf("FormatWindow(%s, %s, %s) = %q, want %q", tt.start, tt.end, tt.loc, got, tt.want)
		}
	}
	w := &Window{Start: at("2026-12-05T21:00:00Z"), End: at("2026-12-06T03:00:00Z"), TimeZone: "Nowhere/Else"}
	if got := w.Local(); got != "2026-12-05 21:00–2026-12-06 03:00 UTC" {
		t.Errorf("a zone that does not load falls back to UTC: %q", got)
	}
}
