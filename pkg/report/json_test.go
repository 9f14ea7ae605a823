package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestJSONStreamsTheEncodersBytes: the streaming JSON printer writes what
// json.Encoder writes for the whole report, for empty, nil, hostile and
// many-element reports.
func TestJSONStreamsTheEncodersBytes(t *testing.T) {
	t.Parallel()
	for name, r := range map[string]*Report{
		"empty":   New(nil, nil, nil, 0),
		"nil":     {},
		"failing": failingReport(),
		"hostile": hostileReport(),
		"many":    manyManifests(50),
		"chunked": manyManifests(3*jsonChunk + 7), // long arrays, appended on every CPU
	} {
		want := encoded(t, r, "")
		var got bytes.Buffer
		if err := JSON(&got, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got.String()); diff != "" {
			t.Errorf("%s (-encoder +stream):\n%s", name, diff)
		}
	}
}

// encoderElement is what json.Encoder writes for v as an element of a
// member array of the report (the stream's settings), without the newline.
func encoderElement(t testing.TB, v any) string {
	t.Helper()
	return strings.TrimSuffix(encoded(t, v, "    "), "\n")
}

// encoded is what json.Encoder writes for v with the printers' settings (no
// HTML escaping, two-space indent) and the given prefix, newline included:
// what each hand-written appender and streaming printer is held to.
func encoded(t testing.TB, v any, prefix string) string {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent(prefix, "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// awkward holds every byte below 0x20, the characters JSON and HTML escape,
// invalid UTF-8 (a lone continuation byte, a truncated sequence, an
// overlong encoding, a surrogate), U+2028, U+2029, DEL and multi-byte text.
var awkward = func() []string {
	var ctl strings.Builder
	for c := 0; c < 0x20; c++ {
		ctl.WriteByte(byte(c))
	}
	return []string{"", ctl.String(), `"\/<>&'`, "\x80", "a\xe2\x82", "\xc0\xaf", "\xed\xa0\x80", "x\u2028y\u2029z",
		"\x7f", "hop 16.7.10 → 17.3.7 «ü» 日本", "\xff\xfe", "tab\tend\n", "\u00ad\u200b\ufeff"}
}()

// TestJSONAppendersMatchTheEncoder: a finding and a manifest appended field
// by field are the encoder's bytes, whatever the strings, severities,
// numbers and slices hold.
func TestJSONAppendersMatchTheEncoder(t *testing.T) {
	t.Parallel()
	sevs := []finding.Severity{finding.Off, finding.Notice, finding.Warning, finding.Error, 7, -1}
	ids := []rules.ID{{}, rules.UG201, rules.UG004}
	for i, s := range awkward {
		f := finding.Finding{Rule: ids[i%len(ids)], Severity: sevs[i%len(sevs)], File: s, Line: i - 3, Column: i * 1000003,
			Message: s + "m", Hint: "h" + s, Suppressed: i%2 == 0, Node: s, Manifest: s, SuppressedBy: s, Order: i}
		if got, want := string(appendFinding(nil, &f)), encoderElement(t, f); got != want {
			t.Errorf("finding %q:\n got %s\nwant %s", s, got, want)
		}
		for _, p := range [][]string{nil, {}, {s}, {s, "1.2", s + s}} {
			m := Manifest{File: s, Component: s + "c", From: "1" + s, To: s + "2", Path: p, SuggestedPath: p, SuggestedWhy: p, PathWhy: p,
				Window: &Window{TimeZone: s}, Name: s, Line: i, Owner: s, ReviewOwner: s}
			if i%2 == 0 {
				m.SuggestedPath = nil
			}
			if got, want := string(appendManifest(nil, &m)), encoderElement(t, m); got != want {
				t.Errorf("manifest %q %q:\n got %s\nwant %s", s, p, got, want)
			}
		}
	}
	// a line number beyond 32 bits, the extremes of int
	for _, n := range []int{1 << 40, math.MaxInt, math.MinInt} {
		f := finding.Finding{Rule: rules.UG201, Line: n, Column: -n}
		if got, want := string(appendFinding(nil, &f)), encoderElement(t, f); got != want {
			t.Errorf("line %d:\n got %s\nwant %s", n, got, want)
		}
	}
}

// FuzzJSONAppenders holds the appenders to the encoder on any strings.
func FuzzJSONAppenders(f *testing.F) {
	for i, s := range awkward {
		f.Add(s, awkward[(i+1)%len(awkward)], i, -i, i%6-1, i%2 == 0)
	}
	f.Fuzz(func(t *testing.T, a, b string, line, column, sev int, suppressed bool) {
		fi := finding.Finding{Rule: rules.UG201, Severity: finding.Severity(sev), File: a, Line: line, Column: column,
			Message: b, Hint: a + b, Suppressed: suppressed}
		if got, want := string(appendFinding(nil, &fi)), encoderElement(t, fi); got != want {
			t.Fatalf("finding:\n got %s\nwant %s", got, want)
		}
		var path []string
		if line%3 != 0 {
			path = []string{a, b}[:min(2, max(0, line%3))]
		}
		m := Manifest{File: a, Component: b, From: b + a, To: a, Path: path, SuggestedPath: []string{b}}
		if got, want := string(appendManifest(nil, &m)), encoderElement(t, m); got != want {
			t.Fatalf("manifest:\n got %s\nwant %s", got, want)
		}
		if got, want := string(appendJSONString(nil, a)), encoderElement(t, a); got != want {
			t.Fatalf("string %q:\n got %s\nwant %s", a, got, want)
		}
	})
}

// BenchmarkJSON writes the report of 2,000 manifests and 8,000 findings.
func BenchmarkJSON(b *testing.B) {
	r := manyManifests(2000)
	b.ReportAllocs()
	for b.Loop() {
		if err := JSON(io.Discard, r, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// errAfter fails every write once n bytes have been written.
type errAfter struct{ n int }

func (w *errAfter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		k := w.n
		w.n = 0
		return k, errFull
	}
	w.n -= len(p)
	return len(p), nil
}

var errFull = errors.New("disk full")

// TestJSONChunksStopOnAWriteError: a write that fails in the middle of a
// long array (appended chunk by chunk on every CPU) is JSON's error, and
// the goroutines that append the chunks stop.
func TestJSONChunksStopOnAWriteError(t *testing.T) {
	t.Parallel()
	r := manyManifests(20 * jsonChunk)
	var full bytes.Buffer
	if err := JSON(&full, r, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{0, 100, full.Len() / 3, full.Len() - 10} {
		if err := JSON(&errAfter{n: n}, r, Options{}); !errors.Is(err, errFull) {
			t.Errorf("JSON to a writer that fails after %d of %d bytes: %v, want %v", n, full.Len(), err, errFull)
		}
	}
}
