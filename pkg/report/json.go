package report

import (
	"encoding/json"
	"io"
)

// JSON writes the report in the spec's JSON shape, indented.
func JSON(w io.Writer, r *Report, _ Options) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}
