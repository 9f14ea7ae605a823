package repo

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// ErrNotRegular is the cause for a path that is a FIFO, a device or a
// socket: opening or reading one could block the run or never end.
var ErrNotRegular = errors.New("not a regular file")

// ReadRegular reads at most n bytes of the file name and returns them with
// the file's size, so that a caller with a size limit never holds more than
// the limit in memory. It opens only regular files: the file is opened
// without waiting for a writer (a FIFO's open would block until one comes)
// and checked before any read, so a FIFO, a device or a socket is a
// *fs.PathError wrapping ErrNotRegular, and a directory one saying so.
func ReadRegular(name string, n int64) ([]byte, int64, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|openNonblock, 0)
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
	data, err := io.ReadAll(io.LimitReader(f, n))
	if err != nil {
		return nil, 0, err
	}
	return data, max(st.Size(), int64(len(data))), nil
}
