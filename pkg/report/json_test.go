package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
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
	} {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(r); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := JSON(&got, r, Options{}); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("%s (-encoder +stream):\n%s", name, diff)
		}
	}
}
