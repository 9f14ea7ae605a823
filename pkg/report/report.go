// Package report holds the result of a run and the printers that write it:
// every output format is a printer over the same Report.
package report

import (
	"fmt"
	"sort"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// Report is the result of one run of the gate.
type Report struct {
	Summary   Summary           `json:"summary"`
	Manifests []Manifest        `json:"manifests"`
	Findings  []finding.Finding `json:"findings"`

	// Exceptions lists every exception the run saw, used or not, for the
	// reports that show expiring exceptions.
	Exceptions []Exception `json:"-"`
	// FailOn is the least severity that fails the run.
	FailOn finding.Severity `json:"-"`
	// NotConcerned counts the manifests that changed-only selection left
	// out: found, but neither they nor a file they depend on changed.
	NotConcerned int `json:"-"`
	// Plan is the run's plan (manifest v1 section 8): the manifests in
	// order, of every group linked by after or a chain that holds a checked
	// manifest. The Markdown report shows it when it has more than one step.
	Plan []PlanStep `json:"-"`
	// Deployed is what the repository deploys (manifest v1 section 6), per
	// component the run concerns whose policy has spec.deployed locations.
	Deployed []Deployed `json:"deployed,omitempty"`
}

// Deployed is what a component's locations found: the version each
// environment deploys (where every match agrees) and where it is written.
type Deployed struct {
	Component    string                `json:"component"`
	Policy       string                `json:"policy"`
	Environments []DeployedEnvironment `json:"environments"`
}

// DeployedEnvironment is one environment's version and its first match.
type DeployedEnvironment struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
}

// PlanStep is one manifest of the plan, in order.
type PlanStep struct {
	Name      string   `json:"name"`
	File      string   `json:"file"`
	Line      int      `json:"line"`
	Component string   `json:"component"`
	From      string   `json:"from"`
	To        string   `json:"to"`
	Route     []string `json:"route"`
	// After names the manifests ordered directly before it: those its
	// spec.after names and the one before it in its component's chain.
	After []string `json:"after"`
	// Environment is the environment when the step starts: what the steps
	// before it leave, and what it declares.
	Environment map[string]string `json:"environment"`
	// Done is true for a manifest that records an outcome or whose `to`
	// the repository already deploys.
	Done bool `json:"done"`
}

// Summary counts the findings that are not suppressed.
type Summary struct {
	Manifests  int    `json:"manifests"`
	Errors     int    `json:"errors"`
	Warnings   int    `json:"warnings"`
	Notices    int    `json:"notices"`
	Suppressed int    `json:"suppressed"`
	Result     string `json:"result"` // "pass" or "fail"
}

// Manifest summarises one upgrade manifest.
type Manifest struct {
	File          string   `json:"file"`
	Component     string   `json:"component"`
	From          string   `json:"from"`
	To            string   `json:"to"`
	Path          []string `json:"path"`          // declared stops; [] when none
	SuggestedPath []string `json:"suggestedPath"` // null when no suggestion could be made
	// SuggestedWhy says why each stop of SuggestedPath is there ("required
	// stop", "maxStep: …", "avoids a blocked hop …"; "" for none), for the
	// reports that draw the route.
	SuggestedWhy []string `json:"-"`
	// PathWhy is SuggestedWhy for the declared path.
	PathWhy []string `json:"-"`
	// Window is spec.impact.window, with the time zone of the maintenance
	// period it falls in (or the first one); nil without a usable window.
	Window *Window `json:"-"`

	Name string `json:"-"` // metadata.name
	Line int    `json:"-"` // line of the document's first node
	// Owner is spec.owner, ReviewOwner spec.review.owner (or spec.owner):
	// who owns what is due, for the audit's tracking issue.
	Owner, ReviewOwner string `json:"-"`
	// DueSince is when the earliest of the audit's findings about the
	// manifest became due (the window's end plus outcomeWithin, the
	// review's due date); zero when no check set it.
	DueSince time.Time `json:"-"`
}

// Window is an upgrade's window [Start, End), shown on the wall clock of
// TimeZone (an IANA name; "UTC" when no maintenance period applies) and in UTC.
type Window struct {
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	TimeZone string    `json:"timeZone"`
}

// Local formats the window on its zone's wall clock and in UTC:
// "2026-12-05 22:00–04:00 CET (21:00–03:00 UTC)"; in UTC alone when its
// zone is UTC (or does not load).
func (w *Window) Local() string {
	loc, err := time.LoadLocation(w.TimeZone)
	if err != nil || w.TimeZone == "" {
		loc = time.UTC
	}
	return FormatWindow(w.Start, w.End, loc)
}

// FormatWindow formats [start, end) on loc's wall clock and in UTC.
func FormatWindow(start, end time.Time, loc *time.Location) string {
	span := func(a, b time.Time) string {
		if a.Equal(b) {
			return a.Format("2006-01-02 15:04")
		}
		layout := "15:04"
		if a.YearDay() != b.YearDay() || a.Year() != b.Year() {
			layout = "2006-01-02 15:04"
		}
		return a.Format("2006-01-02 15:04") + "–" + b.Format(layout)
	}
	su, eu := start.UTC(), end.UTC()
	if loc == nil || loc.String() == "UTC" {
		return span(su, eu) + " UTC"
	}
	s, e := start.In(loc), end.In(loc)
	zone := s.Format("MST")
	if ez := e.Format("MST"); ez != zone {
		zone += "/" + ez
	}
	return fmt.Sprintf("%s %s (%s UTC)", span(s, e), zone, span(su, eu))
}

// Exception is one exception from a manifest or a policy.
type Exception struct {
	File       string
	Line       int
	Column     int
	Rule       string
	Match      string
	Reason     string
	ApprovedBy string
	Expires    time.Time // zero when missing or invalid
	Expired    bool
	Used       int // findings it suppressed
}

// Result values.
const (
	Pass = "pass"
	Fail = "fail"
)

// New builds a report: it sorts and de-duplicates the findings, sorts the
// manifests by file and line, and computes the summary against failOn
// (finding.Off means never fail).
func New(manifests []Manifest, findings []finding.Finding, exceptions []Exception, failOn finding.Severity) *Report {
	r := &Report{Manifests: manifests, Findings: finding.Sort(findings), Exceptions: exceptions, FailOn: failOn}
	if r.Manifests == nil {
		r.Manifests = []Manifest{}
	}
	if r.Findings == nil {
		r.Findings = []finding.Finding{}
	}
	for i := range r.Manifests {
		if r.Manifests[i].Path == nil {
			r.Manifests[i].Path = []string{}
		}
	}
	sortManifests(r.Manifests)
	r.Summary = Summarize(r.Findings, failOn)
	r.Summary.Manifests = len(r.Manifests)
	return r
}

// Summarize counts findings and decides the result.
func Summarize(fs []finding.Finding, failOn finding.Severity) Summary {
	s := Summary{Result: Pass}
	for _, f := range fs {
		if f.Suppressed {
			s.Suppressed++
			continue
		}
		switch f.Severity {
		case finding.Error:
			s.Errors++
		case finding.Warning:
			s.Warnings++
		case finding.Notice:
			s.Notices++
		}
		if failOn != finding.Off && f.Severity >= failOn {
			s.Result = Fail
		}
	}
	return s
}

// Failed reports whether the run fails.
func (r *Report) Failed() bool { return r.Summary.Result == Fail }

func sortManifests(ms []Manifest) {
	sort.SliceStable(ms, func(i, j int) bool {
		if ms[i].File != ms[j].File {
			return ms[i].File < ms[j].File
		}
		return ms[i].Line < ms[j].Line
	})
}
