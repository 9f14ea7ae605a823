package upgradepath

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	version "github.com/hashicorp/go-version"
)

func TestSuggest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		rules    Rules
		from, to string
		want     []string // as written in the releases (or stops)
		wantErr  string   // substring of an ErrNoPath error
	}{
		{
			name:  "required stop: land on its series, latest patch",
			rules: Rules{Releases: vs("1.0.0", "1.2.0", "1.3.0", "1.3.2", "1.5.0", "2.0.0"), Stops: stops("1.3.0")},
			from:  "1.0.0", to: "2.0.0",
			want: []string{"1.3.2"},
		},
		{
			name: "conditional stop is honoured",
			rules: Rules{Releases: vs("1.0.0", "1.3.0", "1.5.0", "2.0.0"),
				Stops: []Stop{{Version: v("1.3.0"), Raw: "1.3.0", Conditional: "large tables"}}},
			from: "1.0.0", to: "2.0.0",
			want: []string{"1.3.0"},
		},
		{
			name:  "two stops in order",
			rules: Rules{Releases: vs("1.0.0", "1.3.0", "1.3.4", "1.4.0", "1.7.0", "1.7.1", "1.8.0", "2.0.0"), Stops: stops("1.7.0", "1.3.0")},
			from:  "1.0.0", to: "2.0.0",
			want: []string{"1.3.4", "1.7.1"},
		},
		{
			name:  "stop in the target's series is not crossed",
			rules: Rules{Releases: vs("1.0.0", "1.3.0", "1.3.5"), Stops: stops("1.3.0")},
			from:  "1.0.0", to: "1.3.5",
			want: []string{},
		},
		{
			name:  "maxStep major only",
			rules: Rules{Releases: vs("1.0.0", "1.9.0", "2.0.0", "2.5.0", "3.0.0", "3.1.0", "4.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true}},
			from:  "1.0.0", to: "4.0.0",
			want: []string{"2.5.0", "3.1.0"},
		},
		{
			name:  "maxStep minor only",
			rules: Rules{Releases: vs("1.0.0", "1.1.0", "1.2.0", "1.2.3", "1.3.0", "1.4.0", "1.4.1", "1.5.0", "1.6.0"), MaxStep: MaxStep{Minor: 2, HasMinor: true}},
			from:  "1.0.0", to: "1.6.0",
			want: []string{"1.2.3", "1.4.1"},
		},
		{
			name:  "maxStep minor only: a major change is unconstrained",
			rules: Rules{Releases: vs("1.0.0", "1.5.0", "2.7.0"), MaxStep: MaxStep{Minor: 1, HasMinor: true}},
			from:  "1.0.0", to: "2.7.0",
			want: []string{},
		},
		{
			name:  "maxStep both: 1.5 -> 2.9 is one hop",
			rules: Rules{Releases: vs("1.5.0", "1.6.0", "2.0.0", "2.9.0"), MaxStep: MaxStep{Major: 1, HasMajor: true, Minor: 1, HasMinor: true}},
			from:  "1.5.0", to: "2.9.0",
			want: []string{},
		},
		{
			name:  "maxStep both: 1.5 -> 1.7 needs 1.6",
			rules: Rules{Releases: vs("1.5.0", "1.6.0", "1.6.4", "1.7.0"), MaxStep: MaxStep{Major: 1, HasMajor: true, Minor: 1, HasMinor: true}},
			from:  "1.5.0", to: "1.7.0",
			want: []string{"1.6.4"},
		},
		{
			name: "blocked hop is routed around",
			rules: Rules{Releases: vs("4.10.3", "4.10.16", "4.10.20", "4.11.0", "4.11.2"),
				Blocked: []Blocked{block(">= 4.10.0, < 4.10.16", ">= 4.11.0", 0)}},
			from: "4.10.3", to: "4.11.2",
			want: []string{"4.10.20"},
		},
		{
			name: "blocked entries only block their own pairs",
			rules: Rules{Releases: vs("1.0.0", "1.1.0", "1.2.0", "1.3.0"),
				Blocked: []Blocked{block("= 1.0.0", ">= 1.2.0", 0), block("= 1.1.0", "= 1.3.0", 1)}},
			from: "1.0.0", to: "1.3.0",
			want: []string{"1.1.0", "1.2.0"},
		},
		{
			name:  "no path: maxStep and too few releases",
			rules: Rules{Releases: vs("1.0.0", "1.5.0", "3.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true}},
			from:  "1.0.0", to: "3.0.0",
			wantErr: `no legal upgrade path from "1.0.0" to "3.0.0": hop "1.0.0" -> "3.0.0" exceeds maxStep: raises the major by 2, maxStep.major is 1; the highest release reachable from "1.0.0" is "1.5.0", and hop "1.5.0" -> "3.0.0" exceeds maxStep: raises the major by 2, maxStep.major is 1; no release between them reaches "3.0.0"`,
		},
		{
			name:  "no path: stop is not a release",
			rules: Rules{Releases: vs("1.0.0", "1.2.0", "1.4.0", "2.0.0"), Stops: stops("1.3.0")},
			from:  "1.0.0", to: "2.0.0",
			wantErr: `the highest release reachable from "1.0.0" is "1.2.0", and hop "1.2.0" -> "1.4.0" skips required stop "1.3.0"; the lowest release that reaches "2.0.0" is "1.4.0"`,
		},
		{
			name: "no path: a blocked hop names its reason",
			rules: Rules{Releases: vs("1.0.0", "2.0.0", "3.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true},
				Blocked: []Blocked{blockWhy(">= 2.0.0, < 3", ">= 3.0.0", "schema v7 needs 2.5", 0)}},
			from: "1.0.0", to: "3.0.0",
			wantErr: `no legal upgrade path from "1.0.0" to "3.0.0": hop "1.0.0" -> "3.0.0" exceeds maxStep: raises the major by 2, maxStep.major is 1; the highest release reachable from "1.0.0" is "2.0.0", and hop "2.0.0" -> "3.0.0" is blocked (from ">= 2.0.0, < 3" to ">= 3.0.0"): schema v7 needs 2.5; no release between them reaches "3.0.0"`,
		},
		{
			name: "no path: a blocked hop without a reason",
			rules: Rules{Releases: vs("1.0.0", "2.0.0", "3.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true},
				Blocked: []Blocked{block(">= 2.0.0, < 3", ">= 3.0.0", 0)}},
			from: "1.0.0", to: "3.0.0",
			wantErr: `no legal upgrade path from "1.0.0" to "3.0.0": hop "1.0.0" -> "3.0.0" exceeds maxStep: raises the major by 2, maxStep.major is 1; the highest release reachable from "1.0.0" is "2.0.0", and hop "2.0.0" -> "3.0.0" is blocked (from ">= 2.0.0, < 3" to ">= 3.0.0"); no release between them reaches "3.0.0"`,
		},
		{
			name:  "no path: nothing reachable, the first hop skips a stop",
			rules: Rules{Releases: vs("1.0.0", "1.4.0", "2.0.0"), Stops: stops("1.3.0")},
			from:  "1.0.0", to: "2.0.0",
			wantErr: `no legal upgrade path from "1.0.0" to "2.0.0": hop "1.0.0" -> "2.0.0" skips required stop "1.3.0"; no release between them is reachable from "1.0.0", and hop "1.0.0" -> "1.4.0" skips required stop "1.3.0"; the lowest release that reaches "2.0.0" is "1.4.0"`,
		},
		{
			// the direct hop is the one blocked, and the target just
			// above the blocked range is the fix
			name: "no path: the direct hop is blocked, a later target is not",
			rules: Rules{Releases: vs("18.1.3", "18.2.0", "18.2.5", "18.2.6", "18.3.0"),
				Blocked: []Blocked{block(">= 18.1.0, < 18.2.0", ">= 18.2.0, < 18.2.6", 0)}},
			from: "18.1.3", to: "18.2.5",
			wantErr: `no legal upgrade path from "18.1.3" to "18.2.5": hop "18.1.3" -> "18.2.5" is blocked (from ">= 18.1.0, < 18.2.0" to ">= 18.2.0, < 18.2.6"); ` +
				`no release between them is reachable from "18.1.3", and hop "18.1.3" -> "18.2.0" is blocked (from ">= 18.1.0, < 18.2.0" to ">= 18.2.0, < 18.2.6"); ` +
				`the lowest release that reaches "18.2.5" is "18.2.0"; the lowest release above "18.2.5" that "18.1.3" reaches is "18.2.6"`,
		},
		{
			name:  "no path: nothing between",
			rules: Rules{Releases: vs("1.0.0", "3.0.0"), MaxStep: MaxStep{Major: 1, HasMajor: true}},
			from:  "1.0.0", to: "3.0.0",
			wantErr: "the direct hop is not legal and no release lies between them",
		},
		{
			name:  "from equal to a stop",
			rules: Rules{Releases: vs("1.0.0", "1.3.0", "2.0.0"), Stops: stops("1.3.0")},
			from:  "1.3.0", to: "2.0.0",
			want: []string{},
		},
		{
			name:  "to equal to a stop",
			rules: Rules{Releases: vs("1.0.0", "1.3.0", "2.0.0"), Stops: stops("1.3.0")},
			from:  "1.0.0", to: "1.3.0",
			want: []string{},
		},
		{
			name:  "from and to not among releases",
			rules: Rules{Releases: vs("1.1.0", "1.3.0", "1.3.5", "2.1.0"), Stops: stops("1.3.0")},
			from:  "1.0.5", to: "2.0.1",
			want: []string{"1.3.5"},
		},
		{
			name:  "pre-release below the stop does not satisfy it",
			rules: Rules{Releases: vs("1.1.0", "1.2.0-rc1", "1.2.0", "1.3.0-rc1", "1.4.0"), Stops: stops("1.2.0")},
			from:  "1.1.0", to: "1.4.0",
			want: []string{"1.2.0"},
		},
		{
			name:  "pre-release target is in its series",
			rules: Rules{Releases: vs("1.1.0", "1.2.0-rc1", "1.2.0", "1.3.0-rc1"), Stops: stops("1.2.0")},
			from:  "1.1.0", to: "1.3.0-rc1",
			want: []string{"1.2.0"},
		},
		{
			name:  "pre-release stop",
			rules: Rules{Releases: vs("1.0.0", "2.0.0-rc1", "2.0.0", "2.1.0"), Stops: stops("2.0.0-rc1")},
			from:  "1.9.0", to: "2.1.0",
			want: []string{"2.0.0"},
		},
		{
			name:  "duplicate releases: the first spelling is kept",
			rules: Rules{Releases: vs("1.0.0", "1.3", "1.3.0", "v1.3.0", "2.0.0", "2.0"), Stops: stops("1.3.0")},
			from:  "1.0.0", to: "2.0.0",
			want: []string{"1.3"},
		},
		{
			name:  "releases outside [from, to] are ignored",
			rules: Rules{Releases: vs("0.9.0", "1.0", "1.0.0", "1.3.0", "2.0.0", "2.5.0"), Stops: stops("1.3.0", "2.2.0")},
			from:  "1.0.0", to: "2.0.0",
			want: []string{"1.3.0"},
		},
		{
			name:  "direct hop legal",
			rules: Rules{Releases: vs("1.0.0", "1.1.0", "2.0.0"), Stops: stops("2.0.0")},
			from:  "1.0.0", to: "2.0.0",
			want: []string{},
		},
		{
			name:  "from equals to",
			rules: Rules{Releases: vs("1.0.0"), Blocked: []Blocked{block(">= 0", ">= 0", 0)}},
			from:  "1.0", to: "1.0.0",
			want: []string{},
		},
		{
			name:  "downgrade: the direct hop is legal",
			rules: Rules{Releases: vs("1.0.0", "1.5.0", "2.0.0"), Stops: stops("1.5.0")},
			from:  "2.0.0", to: "1.0.0",
			want: []string{},
		},
		{
			name:  "downgrade: blocked",
			rules: Rules{Releases: vs("1.0.0", "1.5.0", "2.0.0"), Blocked: []Blocked{block(">= 2.0.0", "< 2.0.0", 0)}},
			from:  "2.0.0", to: "1.0.0",
			wantErr: "the target is below the start and the direct hop is not legal",
		},
		{
			name: "no releases: the crossed stops",
			rules: Rules{Stops: append(stops("2.1.0", "1.3.0", "1.5", "0.9.0", "2.3.0", "2.4.0"),
				Stop{Version: v("1.5.0"), Raw: "1.5.0", Conditional: "large tables", Index: 6})},
			from: "1.0.0", to: "2.3.1",
			want: []string{"1.3.0", "1.5", "2.1.0"},
		},
		{
			name:  "no releases and no crossed stop",
			rules: Rules{Stops: stops("1.3.0"), MaxStep: MaxStep{Major: 1, HasMajor: true}},
			from:  "1.3.0", to: "2.0.0",
			want: []string{},
		},
		{
			name:  "no releases and the direct hop breaks maxStep",
			rules: Rules{Stops: stops("1.3.0"), MaxStep: MaxStep{Major: 0, HasMajor: true}},
			from:  "1.3.0", to: "2.0.0",
			wantErr: "the policy lists no releases, and the direct hop breaks its rules",
		},
		{
			name:  "no releases and the direct hop is blocked, with its reason",
			rules: Rules{Blocked: []Blocked{blockWhy("< 2", ">= 2", "reindex first", 0)}},
			from:  "1.0.0", to: "2.0.0",
			wantErr: `no legal upgrade path from "1.0.0" to "2.0.0": the policy lists no releases, and the direct hop breaks its rules (hop "1.0.0" -> "2.0.0" is blocked (from "< 2" to ">= 2"): reindex first): list the releases so that intermediate stops can be chosen`,
		},
		{
			name:  "no releases and the route through the stops breaks maxStep",
			rules: Rules{Stops: stops("1.3.2"), MaxStep: MaxStep{Minor: 1, HasMinor: true}},
			from:  "1.0.0", to: "1.5.0",
			wantErr: "the route through the required stops breaks its rules (hop \"1.0.0\" -> \"1.3.2\" exceeds maxStep",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := New(tt.rules)
			got, err := e.Suggest(v(tt.from), v(tt.to))
			if tt.wantErr != "" {
				if !errors.Is(err, ErrNoPath) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Suggest() error = %v, want ErrNoPath containing %q", err, tt.wantErr)
				}
				if got != nil {
					t.Errorf("Suggest() = %v with an error, want nil", originals(got))
				}
				return
			}
			if err != nil {
				t.Fatalf("Suggest() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, originals(got)); diff != "" {
				t.Errorf("Suggest() mismatch (-want +got):\n%s", diff)
			}
			if e.HasReleases() && !v(tt.from).Equal(v(tt.to)) && len(e.Validate(v(tt.from), v(tt.to), got)) != 0 {
				t.Errorf("Suggest() = %v, which Validate rejects: %v", originals(got), e.Validate(v(tt.from), v(tt.to), got))
			}
		})
	}
}

func TestSuggestNilVersions(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs("1.0.0")})
	if _, err := e.Suggest(nil, v("1.0.0")); err == nil || errors.Is(err, ErrNoPath) {
		t.Errorf("Suggest(nil, 1.0.0) error = %v, want a non-ErrNoPath error", err)
	}
}

func TestValidate(t *testing.T) {
	t.Parallel()
	cond := Stop{Version: v("1.7.0"), Raw: "1.7.0", Conditional: "large tables", Index: 1}
	blockedTo2 := block(">= 1.4.0", "= 2.0.0", 0)
	rules := Rules{
		Stops:   []Stop{{Version: v("1.3.0"), Raw: "1.3.0", Index: 0}, cond, {Version: v("1.3"), Raw: "1.3", Index: 2}},
		MaxStep: MaxStep{Minor: 2, HasMinor: true, Major: 1, HasMajor: true},
		Blocked: []Blocked{blockedTo2, block("< 1.0.0", ">= 0", 1)},
	}
	s13, s13b := rules.Stops[0], rules.Stops[2]
	tests := []struct {
		name     string
		from, to string
		stops    []string
		want     []Violation
	}{
		{
			name: "every violation of every hop, in hop order",
			from: "1.0.0", to: "2.0.0", stops: []string{"1.4.0"},
			want: []Violation{
				{Hop: 0, From: v("1.0.0"), To: v("1.4.0"), Kind: Crossed, Stop: &s13},
				{Hop: 0, From: v("1.0.0"), To: v("1.4.0"), Kind: Crossed, Stop: &s13b},
				{Hop: 0, From: v("1.0.0"), To: v("1.4.0"), Kind: ExceedsMaxStep, Detail: "raises the minor by 4, maxStep.minor is 2"},
				{Hop: 1, From: v("1.4.0"), To: v("2.0.0"), Kind: Crossed, Stop: &cond},
				{Hop: 1, From: v("1.4.0"), To: v("2.0.0"), Kind: IsBlocked, Blocked: &blockedTo2},
			},
		},
		{
			name: "major step",
			from: "1.3.0", to: "3.0.0",
			want: []Violation{
				{Hop: 0, From: v("1.3.0"), To: v("3.0.0"), Kind: Crossed, Stop: &cond},
				{Hop: 0, From: v("1.3.0"), To: v("3.0.0"), Kind: ExceedsMaxStep, Detail: "raises the major by 2, maxStep.major is 1"},
			},
		},
		{
			name: "a legal path",
			from: "1.2.0", to: "2.0.1", stops: []string{"1.3.0", "1.5.0", "1.7.0"},
		},
		{
			name: "pre-release of a stop is below it",
			from: "1.7.0-rc1", to: "1.8.0",
			want: []Violation{{Hop: 0, From: v("1.7.0-rc1"), To: v("1.8.0"), Kind: Crossed, Stop: &cond}},
		},
	}
	e := New(rules)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var path []*version.Version
			for _, s := range tt.stops {
				path = append(path, v(s))
			}
			got := e.Validate(v(tt.from), v(tt.to), path)
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("Validate() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidateCopies(t *testing.T) {
	t.Parallel()
	e := New(Rules{Stops: stops("1.3.0"), Blocked: []Blocked{block(">= 1.0.0", ">= 2.0.0", 0)}})
	vio := e.Validate(v("1.0.0"), v("2.0.0"), nil)
	if len(vio) != 2 {
		t.Fatalf("Validate() = %v, want 2 violations", vio)
	}
	vio[0].Stop.Raw = "changed"
	vio[1].Blocked.Reason = "changed"
	again := e.Validate(v("1.0.0"), v("2.0.0"), nil)
	if again[0].Stop.Raw != "1.3.0" || again[1].Blocked.Reason != "" {
		t.Errorf("changing a violation changed the engine: %+v", again)
	}
}

func TestReleases(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: []*version.Version{v("1.2"), nil, v("1.3.0-rc1")}})
	for _, tt := range []struct {
		v    *version.Version
		want bool
	}{{v("1.2.0"), true}, {v("v1.2"), true}, {v("1.3.0-rc1"), true}, {v("1.3.0"), false}, {v("1.2.1"), false}, {nil, false}} {
		if got := e.IsRelease(tt.v); got != tt.want {
			t.Errorf("IsRelease(%v) = %v, want %v", tt.v, got, tt.want)
		}
	}
	if !e.HasReleases() {
		t.Error("HasReleases() = false, want true")
	}
	if New(Rules{Releases: []*version.Version{nil}}).HasReleases() {
		t.Error("HasReleases() with only nil releases = true, want false")
	}
}

func TestViolationKindString(t *testing.T) {
	t.Parallel()
	got := []string{Crossed.String(), ExceedsMaxStep.String(), IsBlocked.String(), ViolationKind(0).String()}
	want := []string{"crossed", "exceeds-max-step", "blocked", "ViolationKind(0)"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("String() mismatch (-want +got):\n%s", diff)
	}
}

// TestNewCopies checks that New does not keep or reorder the caller's slices.
func TestNewCopies(t *testing.T) {
	t.Parallel()
	r := Rules{Releases: vs("2.0.0", "1.0.0", "1.3.0"), Stops: stops("1.3.0"), Blocked: []Blocked{block(">= 9", ">= 9", 1), block(">= 9", ">= 9", 0)}}
	e := New(r)
	if diff := cmp.Diff([]string{"2.0.0", "1.0.0", "1.3.0"}, originals(r.Releases)); diff != "" {
		t.Errorf("New reordered the releases (-want +got):\n%s", diff)
	}
	if r.Blocked[0].Index != 1 {
		t.Error("New reordered the blocked entries")
	}
	r.Releases[2] = v("1.4.0")
	r.Stops[0].Version = v("1.1.0")
	got, err := e.Suggest(v("1.0.0"), v("2.0.0"))
	if err != nil || len(got) != 1 || got[0].Original() != "1.3.0" {
		t.Errorf("Suggest() after changing the rules = %v, %v; want [1.3.0]", originals(got), err)
	}
}

// TestReachableAbove: the nearest other target is the lowest release above
// to that a legal path reaches, pre-releases left out; nil when none of
// them is reached, or without from or to.
func TestReachableAbove(t *testing.T) {
	t.Parallel()
	e := New(Rules{Releases: vs("18.1.3", "18.2.0", "18.2.5", "18.2.6-rc1", "18.2.6", "18.3.0"),
		Blocked: []Blocked{block(">= 18.1.0, < 18.2.0", ">= 18.2.0, < 18.2.6", 0)}})
	if got := e.ReachableAbove(v("18.1.3"), v("18.2.5")); got == nil || got.Original() != "18.2.6" {
		t.Errorf("ReachableAbove(18.1.3, 18.2.5) = %v, want 18.2.6", got)
	}
	if got := e.ReachableAbove(v("18.1.3"), v("18.3.0")); got != nil {
		t.Errorf("ReachableAbove above the last release = %v, want nil", got)
	}
	if got := e.ReachableAbove(nil, v("18.2.5")); got != nil {
		t.Errorf("ReachableAbove(nil, …) = %v, want nil", got)
	}
	blockedAll := New(Rules{Releases: vs("1.0.0", "2.0.0", "3.0.0"), Blocked: []Blocked{block("= 1.0.0", ">= 2.0.0", 0)}})
	if got := blockedAll.ReachableAbove(v("1.0.0"), v("2.0.0")); got != nil {
		t.Errorf("ReachableAbove with every later hop blocked = %v, want nil", got)
	}
}
