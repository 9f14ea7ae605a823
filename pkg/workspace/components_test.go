package workspace

import (
	"regexp"
	"testing"
)

// kindPolicyRegexp is what hasKindPolicyLine must match exactly.
var kindPolicyRegexp = regexp.MustCompile(`(?m)^kind:\s*["']?Policy["']?\s*(#.*)?$`)

func TestHasKindPolicyLineIsTheRegexp(t *testing.T) {
	t.Parallel()
	cases := []string{
		"", "kind: Policy", "kind: Policy\n", "kind:Policy", "kind: \"Policy\"\n", "kind: 'Policy' # the policy\n",
		"kind: Policy\r\n", "kind: Policy \t\n", "kind: Policy#x", "kind:\n  Policy\n", "kind: Policyx\n",
		"kind: NetworkPolicy\n", " kind: Policy\n", "xkind: Policy\n", "a: 1\nkind: Policy\nb: 2\n",
		"kind: Deployment\nimagePullPolicy: Always\n", "kind: Policy x\n", "kind: \"Policy\n", "kind: Policy\"'\n",
		"kind: Upgrade\n---\nkind: Policy\n", "kind: kind: Policy\n", "kind:\r\n\"Policy\"\r\n", "kind: Policy\r",
		"kind: Policy\rx", "kind: Policy\f#\n", "kind: \n\nPolicy \n", "kind:  Polic\nkind: Policy", "kind:",
		"kind: Policy\n\nkind:", "\nkind:\tPolicy", "kind: Policies\n", "kind: ''Policy\n",
	}
	for _, c := range cases {
		if got, want := hasKindPolicyLine([]byte(c)), kindPolicyRegexp.MatchString(c); got != want {
			t.Errorf("hasKindPolicyLine(%q) = %v, the regexp says %v", c, got, want)
		}
	}
}

func FuzzHasKindPolicyLine(f *testing.F) {
	for _, s := range []string{"kind: Policy\n", "kind:\n Policy # x", "a\nkind: 'Policy\"\r\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasKindPolicyLine([]byte(s)), kindPolicyRegexp.MatchString(s); got != want {
			t.Errorf("hasKindPolicyLine(%q) = %v, the regexp says %v", s, got, want)
		}
	})
}
