package configfile

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

// atLimitJSON is a JSON file of exactly MaxFileSize bytes whose last byte
// matters: blanks, then {}. Cut by one byte it no longer parses.
func atLimitJSON() []byte {
	data := bytes.Repeat([]byte(" "), MaxFileSize)
	copy(data[MaxFileSize-2:], "{}")
	return data
}

// TestParseAtTheSizeLimit: MaxFileSize bytes is still parsed, one more is not.
func TestParseAtTheSizeLimit(t *testing.T) {
	t.Parallel()
	data := atLimitJSON()
	f, err := Parse("c.json", data)
	if err != nil {
		t.Fatalf("Parse of exactly MaxFileSize bytes: %v", err)
	}
	if m := f.Lookup(KeyPath{{Key: "x"}}); m.Found {
		t.Errorf("Lookup(x) in {} = %+v, want not found", m)
	}
	_, err = Parse("c.json", append(data, ' '))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Msg != "the file is 8388609 bytes, over the 8 MiB limit" {
		t.Errorf("Parse of MaxFileSize+1 bytes = %v, want the size error", err)
	}
}

// TestCacheAtTheSizeLimit: the cache reads a file of exactly MaxFileSize
// bytes whole (its last byte included) and parses it.
func TestCacheAtTheSizeLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "limit.json"), atLimitJSON(), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var c Cache
	f, err := c.Load(r, "limit.json")
	if err != nil {
		t.Fatalf("Load of exactly MaxFileSize bytes: %v", err)
	}
	if f.Format != JSON || f.Name != "limit.json" {
		t.Errorf("Load = %q %q, want limit.json as JSON", f.Name, f.Format)
	}
}

