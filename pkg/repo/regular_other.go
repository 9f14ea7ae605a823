//go:build !unix

package repo

// openNonblock: there are no FIFOs in the file system here.
const openNonblock = 0
