package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestColorMode(t *testing.T) {
	env := func(vars map[string]string) Env {
		return Env{Getenv: func(k string) string { return vars[k] }}
	}
	var buf bytes.Buffer
	for _, tc := range []struct {
		mode string
		vars map[string]string
		want bool
	}{
		{"always", nil, true},
		{"never", nil, false},
		{"auto", nil, false}, // a buffer is no terminal
		{"always", map[string]string{"NO_COLOR": "1"}, false},
		{"auto", map[string]string{"NO_COLOR": "1"}, false},
		{"always", map[string]string{"NO_COLOR": ""}, true},
	} {
		if got := colorMode(tc.mode).enabled(env(tc.vars), &buf); got != tc.want {
			t.Errorf("--color=%s with %v: %v, want %v", tc.mode, tc.vars, got, tc.want)
		}
	}
	// a regular file is no terminal either
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if colorMode("auto").enabled(env(nil), f) {
		t.Error("--color=auto on a regular file: want no colours")
	}
	var c colorMode
	for in, want := range map[string]string{"auto": "auto", "always": "always", "never": "never", "true": "always", "false": "never"} {
		if err := c.Set(in); err != nil || string(c) != want {
			t.Errorf("Set(%q) = %q, %v; want %q", in, c, err, want)
		}
	}
	if err := c.Set("sometimes"); err == nil || !strings.Contains(err.Error(), "auto, always or never") {
		t.Errorf("Set(sometimes): %v", err)
	}
}

// TestColorFlag: --color alone colours the text, --color=never and NO_COLOR
// do not, and a bad value is a usage error.
func TestColorFlag(t *testing.T) {
	args := []string{"check", "../../examples/upgrades/kubernetes-1-31.yaml", "--root", "../..", "--now", "2026-11-22T12:00:00Z"}
	_, out, _ := run(t, append(args, "--color")...)
	if !strings.Contains(out, "\x1b[31merror\x1b[0m") {
		t.Errorf("--color: no coloured severity in\n%s", out)
	}
	_, out, _ = run(t, append(args, "--color=never")...)
	if strings.Contains(out, "\x1b[") {
		t.Errorf("--color=never: escape codes in\n%s", out)
	}
	if code, _, errOut := run(t, append(args, "--color=rainbow")...); code != ExitError || !strings.Contains(errOut, "auto, always or never") {
		t.Errorf("--color=rainbow: exit %d, %s", code, errOut)
	}
}
