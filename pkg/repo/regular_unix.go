//go:build unix

package repo

import (
	"errors"
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
