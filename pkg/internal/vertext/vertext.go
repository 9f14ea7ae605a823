// Package vertext reads the pieces of a version's text byte by byte: the
// digits of a segment and the dot-separated parts of a pre-release or of
// build metadata. pkg/upgradepath's parser (go-version's syntax) and
// pkg/yamldoc's VersionPattern check share them.
package vertext

// IsDigit reports whether c is an ASCII digit.
func IsDigit(c byte) bool { return '0' <= c && c <= '9' }

// IsPart reports whether c may stand in a pre-release or metadata part:
// a letter, a digit, "-" or "~".
func IsPart(c byte) bool {
	return IsDigit(c) || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '-' || c == '~'
}

// SkipDigits returns the end of the digits of s from i.
func SkipDigits(s string, i int) int {
	for i < len(s) && IsDigit(s[i]) {
		i++
	}
	return i
}

// SkipParts returns the end of the dot-separated parts of s from i (each
// of bytes IsPart accepts), or -1 when the first part is empty or a dot is
// followed by no part.
func SkipParts(s string, i int) int {
	for {
		j := i
		for j < len(s) && IsPart(s[j]) {
			j++
		}
		if j == i {
			return -1
		}
		if j == len(s) || s[j] != '.' {
			return j
		}
		i = j + 1
	}
}
