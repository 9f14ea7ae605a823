// Package textpos turns byte offsets in a file's text into the 1-based lines
// and character columns that findings carry: the one place that counts them,
// for the readers that find an offset (JSON, TOML, dotenv and INI files,
// patterns over deployed files, invalid UTF-8).
package textpos

import (
	"sort"
	"unicode/utf8"
)

// Lines is an index of a text's line starts, for many offsets in one text.
type Lines struct {
	data   []byte
	starts []int // offsets of the line starts; starts[0] is 0
}

// New indexes data's lines.
func New(data []byte) *Lines {
	l := &Lines{data: data, starts: []int{0}}
	for i, c := range data {
		if c == '\n' {
			l.starts = append(l.starts, i+1)
		}
	}
	return l
}

// At is the 1-based line and column of byte offset off: the column counts
// characters (an invalid byte counts as one), a newline ends its line. An
// offset outside the text is taken as its start or its end.
func (l *Lines) At(off int) (line, col int) {
	off = min(max(off, 0), len(l.data))
	i := sort.SearchInts(l.starts, off+1) - 1
	return i + 1, utf8.RuneCount(l.data[l.starts[i]:off]) + 1
}

// Of is At for one offset, without an index.
func Of(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	line, start := 1, 0
	for i, c := range data[:off] {
		if c == '\n' {
			line, start = line+1, i+1
		}
	}
	return line, utf8.RuneCount(data[start:off]) + 1
}

// InvalidUTF8 is the offset of the first byte of data that is not UTF-8,
// len(data) when there is none.
func InvalidUTF8(data []byte) int {
	off := 0
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	return off
}
