package report

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// invisible reports whether r is a rune no output line should carry: a
// control character (C0, DEL, C1: ESC starts terminal escapes), a Unicode
// direction control (U+202A–U+202E, U+2066–U+2069, the marks), or a line or
// paragraph separator.
func invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == '\u2028' || r == '\u2029' ||
		r == utf8.RuneError
}

// clean removes the invisible runes of s. A tab becomes a space; CR and LF
// are kept when keepNewlines (the caller escapes them), else every line break
// ("\r\n", "\r", "\n") becomes one space. s comes back as it is when it holds
// none, without a copy.
func clean(s string, keepNewlines bool) string {
	i := strings.IndexFunc(s, invisible)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r' || r == '\n':
			if keepNewlines {
				b.WriteRune(r)
			} else if r == '\n' || !strings.HasPrefix(s[i+1:], "\n") {
				b.WriteByte(' ')
			}
		case r == '\t':
			b.WriteByte(' ')
		case r == utf8.RuneError:
			b.WriteRune(utf8.RuneError) // invalid UTF-8 shows as U+FFFD
		case invisible(r):
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// StripControls keeps text on one line and free of terminal escapes and
// direction tricks: line breaks and tabs become spaces, control characters
// and Unicode direction controls are removed.
func StripControls(s string) string { return clean(s, false) }

// legacyCommand neutralises the runner's legacy workflow command form
// "##[name]data", which the runner finds anywhere in a line.
var legacyCommand = strings.NewReplacer("##[", `##\[`)

// textField makes a value from a manifest or a finding safe in a line of the
// text report or the log: one line, no control characters, no workflow
// command.
func textField(s string) string {
	return legacyCommand.Replace(StripControls(s))
}

// textFile is textField for a file name, which starts a line: a name that
// would start the line with "::" (a workflow command, after the spaces the
// runner skips) is written as "./name", the same file.
func textFile(s string) string {
	s = textField(s)
	if startsCommand(s) {
		return "./" + s
	}
	return s
}

// TextField makes text from a manifest, a policy or a finding safe in a line
// of a text output: textField, and quoted (%q) when it would start the line
// with "::", a workflow command.
func TextField(s string) string {
	s = textField(s)
	if startsCommand(s) {
		return strconv.Quote(s)
	}
	return s
}

// startsCommand reports whether a line starting with s starts with "::"
// after the spaces the runner skips.
func startsCommand(s string) bool {
	return strings.HasPrefix(strings.TrimLeftFunc(s, unicode.IsSpace), "::")
}
