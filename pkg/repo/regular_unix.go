//go:build unix

package repo

import "syscall"

// openNonblock keeps open from waiting for a FIFO's writer; it does not
// change how a regular file is read.
const openNonblock = syscall.O_NONBLOCK
