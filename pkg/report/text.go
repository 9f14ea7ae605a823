package report

import (
	"bufio"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// Text writes findings grouped by manifest: a header per manifest, then
// "file:line:col: severity: message [rule]" lines, each with its hint.
func Text(w io.Writer, r *Report, o Options) error {
	bw := bufio.NewWriter(w)
	files, byFile, manifestsByFile := groupByFile(r)
	for _, file := range files {
		fs := byFile[file]
		ms := manifestsByFile[file]
		if len(ms) == 0 {
			fmt.Fprintf(bw, "%s\n", o.paint(textFile(file), bold))
		}
		for mi, m := range ms {
			// findings of this manifest: from its first line to the next manifest's
			end := int(^uint(0) >> 1)
			if mi+1 < len(ms) {
				end = ms[mi+1].Line
			}
			var mine, before []finding.Finding
			for _, f := range fs {
				switch {
				case f.Line < m.Line && mi == 0:
					before = append(before, f)
				case f.Line < end:
					mine = append(mine, f)
				default:
					goto done
				}
			}
		done:
			for _, f := range before {
				writeFinding(bw, f, o, true)
			}
			fs = fs[len(before)+len(mine):]
			if mi > 0 {
				fmt.Fprintln(bw) // a blank line between the manifests of one file
			}
			fmt.Fprintf(bw, "%s\n", o.paint(manifestHeader(m, mine), bold))
			for _, f := range mine {
				writeFinding(bw, f, o, true)
			}
		}
		for _, f := range fs {
			writeFinding(bw, f, o, len(ms) > 0)
		}
		fmt.Fprintln(bw)
	}
	s := r.Summary
	if len(r.Manifests) == 0 && len(r.Deployed) > 0 {
		var names []string
		for _, d := range r.Deployed {
			names = append(names, d.Component)
		}
		fmt.Fprintf(bw, "no upgrade manifest checked; what the repository deploys was checked for %s\n", strings.Join(names, ", "))
	} else if len(r.Manifests) == 0 && len(r.Findings) == 0 {
		if r.NotConcerned > 0 {
			fmt.Fprintf(bw, "no upgrade manifest is concerned by the changed files (%d found, none checked)\n", r.NotConcerned)
		} else {
			fmt.Fprintln(bw, "no upgrade manifest (a YAML file with kind: Upgrade) was found")
		}
	}
	result := "PASS"
	if r.Failed() {
		result = "FAIL"
	}
	fmt.Fprintf(bw, "%s: %s, %s, %s, %s, %d suppressed\n",
		o.paint(result, resultColor(r.Failed())), plural(s.Manifests, "manifest"),
		plural(s.Errors, "error"), plural(s.Warnings, "warning"), plural(s.Notices, "notice"), s.Suppressed)
	return bw.Flush()
}

// groupByFile returns the files of r's findings and manifests, sorted, with
// each file's findings and manifests in report order. A report New made
// holds both sorted by file: then each file's are a run of the report's own
// slice, taken in place (a copy of every finding was the printers' largest
// allocation: 800,000 findings, 120 MB); otherwise they are gathered.
// The slices are the report's: read them, never write or append.
func groupByFile(r *Report) (files []string, findings map[string][]finding.Finding, manifests map[string][]Manifest) {
	findings = map[string][]finding.Finding{}
	manifests = map[string][]Manifest{}
	if !fileRuns(r.Findings, func(f *finding.Finding) string { return f.File }, func(file string, run []finding.Finding) {
		files = append(files, file)
		findings[file] = run
	}) {
		for _, f := range r.Findings {
			if _, ok := findings[f.File]; !ok {
				files = append(files, f.File)
			}
			findings[f.File] = append(findings[f.File], f)
		}
	}
	addFile := func(file string) {
		if _, ok := findings[file]; !ok {
			if _, seen := manifests[file]; !seen {
				files = append(files, file)
			}
		}
	}
	if !fileRuns(r.Manifests, func(m *Manifest) string { return m.File }, func(file string, run []Manifest) {
		addFile(file)
		manifests[file] = run
	}) {
		for _, m := range r.Manifests {
			addFile(m.File)
			manifests[m.File] = append(manifests[m.File], m)
		}
	}
	sort.Strings(files)
	return files, findings, manifests
}

// fileRuns calls add with each run of items of one file, capacity clipped,
// when items are sorted by file, and reports whether they were (nothing is
// added when not).
func fileRuns[T any](items []T, fileOf func(*T) string, add func(file string, run []T)) bool {
	for i := 1; i < len(items); i++ {
		if fileOf(&items[i]) < fileOf(&items[i-1]) {
			return false
		}
	}
	for i := 0; i < len(items); {
		file := fileOf(&items[i])
		j := i + 1
		for j < len(items) && fileOf(&items[j]) == file {
			j++
		}
		add(file, items[i:j:j])
		i = j
	}
	return true
}

func manifestHeader(m Manifest, fs []finding.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s %s -> %s", textFile(m.File), textField(orDefault(m.Name, orDefault(m.Component, "(unnamed)"))),
		textField(orDefault(m.From, "?")), textField(orDefault(m.To, "?")))
	if len(m.Path) > 0 {
		fmt.Fprintf(&b, " via %s", textField(strings.Join(m.Path, ", ")))
	}
	n := 0
	for _, f := range fs {
		if !f.Suppressed {
			n++
		}
	}
	if n == 0 {
		b.WriteString(" (ok)")
	}
	return b.String()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// writeFinding writes one finding, its source line with a caret under the
// column when o.Excerpt gives one and excerpt allows it (manifest files only:
// a config or .env line can hold a secret's value), its hint and what
// suppressed it.
func writeFinding(w io.Writer, f finding.Finding, o Options, excerpt bool) {
	sev := o.paint(f.Severity.String(), severityColor(f.Severity))
	if f.Suppressed {
		sev = f.Severity.String() + " (suppressed)"
	}
	fmt.Fprintf(w, "%s:%d:%d: %s: %s [%s]\n", textFile(f.File), f.Line, f.Column, sev, textField(f.Message), textField(f.Rule.String()))
	if excerpt && o.Excerpt != nil && f.Line > 0 {
		if line, ok := o.Excerpt(f.File, f.Line); ok {
			text, caret := excerptCaret(line, f.Column)
			num := strconv.Itoa(f.Line)
			fmt.Fprintf(w, "    %s | %s\n    %s | %s\n", num, legacyCommand.Replace(text),
				strings.Repeat(" ", len(num)), o.paint(caret, severityColor(f.Severity)))
		}
	}
	if f.Hint != "" {
		fmt.Fprintf(w, "    hint: %s\n", textField(f.Hint))
	}
	if f.Suppressed && f.SuppressedBy != "" {
		fmt.Fprintf(w, "    suppressed by: %s\n", textField(f.SuppressedBy))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

const (
	bold   = "1"
	red    = "31"
	yellow = "33"
	cyan   = "36"
	green  = "32"
)

func severityColor(s finding.Severity) string {
	switch s {
	case finding.Error:
		return red
	case finding.Warning:
		return yellow
	default:
		return cyan
	}
}

func resultColor(failed bool) string {
	if failed {
		return red
	}
	return green
}

func (o Options) paint(s, code string) string {
	if !o.Color {
		return s
	}
	return "\x1b[" + code + "m" + s + "\x1b[0m"
}
