//go:build !unix

package repo

// openNonblock: there are no FIFOs in the file system here.
const openNonblock = 0

// openNoFollow: open cannot refuse a symlink here; checkLinks looks at it.
const openNoFollow = 0

func isLinkErr(error) bool { return false }
