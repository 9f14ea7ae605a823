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
