package repo

import (
	"errors"
	"io"
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
	return readRegular(name, n, 0)
}

// readAtMost reads at most n bytes of f into one buffer of the size the
// file says it has (one byte more, to see its end in the same read), grown
// only when the file grows while it is read.
func readAtMost(f io.Reader, n, size int64) ([]byte, error) {
	data := make([]byte, 0, min(max(size, 0)+1, n))
	for int64(len(data)) < n {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown as append grows
			data = data[:len(data):min(int64(cap(data)), n)]
		}
		k, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+k]
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	return data, nil
}
