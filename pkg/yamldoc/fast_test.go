package yamldoc

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// differs returns where got and want differ, ignoring comments, or "".
func differs(got, want *yaml.Node, path string) string {
	switch {
	case got == nil || want == nil:
		if got != want {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		return ""
	case got.Kind != want.Kind, got.Style != want.Style, got.Tag != want.Tag, got.Value != want.Value,
		got.Anchor != want.Anchor, (got.Alias == nil) != (want.Alias == nil), got.Line != want.Line, got.Column != want.Column,
		len(got.Content) != len(want.Content), (got.Content == nil) != (want.Content == nil):
		return fmt.Sprintf("%s: got %v %q %q style %v at %d:%d with %d children (nil %v), want %v %q %q style %v at %d:%d with %d children (nil %v)", path,
			got.Kind, got.Tag, got.Value, got.Style, got.Line, got.Column, len(got.Content), got.Content == nil,
			want.Kind, want.Tag, want.Value, want.Style, want.Line, want.Column, len(want.Content), want.Content == nil)
	}
	if got.Alias != nil && (got.Alias.Line != want.Alias.Line || got.Alias.Column != want.Alias.Column) {
		return fmt.Sprintf("%s: an alias of the node at %d:%d, want of %d:%d", path, got.Alias.Line, got.Alias.Column, want.Alias.Line, want.Alias.Column)
	}
	for i := range got.Content {
		if d := differs(got.Content[i], want.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// fastAgrees runs fastParse on data and, when it accepts, fails the test
// unless yaml.v3 accepts data too and gives the same nodes (comments
// aside); it reports whether fastParse accepted.
func fastAgrees(t testing.TB, data string) bool {
	t.Helper()
	got, ok := fastParse([]byte(data))
	if !ok {
		return false
	}
	want, err := decodeAll([]byte(data))
	if err != nil {
		t.Fatalf("fastParse accepts what yaml.v3 rejects (%v):\n%s", err, data)
	}
	if len(got) != len(want) {
		t.Fatalf("fastParse gives %d documents, yaml.v3 %d, on:\n%s", len(got), len(want), data)
	}
	for i := range got {
		if d := differs(got[i], want[i], fmt.Sprintf("doc %d", i)); d != "" {
			t.Fatalf("fastParse's nodes differ from yaml.v3's: %s\non:\n%s", d, data)
		}
	}
	return true
}

// TestFastParseCases: each construct fastParse reads gives yaml.v3's nodes,
// and each it does not read, or only nearly, is declined (the file then
// goes to yaml.v3).
func TestFastParseCases(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data   string
		accept bool
	}{
		// read
		{"", true},
		{"# only a comment\n\n", true},
		{"\n\n   \n", true},
		{"a: 1\n", true},
		{"a: 1", true},
		{"a: b\nc: d\n", true},
		{"# head\n\na: 1 # line\n# foot\n", true},
		{"  a: 1\n  b: 2\n", true},
		{"a:\n   b: 1\n   c:\n     d: x\n", true},
		{"a: b:c\n", true},
		{"a: b :c\n", true},
		{"url: http://x\n", true},
		{"url: https://example.com/a?b=c#frag\n", true},
		{"a: b#c\n", true},
		{"a: b # c\n", true},
		{"a: b   \nc: d  \n", true},
		{"a :  1\n", true},
		{"\"b\" : 2\n", true},
		{"key: 'it''s'\n", true},
		{"key: ''''\n", true},
		{"key: ''\nother: \"\"\n", true},
		{`key: "a \"b\" \\ \n \t"` + "\n", true},
		{`key: "\/"` + "\n", false},
		{"key: \"# not a comment\"\n", true},
		{"n: 1\nf: 1.5\ne: 1e3\nh: 0x1F\no: 0o17\nneg: -3\nu: 1_000\n", true},
		{"b: true\nc: False\nd: yes\ne: off\n", true},
		{"n: null\nm: ~\no: Null\n", true},
		{"t: 2026-12-01T22:00:00Z\nd: 2026-11-08\n", true},
		{"inf: .inf\nnan: .NaN\nv: 15.4.0\nv2: v1.2\n", true},
		{"a: [x, \"b c\", 'd', 1, true]\n", true},
		{"a: []\nb: {}\n", true},
		{"a: [ x ,y , z ]\n", true},
		{"a: [a:b, a :b]\n", true},
		{"a: [https://example.com/x, http://y:80/z]\n", true},
		{"a: {start: 2026-12-01T22:00:00Z, end: 2026-12-01T23:30:00Z}\n", true},
		{"a: {x: [1, 2], y: {z: w}}\n", true},
		{"a: [{x: 1}, [2, 3]]\n", true},
		{"a: {\"x\": 1, 'y' : 2}\n", true},
		{"a: [x] # c\n", true},
		{"- x\n- y\n", true},
		{"- x: 1\n  y: 2\n- z: 3\n", true},
		{"a:\n- x\n- y\nb: 1\n", true},
		{"a:\n  - x\n  - y\nb: 1\n", true},
		{"- a:\n  - x\n  b: 1\n", true},
		{"- a:\n    b: 1\n  c: 2\n", true},
		{"- 'q': 1\n- \"r\" : 2\n", true},
		{"- [a, b]\n- {c: d}\n", true},
		{"a: 1\n---\nb: 2\n", true},
		{"---\na: 1\n", true},
		{"--- # c\na: 1\n---   \nb: 2\n", true},
		{"# c\n---\n\n# d\na: 1\n", true},
		{"a:\nb: 1\n", true},
		{"a:   # c\nb: 1\n", true},
		{"a:\n---\nb:\n", true},
		{"a:", true},
		{"a:\n  b:\nc: 1\n", true},
		{"a:\n  # c\nb: 1\n", true},
		{"-x: 1\n-1: 2\n", true},
		{"a: -fsS\nb: -.5\n", true},
		{"a: b, c\nd: e[0]\nf: g{\n", true},
		{"a: x  # comment with: colon\n", true},
		{"a: \"x\"  # c\n", true},
		{"a.b/c_d~e$f: 1\n", true},
		{"  # c\n    # d\na:\n    - x\n    # e\n    - y\n", true},
		{"# 1.27–1.31\na: 1 # é\n", true},
		{"a: [b,\n  c]\n", true},
		{"a: {b: c,\n  d: e}\n", true},
		{"a:\n  r: [\n    1.2.3, 1.2.4, # c\n\n    # d\n    2.0.0 ,\n    'x' # e\n    , y\n  ]\n  s: 1\n", true},
		{"a: [\n]\nb: {\n  }\n", true},
		{"- [a,\n   b]\n- {c: [d,\n    e], f: g}\n", true},
		{"a: [x\n  , y]\n", true},
		{"a: [x,]\nb: [x, ]\nc: [[x],\n  ]\nd: {x: y,}\ne: [{x: y,},]\n", true},
		{"a: |\n  x\n  y\nb: 1\n", true},
		{"a: |\n  x\n\n   y\n  # not a comment\n\n\nb: 1\n", true},
		{"a: |-\n  x\n  y\nb: 1\n", true},
		{"a: >\n  x\n  y\n\n  z\n\n\n  w\nb: 1\n", true},
		{"a: >-\n  x\n\n\n  y\n", true},
		{"a: |\n  x", true},
		{"a: |\n  x\n", true},
		{"a: | # c\n\n\n  x\n # c\nb: 1\n", true},
		{"- |\n  x\n- >-\n   y\n   z\n- k: |\n    v\n  j: 1\n", true},
		{"a:\n- |\n  x\nb: |\n é–\n", true},
		{"a: |\n  x\n---\nb: 1\n", true},
		{"a: b\n  c\n", true},
		{"a: b\n  c  \n\n    \n   d e # f\n  # g\nh: 1\n", true},
		{"a: 1\n  2\nb: x:y\n  z\n", true},
		{"- a\n  b\n- c\n   d\n   e\n- k: v\n    w\n  j: 1\n", true},
		{"a:\n- b\n c\nd: e\n", true},
		{"a: b\n  c\n# d\n  e: 1\n", false},
		{"a: b\n  c\n---\nd: e\n  f\n", true},
		{"a: [x, \"é–\", y, 'ü', z]\nb: {\"ñ\": w, v: u}\n", true},
		{"a: b é c\nd: x\u00a0y\n\"é\": [\"\U0001F600\", k]\n", true},
		{"- é: 1\n  f: 2\n", false},
		{"a: 1 # \xff\n", false},
		{"# \u0085\na: 1\n", false},
		{"a: \"\u2028\"\n", false},
		{"a: \"\u0080\"\n", false},
		{"a: 1 # \ufeff\n", false},
		{"a: 1 # \uffff\n", false},

		// not read (or only nearly): declined
		{"a:\tb\n", false},
		{"a: 1\r\n", false},
		{"\ufeffa: 1\n", false},
		{"a: é\n", false},
		{"a: &x 1\nb: *x\n", false},
		{"a: !!str 1\n", false},
		{"a: |+\n  x\n", false},
		{"a: |2\n  x\n", false},
		{"a: |-2\n  x\n", false},
		{"a: |#c\n  x\n", false},
		{"a: | x\n", false},
		{"a: |\nb: 1\n", false},
		{"a: |\n", false},
		{"a: |", false},
		{"a: |\n  x\n  \n  y\n", false},
		{"a: |\n    \n  x\n", false},
		{"a: >\n  x\n   y\n", false},
		{"a: >\n   x\n  y\n", false},
		{"a: |\n  x\n y: 1\n", false},
		{"a:\n  b: |\n  x\n", false},
		{"a: b\n  c: d\n", false},
		{"a: b\n  [c]\n", false},
		{"a: b\n  c\n  d:\n", false},
		{"- a\n  &b\n", false},
		{"a: \"b\n  c\"\n", false},
		{"a: 'b\n  c'\n", false},
		{"a: [b\n  c]\n", false},
		{"a: [b\n  # c\n  d]\n", false},
		{"a: [\nb]\n", false},
		{"a: [b,\n---\n]\n", false},
		{"a: {b:\n  c}\n", false},
		{"a: {b\n  : c}\n", false},
		{"a: [b,#c\n  d]\n", false},
		{"a: [b,\n  \"c\n  d\"]\n", false},
		{"a: [b,\n  c]]\n", false},
		{"a: [b,\n", false},
		{"- [b,\n c]: d\n", false},
		{"? a\n: b\n", false},
		{"%YAML 1.2\n---\na: 1\n", false},
		{"a: 1\n...\n", false},
		{"---\n", false},
		{"a: 1\n---\n", false},
		{"--- a: 1\n", false},
		{"- \n- a\n", false},
		{"-\n  a: 1\n", false},
		{"- - x\n", false},
		{"<<: {a: 1}\n", false},
		{`a: "\x41"` + "\n", false},
		{"a: b: c\n", false},
		{"a: b:\n", false},
		{"a: [a: b]\n", false},
		{"a: [a?b]\n", false},
		{"a: [a:]\n", false},
		{"a: {a}\n", false},
		{"a: {a: }\n", false},
		{"a: {\"a\":b}\n", false},
		{"a: [,]\n", false},
		{"a: [a,,]\n", false},
		{"a: {,}\n", false},
		{"a: [a,}\n", false},
		{"a: {a: b,]\n", false},
		{"a: [x]#c\n", false},
		{"a: \"x\"# c\n", false},
		{"a: \"x\"y\n", false},
		{"a: [x] y\n", false},
		{"a: 1\n b: 2\n", false},
		{"a:\n    b: 1\n  c: 2\n", false},
		{"a: 1\n- x\n", false},
		{"a:\n  - x\n  b: 1\n", false},
		{"- x\na: 1\n", false},
		{"- x\n  - y\n", false},
		{"- x: 1\n - y\n", false},
		{"a\n", false},
		{"a: 1\nb\n", false},
		{"[a, b]\n", false},
		{"x\n", false},
		{"a: 1 #c\n  b: 2\n", false},
		{"a: -\n", false},
		{"a: ?x\n", false},
		{"a: :x\n", false},
		{"a: @x\n", false},
		{"a: `x`\n", false},
		{"a: %x\n", false},
		{"a: ,x\n", false},
		{"a:#c\n", false},
		{strings.Repeat("k", 1100) + ": v\n", false},
		{"- " + strings.Repeat("k", 1100) + ": v\n", false},
		{"a: {" + strings.Repeat("k", 1100) + ": v}\n", false},
		{strings.Repeat("- [", 70) + strings.Repeat("]", 70) + "\n", false},
		{"a: \x7f\n", false},
	} {
		t.Run(tc.data, func(t *testing.T) {
			t.Parallel()
			if got := fastAgrees(t, tc.data); got != tc.accept {
				t.Errorf("fastParse accepts %v, want %v, on:\n%s", got, tc.accept, tc.data)
			}
		})
	}
}

// TestFastParseFiles: every YAML file of the repository's test cases and
// examples, and of pkg/yamldoc/testdata/fast (files of internal/gen's
// corpus: manifests, a policy, other tools' files), parses to yaml.v3's
// nodes when fastParse accepts it, and every file of the corpus sample is
// accepted; $UPGRADEGATE_CORPUS (go run ./internal/gen -out DIR) adds a
// whole corpus, every file of which must be accepted too.
func TestFastParseFiles(t *testing.T) {
	t.Parallel()
	walk := func(dir string, mustAccept bool) {
		var n, accepted int
		err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") && !strings.HasSuffix(path, ".yml") {
				return err
			}
			data, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			n++
			if fastAgrees(t, string(data)) {
				accepted++
			} else if mustAccept {
				t.Errorf("fastParse declines %s", path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Fatalf("no YAML files under %s", dir)
		}
		t.Logf("%s: fastParse accepts %d of %d YAML files", dir, accepted, n)
	}
	walk("../../testdata", false)
	walk("../../examples", false)
	walk("testdata/fast", true)
	if dir := os.Getenv("UPGRADEGATE_CORPUS"); dir != "" {
		walk(dir, true)
	}
}

// fastSeeds returns the corpus sample's files.
func fastSeeds(tb testing.TB) [][]byte {
	tb.Helper()
	paths, err := filepath.Glob("testdata/fast/*.yaml")
	if err != nil || len(paths) == 0 {
		tb.Fatalf("no corpus sample in testdata/fast (%v)", err)
	}
	var out [][]byte
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, data)
	}
	return out
}

// extraSeeds are what the corpus sample lacks: block scalars, flow
// collections and plain scalars over several lines, documents, quoting,
// UTF-8.
var extraSeeds = [][]byte{
	[]byte("a: |\n  x\n\n   y\n  # z\nb: >-\n  w\n  v\n\n  u\n- |\n  t\n"),
	[]byte("spec:\n  r: [\n    1.2.3, 1.2.4, # c\n\n    'x' # e\n    , y\n  ]\n  s: {a: b,\n    c: [d]}\n"),
	[]byte("notes: a long\n  text, on\n\n  lines # c\nrisks:\n- one\n  two\n- k: v\n    w\n"),
	[]byte("# é–\n---\na:\n- x: 'it''s'\n  y: \"q \\\" \\n\"\n- [a:b, c :d]\n---\nb: ~\nc:\nd: -1\n"),
}

// FuzzFastParse: on any input, fastParse declines or gives yaml.v3's nodes
// (comments aside), and never accepts what yaml.v3 rejects.
func FuzzFastParse(f *testing.F) {
	for _, data := range fastSeeds(f) {
		f.Add(string(data))
	}
	for _, data := range extraSeeds {
		f.Add(string(data))
	}
	for _, s := range []string{
		"a: [x, \"b c\"]\nb: {start: 2026-12-01T22:00:00Z, end: 1}\n",
		"- a:\n  - x\n  b: 'it''s'\n---\nc:\nd: e # f\n",
		"a: b:c\nurl: http://x\nk: [a:b]\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fastAgrees(t, s)
	})
}