// TestLookupReasons pins whole reasons, not substrings: a one-document file
// says nothing about documents, and hints appear only where they apply.
func TestLookupReasons(t *testing.T) {
	t.Parallel()
	tests := []struct{ file, data, key, want string }{
		{"one.yaml", "a: 1\n", "nope", `the top level is a mapping without that key, so it has no key "nope"`},
		{"two.yaml", "a: 1\n---\nc: 1\n", "nope", `the top level is a mapping without that key, so it has no key "nope" (in any of the 2 documents)`},
		{"one.yaml", "a: [1, 2]\n", "a.9", `"a" is a list, so it has no key "9"; index a list with [9]`},
		{"one.yaml", "a: [1, 2]\n", "a.x", `"a" is a list, so it has no key "x"`},
		{"one.yaml", "a: [1, 2]\n", "a[2]", `"a" is a list of 2, so it has no item [2]`},
		{"one.yaml", "a: {b: 1}\n", "a[0]", `"a" is a mapping, so it has no item [0]`},
		{"c.json", `{"a": [1, 2]}`, "a.1", `"a" is a list, so it has no key "1"; index a list with [1]`},
		{"c.json", `{"a": [1, 2]}`, "a.x", `"a" is a list, so it has no key "x"`},
		{"c.json", `{"a": null}`, "a.x", `"a" is null, so it has no key "x"`},
		{"c.json", `{"a": {"b": 1}}`, "a[0]", `"a" is a mapping, so it has no item [0]`},
		{".env", "A=1\n", "NOPE", `no variable "NOPE" is set`},
		{".env", "A=1\n", "[0]", "a .env file has no nested keys: write the variable name, quoted if it contains dots"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.key, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(tt.file, []byte(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			p, err := ParseKeyPath(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			if m := f.Lookup(p); m.Found || m.Reason != tt.want {
				t.Errorf("Lookup(%q) = %+v, want not found with reason %q", tt.key, m, tt.want)
			}
		})
	}
}

// mergeChain is a YAML file whose mapping mN merges m(N-1) ... down to m0,
// which holds the key k: finding mN.k follows N merge keys.
func mergeChain(n int) string {
	var b strings.Builder
	b.WriteString("m0: &m0 {k: 1}\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "m%d: &m%d {<<: *m%d}\n", i, i, i-1)
	}
	return b.String()
}

// TestMergeBudget: one step of a lookup reads at most maxMerges mappings
// through merge keys (the mapping itself included), and no more.
func TestMergeBudget(t *testing.T) {
	t.Parallel()
	f, err := Parse("m.yaml", []byte(mergeChain(maxMerges)))
	if err != nil {
		t.Fatal(err)
	}
	within := fmt.Sprintf("m%d.k", maxMerges-1) // maxMerges mappings to read
	past := fmt.Sprintf("m%d.k", maxMerges)     // one more
	p, _ := ParseKeyPath(within)
	if m := f.Lookup(p); !m.Found || m.Line != 1 {
		t.Errorf("Lookup(%s) = %+v, want found at line 1", within, m)
	}
	p, _ = ParseKeyPath(past)
	if m := f.Lookup(p); m.Found {
		t.Errorf("Lookup(%s) = %+v, want not found: past the merge budget", past, m)
	}
}

// TestMergeKeys: a list of merged mappings is searched in order, a quoted
// "<<" is an ordinary key, and an explicit !!merge tag merges.
func TestMergeKeys(t *testing.T) {
	t.Parallel()
	data := `a: &a {x: 1}
b: &b {y: 2, x: 3}
list:
  <<: [*a, *b]
quoted:
  "<<": {z: 1}
tagged:
  !!merge <<: *b
nullmerge:
  <<: ~
  own: 1
`
	f, err := Parse("m.yaml", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key   string
		found bool
		line  int
	}{
		{"list.x", true, 1}, // the first merged mapping wins
		{"list.y", true, 2},
		{"list.z", false, 0},
		{"quoted.z", false, 0},
		{`quoted."<<".z`, true, 6},
		{"tagged.y", true, 2},
		{"nullmerge.own", true, 11},
		{"nullmerge.x", false, 0},
	}
	for _, tt := range tests {
		p, err := ParseKeyPath(tt.key)
		if err != nil {
			t.Fatal(err)
		}
		if m := f.Lookup(p); m.Found != tt.found || m.Line != tt.line {
			t.Errorf("Lookup(%q) = %+v, want found %t at line %d", tt.key, m, tt.found, tt.line)
		}
	}
}

// TestSuggestLongKeys: keys of 8 characters or more get suggestions two
// edits away, shorter keys only one edit away.
func TestSuggestLongKeys(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		key  string
		keys []string
		want string
	}{
		{"poolsize", []string{"pool_sizes"}, "pool_sizes"}, // 8 characters, 2 edits
		{"pool_sizes", []string{"poolsize"}, "poolsize"},   // 10 characters, 2 edits
		{"poolsiz", []string{"pool_size"}, ""},             // 7 characters, 2 edits
		{"bacd", []string{"abdc"}, ""},                     // two transpositions
	} {
		got := suggest(Match{}, tt.key, tt.keys).Reason
		want := ""
		if tt.want != "" {
			want = fmt.Sprintf("; did you mean %q?", tt.want)
		}
		if got != want {
			t.Errorf("suggest(%q, %q) = %q, want %q", tt.key, tt.keys, got, want)
		}
	}
}

// TestDotenvNameCharacters: the edges of the name character ranges.
func TestDotenvNameCharacters(t *testing.T) {
	t.Parallel()
	f, err := Parse(".env", []byte("A=1\nZ=1\na=1\nz=1\n_=1\nA09=1\nz.y-x_9=1\n"))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	for i, name := range []string{"A", "Z", "a", "z", "_", "A09", "z.y-x_9"} {
		if m := f.Lookup(KeyPath{{Key: name}}); !m.Found || m.Line != i+1 {
			t.Errorf("Lookup(%q) = %+v, want found at line %d", name, m, i+1)
		}
	}
	for _, c := range []string{"@", "[", "`", "{", "0", "9", "."} { // next to the ranges, or not a start
		data := c + "B=1\n"
		_, err := Parse(".env", []byte(data))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Column != 1 || !strings.Contains(se.Msg, fmt.Sprintf("cannot start with '%s'", c)) {
			t.Errorf("Parse(%q) = %v, want a bad name start at 1:1", data, err)
		}
	}
	for _, c := range []string{"/", ":", "@", "[", "`", "{"} {
		data := "A" + c + "B=1\n"
		_, err := Parse(".env", []byte(data))
		var se *SyntaxError
		if !errors.As(err, &se) || se.Column != 2 || !strings.Contains(se.Msg, fmt.Sprintf("unexpected '%s' in a variable name", c)) {
			t.Errorf("Parse(%q) = %v, want an unexpected character at 1:2", data, err)
		}
	}
}

// TestDotenvExportAtTheEnd: "export" as the file's last bytes is a name
// without '=', not a prefix read past the end.
func TestDotenvExportAtTheEnd(t *testing.T) {
	t.Parallel()
	for _, data := range []string{"export", "A=1\nexport", "A=1\n  export"} {
		_, err := Parse(".env", []byte(data))
		var se *SyntaxError
		lines := strings.Split(data, "\n")
		if !errors.As(err, &se) || se.Line != len(lines) || se.Column != len(lines[len(lines)-1])+1 ||
			!strings.Contains(se.Msg, "expected '=' after the variable name") {
			t.Errorf("Parse(%q) = %v, want a missing '=' at the end", data, err)
		}
	}
}

// TestDotenvEdges: a tab after export, and a '#' as the file's last byte.
func TestDotenvEdges(t *testing.T) {
	t.Parallel()
	for data, name := range map[string]string{
		"export\tTAB=1\n": "TAB",
		"A=x#":            "A",
		"A=x #":           "A",
		"A=x\t#":          "A",
	} {
		f, err := Parse(".env", []byte(data))
		if err != nil {
			t.Errorf("Parse(%q): %v", data, err)
			continue
		}
		if m := f.Lookup(KeyPath{{Key: name}}); !m.Found || m.Line != 1 {
			t.Errorf("Parse(%q): Lookup(%q) = %+v, want found at line 1", data, name, m)
		}
	}
}

// TestKeyPathIndexEdges: digits at both ends of the range, MaxIndex itself,
// and the column of a bad character inside an index.
func TestKeyPathIndexEdges(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"a[9]": 9, "a[0]": 0, "a[1048576]": MaxIndex, "a[0099]": 99} {
		p, err := ParseKeyPath(in)
		if err != nil || len(p) != 2 || !p[1].IsIndex || p[1].Index != want {
			t.Errorf("ParseKeyPath(%q) = %v, %v; want index %d", in, p, err, want)
		}
	}
	for in, col := range map[string]int{"a[1048577]": 3, "a[12x]": 5, "a[9/]": 4, "a[0:]": 4} {
		_, err := ParseKeyPath(in)
		var kpe *KeyPathError
		if !errors.As(err, &kpe) || kpe.Column != col || kpe.Offset != col-1 {
			t.Errorf("ParseKeyPath(%q) = %v, want an error at column %d", in, err, col)
		}
	}
}

// TestKeyPathBackslashAtTheEnd: a backslash as the key's last byte is a bad
// escape, not a read past the end.
func TestKeyPathBackslashAtTheEnd(t *testing.T) {
	t.Parallel()
	for in, col := range map[string]int{`"a\`: 1, `b."a\`: 3} {
		_, err := ParseKeyPath(in)
		var kpe *KeyPathError
		if !errors.As(err, &kpe) || kpe.Column != col || !strings.Contains(kpe.Reason, `only \" and \\ can be escaped`) {
			t.Errorf("ParseKeyPath(%q) = %v, want a bad escape at column %d", in, err, col)
		}
	}
}
