package action

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"

	githubactions "github.com/sethvargo/go-githubactions"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/report"
)

// MaxSummary bounds what the action writes to the job summary: the runner
// refuses a step summary over 1 MiB.
const MaxSummary = 1000 * 1000

// annotator emits annotations within the runner's per-step limits, counting
// the action's own notices and warnings against them.
type annotator struct {
	gha  *githubactions.Action
	w    io.Writer
	used map[finding.Severity]int
}

// message emits one error, warning or notice without a place: the action's
// own.
func (a *annotator) message(s finding.Severity, msg string) {
	a.used[s]++
	msg = report.StripControls(msg) // it may quote a branch name or an API answer
	switch s {
	case finding.Error:
		a.gha.Errorf("%s", msg)
	case finding.Warning:
		a.gha.Warningf("%s", msg)
	default:
		a.gha.Noticef("%s", msg)
	}
}

// findings annotates the report's unsuppressed findings, most severe first,
// in the slots the action's own messages left, and returns what
// report.HiddenSummary says about the rest ("" when every one was shown).
func (a *annotator) findings(r *report.Report) string {
	limits := report.DefaultAnnotationLimits()
	for s, n := range limits {
		limits[s] = max(n-a.used[s], 0)
	}
	lines, hidden := report.Annotations(r, limits)
	for _, l := range lines {
		fmt.Fprintln(a.w, l)
	}
	return report.HiddenSummary(hidden)
}

// setOutputs appends name<<DELIMITER blocks to the GITHUB_OUTPUT file with a
// random delimiter, so that no value can end its block early. With no file
// (outside a runner) it does nothing.
func setOutputs(path string, kv [][2]string) error {
	if path == "" {
		return nil
	}
	var b strings.Builder
	for _, p := range kv {
		delim := randomDelimiter()
		for strings.Contains(p[1], delim) {
			delim = randomDelimiter()
		}
		fmt.Fprintf(&b, "%s<<%s\n%s\n%s\n", p[0], delim, p[1], delim)
	}
	return appendFile(path, b.String())
}

func randomDelimiter() string {
	var buf [12]byte
	_, _ = rand.Read(buf[:])
	return "ghadelimiter_" + hex.EncodeToString(buf[:])
}

func appendFile(path, s string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	_, err = io.WriteString(f, s)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// redactor replaces secret values by *** in everything the action writes.
// The runner masks the job's token in the log already; this also covers the
// job summary, the comment, the report files and an unregistered
// secrets-token. A secret is also matched as the Markdown report escapes it
// (GitHub tokens hold '_', which Markdown escapes).
type redactor struct{ r *strings.Replacer }

// minSecret is the shortest value redacted: shorter ones would blank out
// ordinary words.
const minSecret = 6

func newRedactor(secrets ...string) redactor {
	var pairs []string
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		pairs = append(pairs, s, "***")
		if e := report.EscapeMarkdown(s); e != s {
			pairs = append(pairs, e, "***")
		}
	}
	if len(pairs) == 0 {
		return redactor{}
	}
	return redactor{strings.NewReplacer(pairs...)}
}

func (r redactor) String(s string) string {
	if r.r == nil {
		return s
	}
	return r.r.Replace(s)
}

// Report returns rep with the secrets redacted from its texts, as a copy:
// rep is left as it is.
func (r redactor) Report(rep *report.Report) *report.Report {
	if r.r == nil {
		return rep
	}
	ms := make([]report.Manifest, len(rep.Manifests))
	for i, m := range rep.Manifests {
		m.File, m.Component, m.From, m.To = r.String(m.File), r.String(m.Component), r.String(m.From), r.String(m.To)
		m.Path, m.SuggestedPath = r.strings(m.Path), r.strings(m.SuggestedPath)
		ms[i] = m
	}
	fs := make([]finding.Finding, len(rep.Findings))
	for i, f := range rep.Findings {
		f.File, f.Message, f.Hint, f.SuppressedBy = r.String(f.File), r.String(f.Message), r.String(f.Hint), r.String(f.SuppressedBy)
		fs[i] = f
	}
	var es []report.Exception
	for _, e := range rep.Exceptions {
		e.File, e.Match, e.Reason, e.ApprovedBy = r.String(e.File), r.String(e.Match), r.String(e.Reason), r.String(e.ApprovedBy)
		es = append(es, e)
	}
	out := *rep
	out.Manifests, out.Findings, out.Exceptions = ms, fs, es
	return &out
}

func (r redactor) strings(vs []string) []string {
	if vs == nil {
		return nil
	}
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = r.String(v)
	}
	return out
}

func (r redactor) Writer(w io.Writer) io.Writer { return redactWriter{r, w} }

type redactWriter struct {
	r redactor
	w io.Writer
}

// Write redacts one write; the action writes whole lines.
func (w redactWriter) Write(p []byte) (int, error) {
	if _, err := io.WriteString(w.w, w.r.String(string(p))); err != nil {
		return 0, err
	}
	return len(p), nil
}
