package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestEveryRuleHasATriggerAndAMiss: each rule of the catalog has a golden
// case that produces it (UGnnn-trigger-…) and one near it that must not
// (UGnnn-miss-…), so a rule added without both fails here.
func TestEveryRuleHasATriggerAndAMiss(t *testing.T) {
	entries, err := os.ReadDir(filepath.Join(testtree.Testdata(t), "check"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range entries {
		rule, kind, ok := strings.Cut(e.Name(), "-")
		if !ok || !e.IsDir() {
			continue
		}
		kind, _, _ = strings.Cut(kind, "-")
		have[rule+" "+kind] = true
	}
	for _, r := range rules.All() {
		for _, kind := range []string{"trigger", "miss"} {
			if !have[r.ID.String()+" "+kind] {
				t.Errorf("%s has no golden case testdata/check/%s-%s-…", r.ID, r.ID, kind)
			}
		}
	}
}
