package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"runtime"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// JSON writes the report in the spec's JSON shape, indented. It streams:
// the summary, then each manifest and finding encoded on its own, so that
// memory does not grow with the size of the document (700,000 findings make
// 225 MB of JSON). The bytes are those json.Encoder with SetIndent("", "  ")
// and no HTML escaping writes for the whole Report (a test holds them
// equal). The manifests and findings, most of a report, are appended field
// by field (appendManifest, appendFinding) instead of through reflection:
// a test and a fuzz target hold them to the encoder's bytes.
func JSON(w io.Writer, r *Report, _ Options) error {
	j := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.enc.SetIndent("  ", "  ")
	j.str("{\n  \"summary\": ")
	j.value(r.Summary)
	j.str(",\n  \"manifests\": ")
	appendArray(j, r.Manifests, appendManifest)
	j.str(",\n  \"findings\": ")
	appendArray(j, r.Findings, appendFinding)
	if len(r.Deployed) > 0 {
		j.str(",\n  \"deployed\": ")
		writeArray(j, r.Deployed)
	}
	j.str("\n}\n")
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

type jsonStream struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	err error
}

func (j *jsonStream) str(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

// value writes v as a member of the top-level object would be indented,
// without the encoder's newline.
func (j *jsonStream) value(v any) {
	if j.err != nil {
		return
	}
	j.buf.Reset()
	if j.err = j.enc.Encode(v); j.err == nil {
		_, j.err = j.w.Write(bytes.TrimSuffix(j.buf.Bytes(), []byte("\n")))
	}
}

// writeArray writes items as a member of the top-level object: null, [] or
// one element per line group, as the encoder indents them one level deeper.
func writeArray[T any](j *jsonStream, items []T) {
	switch {
	case items == nil:
		j.str("null")
		return
	case len(items) == 0:
		j.str("[]")
		return
	}
	j.str("[")
	j.enc.SetIndent("    ", "  ")
	for i := range items {
		if i > 0 {
			j.str(",")
		}
		j.str("\n    ")
		j.value(items[i])
	}
	j.enc.SetIndent("  ", "  ")
	j.str("\n  ]")
}

// appendArray is writeArray for the element types with an appender: each
// element is appended straight into the writer's free buffer, or, for a
// long array on more than one CPU, chunk by chunk on every CPU
// (appendChunks).
func appendArray[T any](j *jsonStream, items []T, add func([]byte, *T) []byte) {
	switch {
	case items == nil:
		j.str("null")
		return
	case len(items) == 0:
		j.str("[]")
		return
	}
	j.str("[")
	if workers := runtime.GOMAXPROCS(0); workers > 1 && len(items) >= 2*jsonChunk {
		appendChunks(j, items, add, workers)
	} else {
		for i := range items {
			if j.err != nil {
				return
			}
			b := j.w.AvailableBuffer()
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, "\n    "...)
			_, j.err = j.w.Write(add(b, &items[i]))
		}
	}
	j.str("\n  ]")
}

// jsonChunk is how many elements of a long array one goroutine appends at a
// time (appendChunks): a chunk of findings is some 70 KB on the bench
// corpus, and four are held at once on two CPUs.
const jsonChunk = 128

// appendChunks appends the elements of items as appendArray does, on
// workers goroutines: worker w appends chunks w, w+workers, ... into its own
// buffers and hands each over in turn, and the caller writes them in
// order. Each worker is at most two chunks ahead of the writer, so what is
// held at once does not grow with the array. A write error stops the
// workers.
func appendChunks[T any](j *jsonStream, items []T, add func([]byte, *T) []byte, workers int) {
	chunks := (len(items) + jsonChunk - 1) / jsonChunk
	workers = min(workers, chunks)
	out := make([]chan []byte, workers)  // worker -> its chunks, in order
	free := make([]chan []byte, workers) // writer -> a worker's buffers, written
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		out[w], free[w] = make(chan []byte, 1), make(chan []byte, 2)
		free[w] <- nil
		free[w] <- nil
		wg.Go(func() {
			for k := w; k < chunks; k += workers {
				var b []byte
				select {
				case <-stop:
					return
				default:
				}
				select {
				case b = <-free[w]:
				case <-stop:
					return
				}
				b = b[:0]
				for i := k * jsonChunk; i < min((k+1)*jsonChunk, len(items)); i++ {
					if i > 0 {
						b = append(b, ',')
					}
					b = append(b, "\n    "...)
					b = add(b, &items[i])
				}
				select {
				case out[w] <- b:
				case <-stop:
					return
				}
			}
		})
	}
	for k := 0; k < chunks && j.err == nil; k++ {
		b := <-out[k%workers]
		_, j.err = j.w.Write(b)
		free[k%workers] <- b
	}
	close(stop)
	wg.Wait()
}

// The element appenders write what json.Encoder with SetIndent("    ", "  ")
// writes for one element of a member array of the report, without the
// leading newline and indent: fields in declaration order, "json:\"-\""
// fields left out (TestJSONAppendersMatchTheEncoder, FuzzJSONAppenders).

func appendFinding(b []byte, f *finding.Finding) []byte {
	b = append(b, "{\n      \"rule\": "...)
	b = appendJSONString(b, f.Rule.String())
	b = append(b, ",\n      \"severity\": "...)
	b = appendJSONString(b, f.Severity.String())
	b = append(b, ",\n      \"file\": "...)
	b = appendJSONString(b, f.File)
	b = append(b, ",\n      \"line\": "...)
	b = strconv.AppendInt(b, int64(f.Line), 10)
	b = append(b, ",\n      \"column\": "...)
	b = strconv.AppendInt(b, int64(f.Column), 10)
	b = append(b, ",\n      \"message\": "...)
	b = appendJSONString(b, f.Message)
	b = append(b, ",\n      \"hint\": "...)
	b = appendJSONString(b, f.Hint)
	b = append(b, ",\n      \"suppressed\": "...)
	b = strconv.AppendBool(b, f.Suppressed)
	return append(b, "\n    }"...)
}

func appendManifest(b []byte, m *Manifest) []byte {
	b = append(b, "{\n      \"file\": "...)
	b = appendJSONString(b, m.File)
	b = append(b, ",\n      \"component\": "...)
	b = appendJSONString(b, m.Component)
	b = append(b, ",\n      \"from\": "...)
	b = appendJSONString(b, m.From)
	b = append(b, ",\n      \"to\": "...)
	b = appendJSONString(b, m.To)
	b = append(b, ",\n      \"path\": "...)
	b = appendStrings(b, m.Path)
	b = append(b, ",\n      \"suggestedPath\": "...)
	b = appendStrings(b, m.SuggestedPath)
	return append(b, "\n    }"...)
}

// appendStrings appends a []string member of an element: null, [] or one
// string per line.
func appendStrings(b []byte, ss []string) []byte {
	switch {
	case ss == nil:
		return append(b, "null"...)
	case len(ss) == 0:
		return append(b, "[]"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, "\n        "...)
		b = appendJSONString(b, s)
	}
	return append(b, "\n      ]"...)
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as encoding/json writes a string with HTML
// escaping off: '"' and '\\' escaped, control characters as \b \f \n \r \t
// or \u00XX, each byte of invalid UTF-8 as \ufffd, U+2028 and U+2029 as
// \u2028 and \u2029 (they end a line in JavaScript); all else as is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, "\\ufffd"...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