// upgradeManifests returns the corpus sample's upgrade manifests, or with
// $UPGRADEGATE_CORPUS set, that corpus's.
func upgradeManifests(b *testing.B) [][]byte {
	b.Helper()
	dir := os.Getenv("UPGRADEGATE_CORPUS")
	if dir == "" {
		var out [][]byte
		for _, data := range fastSeeds(b) {
			if strings.Contains(string(data), "\nkind: Upgrade\n") {
				out = append(out, data)
			}
		}
		return out
	}
	var out [][]byte
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".yaml") {
			return err
		}
		data, err := os.ReadFile(path)
		if err == nil && strings.Contains(string(data), "\nkind: Upgrade\n") {
			out = append(out, data)
		}
		return err
	})
	if err != nil || len(out) == 0 {
		b.Fatalf("no upgrade manifests under %s (%v)", dir, err)
	}
	return out
}

// BenchmarkParse: the upgrade manifests of the corpus sample (or of
// $UPGRADEGATE_CORPUS) parsed by Parse's fast path and by yaml.v3; one op
// parses every manifest once.
func BenchmarkParse(b *testing.B) {
	files := upgradeManifests(b)
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, data := range files {
				if _, ok := fastParse(data); !ok {
					b.Fatal("fastParse declines a manifest")
				}
			}
		}
	})
	b.Run("yaml.v3", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, data := range files {
				if _, err := decodeAll(data); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestFastParseMutations: the corpus sample with a few bytes inserted,
// deleted or replaced by YAML's indicators, blanks and letters parses to
// yaml.v3's nodes whenever fastParse accepts it (FuzzFastParse does the
// same at random; this runs on every go test).
func TestFastParseMutations(t *testing.T) {
	t.Parallel()
	seeds := append(fastSeeds(t), extraSeeds...)
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []byte(" \n-:#[]{},'\"ab1.?&*!|>%@`\\\té")
	const cases = 3000
	accepted := 0
	for range cases {
		b := slices.Clone(seeds[r.IntN(len(seeds))])
		for range 1 + r.IntN(4) {
			i := r.IntN(len(b) + 1)
			c := alphabet[r.IntN(len(alphabet))]
			switch r.IntN(3) {
			case 0:
				b = slices.Insert(b, i, c)
			case 1:
				if i < len(b) {
					b = slices.Delete(b, i, i+1)
				}
			default:
				if i < len(b) {
					b[i] = c
				}
			}
		}
		if fastAgrees(t, string(b)) {
			accepted++
		}
	}
	if accepted < cases/4 {
		t.Errorf("fastParse accepts %d of %d mutated files: the test no longer tests it", accepted, cases)
	}
	t.Logf("fastParse accepts %d of %d mutated files", accepted, cases)
}

// TestFastParseMemoryBounded: the bytes that may start a node but do not
// (commas in a comment, a file declined after its first line) cost a few
// small slabs, not 152 bytes each. Before the slabs were bounded, each of
// these 1 MiB files made fastParse allocate 169-337 MiB.
func TestFastParseMemoryBounded(t *testing.T) {
	const size = 1 << 20
	for _, tc := range []struct {
		name, data string
		accept     bool
	}{
		{"commas in a comment", "a: x\n#" + strings.Repeat(",", size-6), true},
		{"brackets past the depth bound", "a: " + strings.Repeat("[", size-3), false},
		{"commas after a colon", "a: " + strings.Repeat(",", size-3), false},
		{"dashes in a quoted value", "a: \"" + strings.Repeat("- ", size/2-3) + "\"\n", true},
	} {
		data := []byte(tc.data)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, ok := fastParse(data)
		runtime.ReadMemStats(&after)
		if ok != tc.accept {
			t.Errorf("%s: accepted %v, want %v", tc.name, ok, tc.accept)
		}
		// the text itself (one string copy) and a few slabs of nodes
		if got, limit := after.TotalAlloc-before.TotalAlloc, uint64(2*size+4<<20); got > limit {
			t.Errorf("%s: fastParse allocated %d bytes for a %d-byte file, want at most %d", tc.name, got, len(data), limit)
		}
	}
}
