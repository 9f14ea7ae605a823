package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

//go:embed html.tmpl
var htmlTemplate string

// page is parsed once; html/template escapes every field for its context
// (text, attribute, URL), so nothing from a manifest becomes markup.
var page = template.Must(template.New("report").Funcs(template.FuncMap{
	"plural": plural,
}).Parse(htmlTemplate))

// HTML writes the report as one self-contained page: inline CSS, no script,
// no external asset. It shows the verdict, each manifest's declared and
// suggested routes as lines of stops (required, maxStep and blocked-hop stops
// marked, hops that break a path rule in red), and the findings grouped by
// manifest, each with its source line when o.Excerpt gives one and the line
// is in a manifest file (never in a config or .env file, whose lines can hold
// secrets' values).
func HTML(w io.Writer, r *Report, o Options) error {
	return page.Execute(w, htmlPage(r, o))
}

type htmlData struct {
	Failed    bool
	Verdict   string
	Summary   Summary
	FailOn    string
	Version   string
	Manifests []htmlManifest
	Others    []htmlGroup // findings outside any manifest, by file
}

type htmlManifest struct {
	Manifest
	ID        string
	Status    string // "fail", "warn" or "ok"
	Declared  []htmlStop
	Suggested []htmlStop
	Findings  []htmlFinding
}

type htmlGroup struct {
	File     string
	Findings []htmlFinding
}

// htmlStop is one stop of a drawn route and the hop that leads to it.
type htmlStop struct {
	Version string
	Kind    string // from, to, required, maxstep, blocked, stop
	Note    string
	BadHop  string // the path rules the hop into this stop breaks, "" when none
}

type htmlFinding struct {
	finding.Finding
	Sev     string
	Excerpt string
	Caret   string // spaces up to the column, then ^
}

func htmlPage(r *Report, o Options) htmlData {
	d := htmlData{Failed: r.Failed(), Summary: r.Summary, FailOn: failOnName(r.FailOn), Version: o.ToolVersion}
	switch {
	case r.Failed():
		d.Verdict = "checks failed"
	case r.Summary.Errors+r.Summary.Warnings == 0:
		d.Verdict = "all checks pass"
	default:
		d.Verdict = "checks pass, with findings below fail-on: " + d.FailOn
	}
	files, byFile, manifestsByFile := groupByFile(r)
	for _, file := range files {
		ms := manifestsByFile[file]
		fs := byFile[file]
		if len(ms) == 0 {
			// no excerpt outside manifest files: a config file's line can
			// hold a secret's value
			g := htmlGroup{File: file}
			for _, f := range fs {
				g.Findings = append(g.Findings, htmlFindingOf(f, Options{}))
			}
			d.Others = append(d.Others, g)
			continue
		}
		// a finding belongs to the last manifest of its file that starts at
		// or before its line (one before the first manifest, to the first)
		owned := make([][]finding.Finding, len(ms))
		for _, f := range fs {
			k := sort.Search(len(ms), func(i int) bool { return ms[i].Line > f.Line }) - 1
			if k < 0 {
				k = 0
			}
			owned[k] = append(owned[k], f)
		}
		for i, m := range ms {
			d.Manifests = append(d.Manifests, htmlManifestOf(m, owned[i], len(d.Manifests), o))
		}
	}
	return d
}

func htmlManifestOf(m Manifest, fs []finding.Finding, n int, o Options) htmlManifest {
	hm := htmlManifest{Manifest: m, ID: fmt.Sprintf("m%d", n+1), Status: "ok"}
	bad := map[string][]string{} // node -> path rules broken on the hop into it
	for _, f := range fs {
		if !f.Suppressed {
			switch {
			case f.Severity == finding.Error:
				hm.Status = "fail"
			case f.Severity == finding.Warning && hm.Status == "ok":
				hm.Status = "warn"
			}
			if f.Rule == rules.UG201 || f.Rule == rules.UG202 || f.Rule == rules.UG203 {
				if what := f.Rule.String() + " (" + strings.ReplaceAll(f.Rule.Rule().Title, "`", "") + ")"; !slices.Contains(bad[f.Node], what) {
					bad[f.Node] = append(bad[f.Node], what)
				}
			}
		}
		hm.Findings = append(hm.Findings, htmlFindingOf(f, o))
	}
	hm.Declared = append(hm.Declared, htmlStop{Version: m.From, Kind: "from", Note: "from"})
	for i, p := range m.Path {
		st := htmlStop{Version: p, Kind: "stop", BadHop: strings.Join(bad[fmt.Sprintf("spec.path[%d]", i)], "; ")}
		if i < len(m.PathWhy) {
			st.Note, st.Kind = m.PathWhy[i], stopKind(m.PathWhy[i])
		}
		hm.Declared = append(hm.Declared, st)
	}
	hm.Declared = append(hm.Declared, htmlStop{Version: m.To, Kind: "to", Note: "target", BadHop: strings.Join(bad["spec.to"], "; ")})
	if m.SuggestedPath != nil && !slices.Equal(m.SuggestedPath, m.Path) {
		hm.Suggested = append(hm.Suggested, htmlStop{Version: m.From, Kind: "from", Note: "from"})
		for i, p := range m.SuggestedPath {
			st := htmlStop{Version: p, Kind: "stop"}
			if i < len(m.SuggestedWhy) {
				st.Note, st.Kind = m.SuggestedWhy[i], stopKind(m.SuggestedWhy[i])
			}
			hm.Suggested = append(hm.Suggested, st)
		}
		hm.Suggested = append(hm.Suggested, htmlStop{Version: m.To, Kind: "to", Note: "target"})
	}
	return hm
}

// stopKind is the mark a stop's reason gives it.
func stopKind(why string) string {
	switch {
	case strings.HasPrefix(why, "required stop"):
		return "required"
	case strings.HasPrefix(why, "maxStep"):
		return "maxstep"
	case strings.HasPrefix(why, "avoids"):
		return "blocked"
	}
	return "stop"
}

func htmlFindingOf(f finding.Finding, o Options) htmlFinding {
	hf := htmlFinding{Finding: f, Sev: f.Severity.String()}
	if o.Excerpt != nil && f.Line > 0 {
		if line, ok := o.Excerpt(f.File, f.Line); ok {
			hf.Excerpt, hf.Caret = excerptCaret(line, f.Column)
		}
	}
	return hf
}

// excerptCaret returns a source line on one line without control
// characters (a tab becomes a space, as in every text output), and the line
// under it with a caret at column (1-based, in characters).
func excerptCaret(line string, column int) (string, string) {
	line = StripControls(line)
	if column < 1 {
		column = 1
	}
	if n := utf8.RuneCountInString(line); column > n+1 {
		column = n + 1
	}
	return line, strings.Repeat(" ", column-1) + "^"
}
