//go:build unix

package repo

import (
	"errors"
	"io/fs"
	"syscall"
)

// openNonblock keeps open from waiting for a FIFO's writer; it does not
// change how a regular file is read.
const openNonblock = syscall.O_NONBLOCK

// openNoFollow makes open fail on a symlink (isLinkErr), so that a file
// whose directory is known to be inside the root is read without looking
// at it first.
const openNoFollow = syscall.O_NOFOLLOW

// isLinkErr reports whether open with openNoFollow failed because the file
// is a symlink: ELOOP, or EMLINK on FreeBSD.
func isLinkErr(err error) bool {
	return errors.Is(err, syscall.ELOOP) || errors.Is(err, syscall.EMLINK)
}

// readRegular is ReadRegular with more flags for open. It reads with the
// system calls themselves, not an *os.File: a run reads thousands of small
// files, and an *os.File tries each one on the network poller (an
// epoll_ctl the kernel refuses for a regular file) and sets a cleanup for
// it. The read stops once it has what the file's size says, without
// reading again to see the end (a file that grows after its stat is read
// as it was then).
func readRegular(name string, n int64, flags int) ([]byte, int64, error) {
	fd, err := retry(func() (int, error) {
		return syscall.Open(name, syscall.O_RDONLY|syscall.O_CLOEXEC|openNonblock|flags, 0)
	})
	if err != nil {
		return nil, 0, &fs.PathError{Op: "open", Path: name, Err: err}
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if _, err := retry(func() (int, error) { return 0, syscall.Fstat(fd, &st) }); err != nil {
		return nil, 0, &fs.PathError{Op: "stat", Path: name, Err: err}
	}
	switch st.Mode & syscall.S_IFMT {
	case syscall.S_IFDIR:
		return nil, 0, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	case syscall.S_IFREG:
	default:
		return nil, 0, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	size := st.Size
	data := make([]byte, 0, min(max(size, 0)+1, n))
	for int64(len(data)) < n {
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // grown as append grows
			data = data[:len(data):min(int64(cap(data)), n)]
		}
		k, err := retry(func() (int, error) { return syscall.Read(fd, data[len(data):cap(data)]) })
		if err != nil {
			return nil, 0, &fs.PathError{Op: "read", Path: name, Err: err}
		}
		if k <= 0 {
			break // the end
		}
		data = data[:len(data)+k]
		if int64(len(data)) == size && len(data) < cap(data) {
			break // all the stat said there is
		}
	}
	return data, max(size, int64(len(data))), nil
}

// retry calls fn again while it is interrupted by a signal (EINTR).
func retry(fn func() (int, error)) (int, error) {
	for {
		k, err := fn()
		if err != syscall.EINTR {
			return k, err
		}
	}
}
