package github

import (
	"encoding/json"
	"path"
	"strings"
	"testing"
	"time"

	gh "github.com/google/go-github/v60/github"
)

// FuzzRetryAfter: any Retry-After header gives a wait that is not negative.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"7", "0", "-1", "Wed, 21 Oct 2015 07:28:00 GMT", "99999999999999999999", " 3 "} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	r := &Retry{Now: func() time.Time { return now }}
	f.Fuzz(func(t *testing.T, s string) {
		if d, ok := r.parseRetryAfter(s); ok && d < 0 {
			t.Fatalf("parseRetryAfter(%q) = %v", s, d)
		}
	})
}

// FuzzGitAnswers: any answer to a tree listing or a blob gives an error or
// a result that holds the bounds: entries are clean paths inside the tree
// with hex object names, and a blob's bytes are at most max and what the
// answer's size says.
func FuzzGitAnswers(f *testing.F) {
	f.Add(`{"sha":"1111111111111111111111111111111111111111","tree":[{"path":"a/b.yaml","mode":"100644","type":"blob","sha":"2222222222222222222222222222222222222222","size":3}],"truncated":true}`,
		`{"size":2,"content":"aGk=\n","encoding":"base64"}`)
	f.Add(`{"tree":[{"path":"../x","sha":"zz"},null]}`, `{"size":-1,"content":"!!","encoding":"base64"}`)
	f.Fuzz(func(t *testing.T, tree, blob string) {
		var gt gh.Tree
		if json.Unmarshal([]byte(tree), &gt) == nil {
			if out, err := treeOf("fuzz", &gt); err == nil {
				for _, e := range out.Entries {
					if e.Path == "" || path.Clean(e.Path) != e.Path || path.IsAbs(e.Path) || e.Path == ".." || strings.HasPrefix(e.Path, "../") ||
						!validSHA(e.SHA) || e.Size < 0 {
						t.Fatalf("entry %+v passed", e)
					}
				}
			}
		}
		var gb gh.Blob
		if json.Unmarshal([]byte(blob), &gb) == nil {
			const max = 64
			if data, err := blobOf("fuzz", "1111111111111111111111111111111111111111", &gb, max); err == nil &&
				(len(data) > max || gb.Size != nil && len(data) != gb.GetSize()) {
				t.Fatalf("blob of %d bytes passed (size %v)", len(data), gb.Size)
			}
		}
	})
}
