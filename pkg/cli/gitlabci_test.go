package cli

import (
	"os"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/report"
)

// TestGitLabTemplate: examples/gitlab-ci.yml runs on merge requests against
// their merge base, with the whole history cloned, and the files it writes
// are the ones its artifacts hand to GitLab's code quality widget and test
// summary, in formats the tool has.
func TestGitLabTemplate(t *testing.T) {
	data, err := os.ReadFile("../../examples/gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]struct {
		Image     string              `yaml:"image"`
		Rules     []map[string]string `yaml:"rules"`
		Variables map[string]string   `yaml:"variables"`
		Script    []string            `yaml:"script"`
		Artifacts struct {
			When    string            `yaml:"when"`
			Reports map[string]string `yaml:"reports"`
		} `yaml:"artifacts"`
	}
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("examples/gitlab-ci.yml: %v", err)
	}
	job, ok := doc["upgradegate"]
	if !ok {
		t.Fatal("no job upgradegate")
	}
	if len(job.Rules) != 1 || job.Rules[0]["if"] != `$CI_PIPELINE_SOURCE == "merge_request_event"` {
		t.Errorf("rules %v: want merge request pipelines", job.Rules)
	}
	if job.Variables["GIT_DEPTH"] != "0" {
		t.Errorf("GIT_DEPTH %q: the merge base must be in the clone", job.Variables["GIT_DEPTH"])
	}
	cmd := strings.Join(job.Script, "\n")
	fields := strings.Fields(cmd)
	i := slices.Index(fields, "check")
	if i < 0 || !strings.Contains(cmd, `--base "$CI_MERGE_REQUEST_DIFF_BASE_SHA"`) {
		t.Fatalf("script %q: want upgradegate check --base \"$CI_MERGE_REQUEST_DIFF_BASE_SHA\"", cmd)
	}
	// the flags must be the CLI's own: parse them as check would
	outs := map[string]string{}
	for k := i; k < len(fields); k++ {
		if fields[k] == "--format" && k+1 < len(fields) {
			name, file, _ := strings.Cut(fields[k+1], "=")
			outs[name] = file
		}
	}
	if _, err := parseOutputs(formatsOf(outs), report.For); err != nil {
		t.Errorf("the template's --format flags: %v", err)
	}
	if outs["gitlab"] == "" || job.Artifacts.Reports["codequality"] != outs["gitlab"] {
		t.Errorf("codequality report %q, gitlab format written to %q: want the same file", job.Artifacts.Reports["codequality"], outs["gitlab"])
	}
	if outs["junit"] == "" || job.Artifacts.Reports["junit"] != outs["junit"] {
		t.Errorf("junit report %q, junit format written to %q: want the same file", job.Artifacts.Reports["junit"], outs["junit"])
	}
	if job.Artifacts.When != "always" {
		t.Errorf("artifacts:when %q: a failing gate must still hand over its reports", job.Artifacts.When)
	}
	// every flag the template passes is one check defines
	for _, flag := range []string{"--base", "--changed-only", "--format"} {
		if !strings.Contains(checkUsage(t), strings.TrimPrefix(flag, "-")) {
			t.Errorf("check has no flag %s", flag)
		}
	}
}

func formatsOf(outs map[string]string) []string {
	var out []string
	for name, file := range outs {
		if file != "" {
			name += "=" + file
		}
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}

// checkUsage is check's flag help.
func checkUsage(t *testing.T) string {
	t.Helper()
	_, _, stderr := run(t, "check", "--help")
	return stderr
}
