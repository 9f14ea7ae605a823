package approval

import (
	"context"
	"strings"
	"testing"
)

// FuzzGiven: --approved-by never panics; what it accepts approves itself,
// and a rejected value is named in the error.
func FuzzGiven(f *testing.F) {
	for _, s := range []string{"@alice", "@alice,@example-org/dba", "bob, ,", "@", "@a/b/c", "app[bot]", "@x;y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, arg string) {
		s, err := Given([]string{arg})
		if err != nil {
			if !strings.Contains(err.Error(), "--approved-by") {
				t.Errorf("error %q does not name the flag", err)
			}
			return
		}
		for _, who := range s.Approvers() {
			if ok, err := s.Approved(context.Background(), who); !ok || err != nil {
				t.Errorf("%q accepted but does not approve itself: %v %v", who, ok, err)
			}
		}
	})
}
