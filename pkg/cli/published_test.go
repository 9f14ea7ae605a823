package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"gopkg.in/yaml.v3"
)

// TestPublishedPaths runs `upgradegate path` on the upgrade paths that
// GitLab, Kubernetes, Nextcloud and Istio publish themselves (recorded with
// their sources in examples/published-paths.yaml) and expects the stops
// recorded there.
func TestPublishedPaths(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../examples/published-paths.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var cases []struct {
		Policy string   `yaml:"policy"`
		From   string   `yaml:"from"`
		To     string   `yaml:"to"`
		Stops  []string `yaml:"stops"`
		Source string   `yaml:"source"`
	}
	if err := yaml.Unmarshal(data, &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("only %d published paths", len(cases))
	}
	seen := map[string]bool{}
	for _, c := range cases {
		if c.Source == "" {
			t.Errorf("%s %s -> %s: no source", c.Policy, c.From, c.To)
		}
		seen[c.Policy] = true
		code, out, errOut := run(t, "path", "--policy", "../../examples/"+c.Policy, "--from", c.From, "--to", c.To, "--format", "json")
		if code != 0 {
			t.Errorf("%s %s -> %s: exit %d: %s%s", c.Policy, c.From, c.To, code, out, errOut)
			continue
		}
		var got pathResult
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		want := c.Stops
		if want == nil {
			want = []string{}
		}
		if diff := cmp.Diff(want, got.Stops); diff != "" {
			t.Errorf("%s %s -> %s (source %s) (-published +got):\n%s", c.Policy, c.From, c.To, c.Source, diff)
		}
	}
	for _, p := range []string{"gitlab", "kubernetes", "nextcloud"} {
		found := false
		for s := range seen {
			found = found || strings.Contains(s, p)
		}
		if !found {
			t.Errorf("no published path for %s", p)
		}
	}
}

// TestIssueExample is the command the issue names.
func TestIssueExample(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "path", "--policy", "../../examples/policies/gitlab.yaml", "--from", "15.6.0", "--to", "17.5.2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, stop := range []string{"15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.1.8", "17.3.7"} {
		if !strings.Contains(out, "  "+stop) {
			t.Errorf("stop %s missing:\n%s", stop, out)
		}
	}
}

func TestSkipConditional(t *testing.T) {
	t.Parallel()
	code, out, errOut := run(t, "path", "--policy", "../../examples/policies/gitlab.yaml", "--from", "15.6.0", "--to", "17.5.2", "--skip-conditional", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var got pathResult
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"15.11.13", "16.3.9", "16.7.10", "16.11.10", "17.3.7"}
	if diff := cmp.Diff(want, got.Stops); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
