package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// Label names a step: its metadata.name, else its file.
func (s PlanStep) Label() string {
	if s.Name != "" {
		return s.Name
	}
	return s.File
}

// EnvironmentText is the step's environment as "kubernetes 1.29.4,
// postgresql 14.14", by name.
func (s PlanStep) EnvironmentText() string {
	names := make([]string, 0, len(s.Environment))
	for n := range s.Environment {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, n := range names {
		names[i] = n + " " + s.Environment[n]
	}
	return strings.Join(names, ", ")
}

// PlanText writes the plan's steps in order, then the report as the text
// format writes it (`upgradegate plan`).
func PlanText(w io.Writer, r *Report, o Options) error {
	bw := bufio.NewWriter(w)
	if len(r.Plan) == 0 {
		fmt.Fprintln(bw, "Plan: no manifest")
	} else {
		fmt.Fprintf(bw, "Plan: %s, in order\n", plural(len(r.Plan), "step"))
	}
	why := map[string][]string{} // file:line -> why each declared stop is there
	for _, m := range r.Manifests {
		if len(m.PathWhy) > 0 {
			why[fmt.Sprintf("%s:%d", m.File, m.Line)] = m.PathWhy
		}
	}
	for i, st := range r.Plan {
		done := ""
		if st.Done {
			done = " (done)"
		}
		fmt.Fprintf(bw, "%3d. %s%s: %s %s (%s:%d)\n", i+1, TextField(st.Label()), done, TextField(st.Component),
			TextField(strings.Join(st.Route, " → ")), TextField(st.File), st.Line)
		if len(st.After) > 0 {
			fmt.Fprintf(bw, "     after: %s\n", TextField(strings.Join(st.After, ", ")))
		}
		if env := st.EnvironmentText(); env != "" {
			fmt.Fprintf(bw, "     environment: %s\n", TextField(env))
		}
		if reasons := stopReasons(st.Route, why[fmt.Sprintf("%s:%d", st.File, st.Line)]); reasons != "" {
			fmt.Fprintf(bw, "     stops: %s\n", TextField(reasons))
		}
	}
	fmt.Fprintln(bw)
	if err := bw.Flush(); err != nil {
		return err
	}
	return Text(w, r, o)
}

// PlanJSON writes {"steps": [...], "findings": [...]} (`upgradegate plan
// --format json`).
func PlanJSON(w io.Writer, r *Report, _ Options) error {
	j := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.enc.SetIndent("  ", "  ")
	steps := r.Plan
	if steps == nil {
		steps = []PlanStep{}
	}
	j.str("{\n  \"steps\": ")
	writeArray(j, steps)
	j.str(",\n  \"findings\": ")
	writeArray(j, r.Findings)
	j.str("\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

// stopReasons says why each intermediate stop of a route (from, stops…, to)
// is there, from the manifest's PathWhy: "16.3.9 required stop; 16.4.0
// maxStep: …"; "" when there is no stop or no reason.
func stopReasons(route, why []string) string {
	if len(route) < 3 || len(why) != len(route)-2 {
		return ""
	}
	var parts []string
	for i, w := range why {
		if w == "" {
			w = "(no rule needs it)"
		}
		parts = append(parts, route[i+1]+" "+w)
	}
	return strings.Join(parts, "; ")
}
