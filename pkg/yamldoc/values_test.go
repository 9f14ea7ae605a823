package yamldoc

import (
	"strings"
	"testing"
)

func TestParseVersionIsDigitsAndDots(t *testing.T) {
	t.Parallel()
	ok := map[string]string{
		"17.3.7": "17.3.7", "v1.29": "1.29.0", " 2.0 ": "2.0.0", "1": "1.0.0",
		"1.30.0-rc.1": "1.30.0-rc.1", "v1.29.4+k3s1": "1.29.4+k3s1", "17.3.7-ee": "17.3.7-ee",
	}
	for in, want := range ok {
		v, err := ParseVersion(in)
		if err != nil || v.String() != want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %s", in, v, err, want)
		}
	}
	for _, in := range []string{"1e400", "0x10", "1.2.3a", "1.0-", "1..2", "one.two", "", "v", "1.0 beta", "99999999999999999999"} {
		if v, err := ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", in, v)
		} else if !strings.Contains(err.Error(), Quote(in)) && !strings.Contains(err.Error(), `"`+in+`"`) {
			t.Errorf("ParseVersion(%q): error %q does not name the value", in, err)
		}
	}
}

func TestParseConstraintChecksEveryVersion(t *testing.T) {
	t.Parallel()
	for _, in := range []string{">= 14.9, < 17", "~> 1.2", "= 1.0.0-rc.1", "!= 2.0", "1.0", ">=v1.27"} {
		if _, err := ParseConstraint(in); err != nil {
			t.Errorf("ParseConstraint(%q) = %v", in, err)
		}
	}
	for _, in := range []string{">= 1e400", "< 0x10", ">= 1.0, < 2e3", "", ">= "} {
		if c, err := ParseConstraint(in); err == nil {
			t.Errorf("ParseConstraint(%q) = %v, want an error", in, c)
		}
	}
}
