package yamldoc

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// releases returns n list items "INDENT- 1.x.y" at the given indentation.
func releases(indent, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s- 1.%d.%d\n", strings.Repeat(" ", indent), i/20, i%20)
	}
	return b.String()
}

// sameAsYAML parses data with Parse and with yaml.v3 alone and fails the
// test unless both give the same nodes (comments aside: the fast path
// drops them), or both an error, and unless parseRuns, when it reads the
// file, gives yaml.v3's nodes with their comments; it reports whether
// parseRuns read a run itself.
func sameAsYAML(t *testing.T, data string) bool {
	t.Helper()
	want, werr := decodeAll([]byte(data))
	got, f := Parse("x.yaml", []byte(data))
	if (werr != nil) != (f != nil) {
		t.Fatalf("yaml.v3 error %v, Parse finding %v, on:\n%s", werr, f, data)
	}
	if werr == nil {
		if len(got) != len(want) {
			t.Fatalf("Parse gives %d documents, yaml.v3 %d, on:\n%s", len(got), len(want), data)
		}
		for i := range got {
			if d := differs(got[i], want[i], fmt.Sprintf("doc %d", i)); d != "" {
				t.Fatalf("Parse's nodes differ from yaml.v3's on:\n%s\n%s", data, d)
			}
		}
	}
	runs, fast := parseRuns([]byte(data))
	if fast && !reflect.DeepEqual(runs, want) {
		t.Fatalf("parseRuns' nodes differ from yaml.v3's on:\n%s\ngot  %s\nwant %s", data, dump(runs), dump(want))
	}
	return fast
}

func dump(docs []*yaml.Node) string {
	var b strings.Builder
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		fmt.Fprintf(&b, "\n%s%v %q %q style %v at %d:%d head %q line %q foot %q", strings.Repeat("  ", depth), n.Kind, n.Tag, n.Value, n.Style, n.Line, n.Column, n.HeadComment, n.LineComment, n.FootComment)
		for _, c := range n.Content {
			walk(c, depth+1)
		}
	}
	for _, d := range docs {
		walk(d, 0)
	}
	return b.String()
}

// TestParseReadsRunsAsYAMLDoes: files with long lists of plain versions
// give yaml.v3's own nodes, at every edge of a run: at the start and the
// end of the file, the shortest run, an item after it that is no plain
// version, two lists in a row, other indentations, comments around it.
func TestParseReadsRunsAsYAMLDoes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		data string
		fast bool
	}{
		{"a policy", "kind: Policy\nspec:\n  releases:\n" + releases(4, 200) + "  maxStep: {major: 1}\n", true},
		{"shortest run", "releases:\n" + releases(2, minRun), true},
		{"one item short", "releases:\n" + releases(2, minRun-1), false},
		{"the shortest run alone, no newline at the end", strings.TrimSuffix(releases(0, minRun), "\n"), true},
		{"one item short alone, no newline at the end", strings.TrimSuffix(releases(0, minRun-1), "\n"), false},
		{"top-level list, no newline at the end", strings.TrimSuffix(releases(0, 100), "\n"), true},
		{"indentless list", "releases:\n" + releases(0, 100) + "other: 1\n", true},
		{"a float after the run", "r:\n" + releases(2, 100) + "  - 1.5\n  - true\n  - '1.2.3'\n", true},
		{"items before the run", "r:\n  - 1.5\n  - {a: 1}\n  - [1.2.3]\n" + releases(2, 100), true},
		{"two runs", "a:\n" + releases(2, 70) + "b:\n" + releases(4, 80), true},
		{"runs of two indentations in a row", "a:\n" + releases(2, 70) + releases(4, 70), false},
		{"comments around", "# head\nr: # key\n  # before\n" + releases(2, 100) + "  # after\n\n# foot\n", true},
		{"comment right after", "r:\n" + releases(2, 100) + "# after\nnext: 1\n", true},
		{"anchored list and alias", "r: &rel\n" + releases(2, 100) + "s: *rel\n", true},
		{"in a literal block", "text: |\n" + releases(2, 100) + "x: 1\n", false},
		{"in a folded block", "text: >-\n" + releases(4, 100), false},
		{"in a quoted string", "text: \"start\n" + releases(2, 100) + "  end\"\n", false},
		{"in a flow list", "r: [\n" + releases(2, 100) + "]\n", false},
		{"nested lists", "r:\n  -\n" + releases(4, 100) + "  - 2.0.0\n", true},
		{"multi-document", "a: 1\n---\nr:\n" + releases(2, 100) + "---\nb: 2\n", true},
		{"CRLF", strings.ReplaceAll("r:\n"+releases(2, 100), "\n", "\r\n"), false},
		{"syntax error after", "r:\n" + releases(2, 100) + "  x: [\n", false},
		{"syntax error before", "a: [\nr:\n" + releases(2, 100), false},
		{"tab after the run", "r:\n" + releases(2, 100) + "\tx: 1\n", false},
		{"NEL before", "a: \"x\u0085y\"\nr:\n" + releases(2, 100), false}, // yaml.v3 counts another line
		{"LS line break before", "a: x\u2028y\nr:\n" + releases(2, 100), false},
		{"duplicate key", "r:\n" + releases(2, 100) + "r: 2\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := sameAsYAML(t, tc.data); got != tc.fast {
				t.Errorf("read the run itself: %v, want %v", got, tc.fast)
			}
		})
	}
}

