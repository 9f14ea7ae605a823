package upgradepath

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// gitlabStops is a GitLab-like required-stop list; 17.1.8 is conditional
// (only instances with large ci_pipeline_messages tables).
func gitlabStops() []Stop {
	s := stops("15.0.5", "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.1.8", "17.3.7", "17.5.5", "17.8.7", "17.11.7")
	s[6].Conditional = "only instances with large ci_pipeline_messages tables"
	return s
}

var gitlabReleases = []string{
	"14.10.5", "15.0.5", "15.1.6", "15.4.6", "15.10.0", "15.11.13",
	"16.0.8", "16.3.9", "16.5.0", "16.7.10", "16.10.0", "16.11.10",
	"17.0.0", "17.1.8", "17.2.0", "17.3.7", "17.4.0", "17.5.5", "17.6.0", "17.8.7", "17.10.0", "17.11.7",
	"18.0.0", "18.1.0",
}

func TestRealistic(t *testing.T) {
	t.Parallel()
	kubernetes := Rules{
		Releases: vs("1.25.0", "1.25.16", "1.26.0", "1.26.3", "1.26.15", "1.27.0", "1.27.16",
			"1.28.0", "1.28.15", "1.29.0", "1.29.2", "1.29.10", "1.30.0", "1.30.6"),
		MaxStep: MaxStep{Major: 0, HasMajor: true, Minor: 1, HasMinor: true},
	}
	nextcloud := Rules{
		Releases: vs("24.0.5", "24.0.12", "25.0.0", "25.0.13", "26.0.0", "26.0.13",
			"27.0.0", "27.1.11", "28.0.0", "28.0.4"),
		MaxStep: MaxStep{Major: 1, HasMajor: true},
	}
	gitlab := Rules{Releases: vs(gitlabReleases...), Stops: gitlabStops()}
	// GitLab's "avoiding required stops" page: from 14.0.12 to 16.1 the
	// stops are 14.3.6, 14.9.5, 14.10.5, 15.0.5, 15.1.6, 15.4.6 and 15.11.11.
	gitlabDoc := Rules{
		Releases: vs("14.0.12", "14.1.8", "14.3.6", "14.6.7", "14.9.5", "14.10.5", "15.0.5", "15.1.6",
			"15.3.5", "15.4.6", "15.9.8", "15.11.11", "16.0.1", "16.1.5"),
		Stops: stops("14.3.6", "14.9.5", "14.10.5", "15.0.5", "15.1.6", "15.4.6", "15.11.11"),
	}
	gitlabDoc.Stops[4].Conditional = "instances with multiple web nodes"
	latestPatch := Rules{Releases: vs(append([]string{"16.3.10", "16.7.11"}, gitlabReleases...)...), Stops: gitlabStops()}

	tests := []struct {
		name     string
		rules    Rules
		from, to string
		want     []string
		noPath   bool
	}{
		{name: "kubernetes: one minor at a time", rules: kubernetes, from: "1.26.3", to: "1.29.2",
			want: []string{"1.27.16", "1.28.15"}},
		{name: "kubernetes: next minor is direct", rules: kubernetes, from: "1.28.0", to: "1.29.2",
			want: []string{}},
		{name: "kubernetes: five minors", rules: kubernetes, from: "1.25.0", to: "1.30.6",
			want: []string{"1.26.15", "1.27.16", "1.28.15", "1.29.10"}},
		{name: "kubernetes: a missing minor has no path", rules: Rules{Releases: vs("1.26.0", "1.28.0"), MaxStep: kubernetes.MaxStep},
			from: "1.26.0", to: "1.28.0", noPath: true},
		{name: "kubernetes: no major change", rules: kubernetes, from: "1.30.6", to: "2.0.0", noPath: true},
		{name: "nextcloud: no major skipped", rules: nextcloud, from: "24.0.12", to: "28.0.4",
			want: []string{"25.0.13", "26.0.13", "27.1.11"}},
		{name: "nextcloud: within a major", rules: nextcloud, from: "24.0.5", to: "24.0.12",
			want: []string{}},
		{name: "nextcloud: next major", rules: nextcloud, from: "27.0.0", to: "28.0.4",
			want: []string{}},
		{name: "gitlab: documented 14.0.12 -> 16.1 path", rules: gitlabDoc, from: "14.0.12", to: "16.1.5",
			want: []string{"14.3.6", "14.9.5", "14.10.5", "15.0.5", "15.1.6", "15.4.6", "15.11.11"}},
		{name: "gitlab: every stop from 14.10", rules: gitlab, from: "14.10.5", to: "18.0.0",
			want: []string{"15.0.5", "15.4.6", "15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.1.8", "17.3.7", "17.5.5", "17.8.7", "17.11.7"}},
		{name: "gitlab: 15.11 to 17.3", rules: gitlab, from: "15.11.13", to: "17.3.7",
			want: []string{"16.3.9", "16.7.10", "16.11.10", "17.1.8"}},
		{name: "gitlab: within 16", rules: gitlab, from: "16.0.8", to: "16.10.0",
			want: []string{"16.3.9", "16.7.10"}},
		{name: "gitlab: to the next stop is direct", rules: gitlab, from: "16.3.9", to: "16.7.10",
			want: []string{}},
		{name: "gitlab: a stop's latest patch is preferred", rules: latestPatch, from: "16.0.8", to: "16.10.0",
			want: []string{"16.3.10", "16.7.11"}},
		{name: "gitlab: without releases, the crossed stops", rules: Rules{Stops: gitlabStops()}, from: "15.11.13", to: "17.5.5",
			want: []string{"16.3.9", "16.7.10", "16.11.10", "17.1.8", "17.3.7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := New(tt.rules)
			got, err := e.Suggest(v(tt.from), v(tt.to))
			if tt.noPath {
				if !errors.Is(err, ErrNoPath) {
					t.Fatalf("Suggest() = %v, %v; want ErrNoPath", originals(got), err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Suggest() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, originals(got)); diff != "" {
				t.Errorf("Suggest() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRealisticValidate(t *testing.T) {
	t.Parallel()
	gitlab := New(Rules{Releases: vs(gitlabReleases...), Stops: gitlabStops()})
	cond := gitlabStops()[6]
	got := gitlab.Validate(v("16.11.10"), v("17.3.7"), nil)
	want := []Violation{{Hop: 0, From: v("16.11.10"), To: v("17.3.7"), Kind: Crossed, Stop: &cond}}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("gitlab Validate() mismatch (-want +got):\n%s", diff)
	}

	k8s := New(Rules{MaxStep: MaxStep{Major: 0, HasMajor: true, Minor: 1, HasMinor: true}})
	got = k8s.Validate(v("1.26.3"), v("1.29.2"), vs("1.27.16"))
	want = []Violation{{Hop: 1, From: v("1.27.16"), To: v("1.29.2"), Kind: ExceedsMaxStep, Detail: "raises the minor by 2, maxStep.minor is 1"}}
	if diff := cmp.Diff(want, got, cmpOpts); diff != "" {
		t.Errorf("kubernetes Validate() mismatch (-want +got):\n%s", diff)
	}
}
