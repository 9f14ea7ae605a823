package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
)

// JSON writes the report in the spec's JSON shape, indented. It streams:
// the summary, then each manifest and finding encoded on its own, so that
// memory does not grow with the size of the document (700,000 findings make
// 225 MB of JSON). The bytes are those json.Encoder with SetIndent("", "  ")
// and no HTML escaping writes for the whole Report (a test holds them
// equal).
func JSON(w io.Writer, r *Report, _ Options) error {
	j := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.buf)
	j.enc.SetEscapeHTML(false)
	j.enc.SetIndent("  ", "  ")
	j.str("{\n  \"summary\": ")
	j.value(r.Summary)
	j.str(",\n  \"manifests\": ")
	writeArray(j, r.Manifests)
	j.str(",\n  \"findings\": ")
	writeArray(j, r.Findings)
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
