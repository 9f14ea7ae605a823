package cli

import (
	"fmt"
	"io"
	"os"
)

// colorMode is --color: auto (the default: colours when standard output is
// a terminal), always or never; a bare --color is always. NO_COLOR set to
// anything non-empty turns colours off whatever the flag says
// (https://no-color.org).
type colorMode string

func (c *colorMode) String() string { return string(*c) }

func (c *colorMode) Set(s string) error {
	switch s {
	case "auto", "always", "never":
		*c = colorMode(s)
	case "true":
		*c = "always"
	case "false":
		*c = "never"
	default:
		return fmt.Errorf("%q: expected auto, always or never", s)
	}
	return nil
}

// IsBoolFlag lets --color stand alone (meaning always).
func (c *colorMode) IsBoolFlag() bool { return true }

// enabled decides for the text written to w.
func (c colorMode) enabled(env Env, w io.Writer) bool {
	if env.Getenv != nil && env.Getenv("NO_COLOR") != "" {
		return false
	}
	switch c {
	case "always":
		return true
	case "never":
		return false
	}
	if env.Getenv != nil && env.Getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
