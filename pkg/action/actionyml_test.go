package action

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	githubactions "github.com/sethvargo/go-githubactions"
	"gopkg.in/yaml.v3"
)

// TestActionYAML keeps action.yml, the inputs the code reads, the outputs it
// sets and docs/action.md in step.
func TestActionYAML(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var meta struct {
		Inputs map[string]struct {
			Default *string `yaml:"default"`
		} `yaml:"inputs"`
		Outputs map[string]any `yaml:"outputs"`
		Runs    struct {
			Using string   `yaml:"using"`
			Image string   `yaml:"image"`
			Args  []string `yaml:"args"`
		} `yaml:"runs"`
	}
	if err := yaml.Unmarshal(data, &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Runs.Using != "docker" || !cmp.Equal(meta.Runs.Args, []string{"action"}) {
		t.Errorf("runs: using %q, args %q; want docker and [action]", meta.Runs.Using, meta.Runs.Args)
	}

	// the inputs the code reads, by the names the runner gives them
	var read []string
	readInputs(githubactions.New(githubactions.WithGetenv(func(k string) string {
		if name, ok := strings.CutPrefix(k, "INPUT_"); ok {
			read = append(read, strings.ToLower(name))
		}
		return ""
	})))
	sort.Strings(read)
	if diff := cmp.Diff(keys(meta.Inputs), read); diff != "" {
		t.Errorf("inputs of action.yml (-) and read by the code (+):\n%s", diff)
	}
	for name, in := range meta.Inputs {
		if in.Default == nil {
			t.Errorf("input %q has no default: the runner then passes no INPUT_ variable", name)
		}
	}

	h := newHarness(t)
	res := h.run()
	var set []string
	for k := range res.outputs {
		set = append(set, k)
	}
	sort.Strings(set)
	if diff := cmp.Diff(keys(meta.Outputs), set); diff != "" {
		t.Errorf("outputs of action.yml (-) and set by the code (+):\n%s", diff)
	}

	docs, err := os.ReadFile(filepath.Join("..", "..", "docs", "action.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range append(keys(meta.Inputs), keys(meta.Outputs)...) {
		if !strings.Contains(string(docs), "| `"+name+"` |") {
			t.Errorf("docs/action.md has no table row for %q", name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
