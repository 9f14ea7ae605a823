//go:build !unix

package repo

import (
	"errors"
	"io/fs"
	"os"
)

// openNonblock: there are no FIFOs in the file system here.
const openNonblock = 0

// openNoFollow: open cannot refuse a symlink here; checkLinks looks at it.
const openNoFollow = 0

func isLinkErr(error) bool { return false }

// readRegular is ReadRegular with more flags for open.
func readRegular(name string, n int64, flags int) ([]byte, int64, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|openNonblock|flags, 0)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	switch {
	case st.IsDir():
		return nil, 0, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	case !st.Mode().IsRegular():
		return nil, 0, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	data, err := readAtMost(f, n, st.Size())
	if err != nil {
		return nil, 0, err
	}
	return data, max(st.Size(), int64(len(data))), nil
}
