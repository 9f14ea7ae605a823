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

// message emits one warning or notice without a place: the action's own.
func (a *annotator) message(s finding.Severity, msg string) {
	a.used[s]++
	if s == finding.Warning {
		a.gha.Warningf("%s", msg)
	} else {
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
// job summary, the comment and an unregistered secrets-token.
type redactor struct{ r *strings.Replacer }

func newRedactor(secrets ...string) redactor {
	var pairs []string
	for _, s := range secrets {
		if len(s) >= 6 {
			pairs = append(pairs, s, "***")
		}
	}
	return redactor{strings.NewReplacer(pairs...)}
}

func (r redactor) String(s string) string { return r.r.Replace(s) }

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