// TestParseRunsRandom compares Parse with yaml.v3 on random files mixing
// long lists with every kind of line that could end, hide or change one.
func TestParseRunsRandom(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 10))
	values := []string{"1.2.3", "v1.2.3", "1.2.3-rc.1", "1.2.3+k3s1", "10.0.0.1", "1.2", "1", "true", "null", "~",
		"'1.2.3'", "\"1.2.3\"", "1.2.3 # c", "1.2.3 ", "1.2.3:", "1.2.3: x", "&a 1.2.3", "*a", "[1.2.3]", "{a: 1.2.3}",
		"- 1.2.3", "", "1.2.3.", "1..2", "2001-12-14", "0x1.2.3", "1.2.3e5", "1.2_3.4", ".1.2", "v.1.2"}
	other := []string{"", "# c", "  # c", "k: v", "  k: v", "---", "...", "text: |", "text: >", "  - x", "\t- 1.2.3", "[", "]", "\"", "'", "x: &a", "y: *a"}
	fast := 0
	const cases = 600
	for range cases {
		var b strings.Builder
		key := strings.Repeat(" ", 2*r.IntN(2)) // the lists' keys and items
		if key != "" {
			b.WriteString("spec:\n")
		}
		item := key + strings.Repeat(" ", 2*r.IntN(2))
		for range 1 + r.IntN(4) {
			if r.IntN(6) == 0 {
				b.WriteString(other[r.IntN(len(other))] + "\n")
			}
			indent := item
			if r.IntN(8) == 0 {
				indent += " " // deeper than its key's other lists
			}
			fmt.Fprintf(&b, "%slist%d:\n", key, r.IntN(3))
			n := minRun - 3 + r.IntN(80)
			for i := range n {
				v := fmt.Sprintf("%d.%d.%d", r.IntN(3), i/20, i%20)
				switch k := r.IntN(3000); {
				case k < len(values):
					v = values[k]
				case k < len(values)+len(other):
					b.WriteString(other[k-len(values)] + "\n")
				}
				fmt.Fprintf(&b, "%s- %s\n", indent, v)
			}
		}
		data := b.String()
		if r.IntN(10) == 0 {
			data = strings.TrimSuffix(data, "\n")
		}
		if sameAsYAML(t, data) {
			fast++
		}
	}
	if fast < cases/5 {
		t.Errorf("only %d of %d files had a run Parse read itself: the test no longer tests it", fast, cases)
	}
}

// TestFindRuns places the runs: the first and last line, the column of the
// values, the values.
func TestFindRuns(t *testing.T) {
	t.Parallel()
	src := "a:\n" + releases(2, minRun) + "b:\n" + releases(0, minRun+1) + "    - 9.9.9\n"
	runs := findRuns(src)
	if len(runs) != 2 {
		t.Fatalf("%d runs, want 2", len(runs))
	}
	if r, vs := runs[0], runs[0].values(src); r.first != 2 || r.last != minRun+1 || r.col != 5 || len(vs) != minRun || vs[0] != "1.0.0" || vs[minRun-1] != fmt.Sprintf("1.%d.%d", (minRun-1)/20, (minRun-1)%20) ||
		r.value(src, r.first) != vs[0] || r.value(src, r.last) != vs[minRun-1] || r.value(src, r.first+5) != "1.0.5" {
		t.Errorf("first run %d-%d at column %d, %d values %q…%q", r.first, r.last, r.col, len(vs), vs[0], vs[len(vs)-1])
	}
	if r, vs := runs[1], runs[1].values(src); r.first != minRun+3 || r.last != 2*minRun+3 || r.col != 3 || len(vs) != minRun+1 || vs[minRun] != fmt.Sprintf("1.%d.%d", minRun/20, minRun%20) {
		t.Errorf("second run %d-%d at column %d, %d values", r.first, r.last, r.col, len(vs))
	}
	blank := string(blankRuns(src, runs))
	lines := strings.Split(blank, "\n")
	if len(lines) != strings.Count(src, "\n")+1 || lines[1] != "  - 1.0.0" || lines[2] != "" || lines[minRun-1] != "" || lines[minRun] == "" || lines[minRun+1] != "b:" {
		t.Errorf("blankRuns keeps the first and last items and the other lines: %q", lines[:minRun+2])
	}
}

// TestIsRunValue: only what yaml.v3 reads as the string itself.
func TestIsRunValue(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"1.2.3", "v1.2.3", "17.3.7-ee", "1.29.4+k3s1", "1.0.0-rc.1", "1.2.3.4", "0.0.0", "1.2.3-", "1..2", "1.2.~"} {
		if !isRunValue(s) {
			t.Errorf("isRunValue(%q) = false", s)
		}
	}
	for _, s := range []string{"", "v", "1", "1.2", "1e5.2.3", "v.1.2", ".1.2", "1.2.3 ", "1.2.3#", "1.2.3:", "1.2_3.4", "a1.2.3", "2001-12-14", "1-2.3.4", "1.2.3,4", "1.2.3'", "1.2.3é", "vv1.2.3"} {
		if isRunValue(s) {
			t.Errorf("isRunValue(%q) = true", s)
		}
	}
}

// TestParseRunsSaveWork: a long list costs yaml.v3 nothing per item.
func TestParseRunsSaveWork(t *testing.T) {
	data := []byte("spec:\n  releases:\n" + releases(4, 2000))
	fast := testing.AllocsPerRun(3, func() { Parse("x.yaml", data) })
	slow := testing.AllocsPerRun(3, func() { _, _ = decodeAll(data) })
	if fast*5 > slow {
		t.Errorf("Parse made %v allocations for 2,000 items, yaml.v3 alone %v: want at most a fifth", fast, slow)
	}
}
