package upgradepath

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestIsSeries(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]bool{
		"17.3": true, "v4.16": true, " 17.3 ": true, "0.0": true,
		"17.3.0": false, "17": false, "17.": false, ".3": false, "17.3-rc1": false,
		"17.3+meta": false, "v": false, "": false, "1.x": false,
	} {
		if got := IsSeries(raw); got != want {
			t.Errorf("IsSeries(%q) = %v, want %v", raw, got, want)
		}
	}
}

func seriesStop(raw string, index int, conditional string) Stop {
	return Stop{Version: v(raw), Raw: raw, Series: true, Index: index, Conditional: conditional}
}

func TestMergeStops(t *testing.T) {
	t.Parallel()
	exact := Stop{Version: v("17.3.7"), Raw: "17.3.7", Index: 0, Conditional: "large tables"}
	tests := []struct {
		name  string
		stops []Stop
		want  []Stop
	}{
		{
			name:  "an exact stop refines its series, and a required series makes it required",
			stops: []Stop{seriesStop("17.3", 1, ""), exact, seriesStop("17.5", 2, "")},
			want:  []Stop{{Version: v("17.3.7"), Raw: "17.3.7", Index: 0}, seriesStop("17.5", 2, "")},
		},
		{
			name:  "a conditional series leaves the exact stop's condition",
			stops: []Stop{seriesStop("17.3", 1, "only some"), exact},
			want:  []Stop{exact},
		},
		{
			name:  "two series stops of one series are one, the first by index",
			stops: []Stop{seriesStop("17.3", 4, "cond b"), seriesStop("v17.3", 2, "cond a"), seriesStop("17.3", 3, "")},
			want:  []Stop{seriesStop("v17.3", 2, "")},
		},
		{
			name:  "other series and exact stops stay apart",
			stops: []Stop{seriesStop("17.3", 0, ""), {Version: v("17.4.1"), Raw: "17.4.1", Index: 1}, {Version: v("17.4.2"), Raw: "17.4.2", Index: 2}},
			want:  []Stop{seriesStop("17.3", 0, ""), {Version: v("17.4.1"), Raw: "17.4.1", Index: 1}, {Version: v("17.4.2"), Raw: "17.4.2", Index: 2}},
		},
		{
			name:  "stops without a version are left out",
			stops: []Stop{{Raw: "x"}, seriesStop("1.2", 1, "")},
			want:  []Stop{seriesStop("1.2", 1, "")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			before := append([]Stop(nil), tt.stops...)
			got := MergeStops(tt.stops)
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("MergeStops() mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(before, tt.stops, cmpOpts); diff != "" {
				t.Errorf("MergeStops changed its input:\n%s", diff)
			}
		})
	}
}

// TestSeriesStops: any release of the series satisfies a series stop, the
// suggestion takes the series' latest release, and without releases it
// names the series as written.
func TestSeriesStops(t *testing.T) {
	t.Parallel()
	rel := vs("17.1.0", "17.2.4", "17.3.0-rc1", "17.3.0", "17.3.2", "17.3.7", "17.4.1", "17.5.0")
	e := New(Rules{Releases: rel, Stops: []Stop{seriesStop("17.3", 0, "")}})
	got, err := e.Suggest(v("17.1.0"), v("17.5.0"))
	if err != nil || cmp.Diff([]string{"17.3.7"}, originals(got)) != "" {
		t.Errorf("Suggest() = %v, %v; want [17.3.7]", originals(got), err)
	}
	for _, tc := range []struct {
		path []string
		want int // violations
	}{
		{[]string{"17.3.0"}, 0}, {[]string{"17.3.2"}, 0}, {[]string{"17.2.4", "17.3.7"}, 0},
		{[]string{"17.3.0-rc1"}, 1}, // before the series' first release
		{nil, 1}, {[]string{"17.2.4"}, 1},
	} {
		if got := e.Validate(v("17.1.0"), v("17.5.0"), vs(tc.path...)); len(got) != tc.want {
			t.Errorf("Validate(17.1.0, %v, 17.5.0) = %v, want %d violations", tc.path, got, tc.want)
		}
	}
	// from inside the series: nothing to cross
	if got := e.Validate(v("17.3.2"), v("17.5.0"), nil); len(got) != 0 {
		t.Errorf("Validate(17.3.2 -> 17.5.0) = %v, want none", got)
	}

	bare := New(Rules{Stops: []Stop{seriesStop("17.3", 0, ""), seriesStop("16.11", 1, "")}})
	got, err = bare.Suggest(v("16.3.2"), v("17.5.0"))
	if err != nil || cmp.Diff([]string{"16.11", "17.3"}, originals(got)) != "" {
		t.Errorf("Suggest() without releases = %v, %v; want the series as written [16.11 17.3]", originals(got), err)
	}

	// an imported series and a hand-written exact stop: one violation
	both := New(Rules{Stops: []Stop{seriesStop("17.3", 1, ""), {Version: v("17.3.7"), Raw: "17.3.7", Index: 0}}})
	vio := both.Validate(v("17.1.0"), v("17.5.0"), nil)
	if len(vio) != 1 || vio[0].Stop.Raw != "17.3.7" {
		t.Errorf("Validate() = %v, want one violation, of the exact stop 17.3.7", vio)
	}
	if vio := both.Validate(v("17.1.0"), v("17.5.0"), vs("17.3.2")); len(vio) != 1 {
		t.Errorf("Validate(via 17.3.2) = %v, want the exact stop 17.3.7 crossed", vio)
	}
}
