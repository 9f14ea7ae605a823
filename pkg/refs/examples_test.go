package refs_test

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/refs"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

// TestExample runs examples/upgrades/postgres-16.yaml as a user without
// credentials would, and checks that every finding lands on a line whose
// comment names its rule, so the example's comments cannot drift.
func TestExample(t *testing.T) {
	t.Parallel()
	r, err := repo.Open("../..")
	if err != nil {
		t.Fatal(err)
	}
	const file = "examples/upgrades/postgres-16.yaml"
	ms := decode(t, r, file)
	data, _, err := r.ReadPrefix(file, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	src := strings.Split(string(data), "\n")
	c := refs.New(refs.Options{Getenv: noEnv, ChangedFiles: []string{file}})
	got := c.Check(context.Background(), r, ms[0])
	var rules []string
	for _, f := range got {
		rules = append(rules, f.Rule.String())
		if f.File != file {
			t.Errorf("%s: finding outside the manifest", f)
			continue
		}
		if line := src[f.Line-1]; !strings.Contains(line, "# "+f.Rule.String()) {
			t.Errorf("%s\n  line %d has no comment naming %s: %q", f, f.Line, f.Rule, line)
		}
	}
	want := []string{"UG402", "UG402", "UG411", "UG411", "UG412", "UG412", "UG422"}
	if diff := cmp.Diff(want, rules); diff != "" {
		t.Errorf("rules (-want +got):\n%s", diff)
	}
	if t.Failed() || testing.Verbose() {
		t.Logf("findings:\n%s", strings.Join(lines(got), "\n"))
	}
}
