// Package base holds the base of a change: the files of the commit a pull
// request (or `check --base REV`) is compared with, read without a work tree
// and without a git binary. A base comes from the local git repository
// (go-git: the merge base of a revision and HEAD, the first parent of a
// merge commit, a commit named by the event) or from the GitHub REST API
// (the Git Trees API to expand globs, then blobs), and is read through the
// same two calls as the working tree (pkg/deployed.Files): ReadFile and Glob.
//
// Which base a run uses, and why none could be read (UG608), is data here;
// the rules that compare base and head (UG602, UG603, UG606, UG607) live in
// pkg/check.
package base

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// MaxFileSize is the largest file read at the base, as for a config file in
// the working tree (configfile.MaxFileSize): past it ReadFile fails with a
// *TooLargeError.
const MaxFileSize = 8 << 20

// Files reads the files of one tree by repository-relative slash paths: the
// interface of pkg/deployed.Files, which the working tree implements too.
// Glob takes doublestar patterns (** crosses directories) and returns the
// matching files, sorted. Both are safe for concurrent use.
type Files interface {
	ReadFile(rel string) ([]byte, error)
	Glob(pattern string) ([]string, error)
}

// Base is the base of one run: its files and where they came from.
type Base struct {
	// Files are the base commit's files, relative to the gate's root.
	Files Files
	// Commit is the base commit's full hash.
	Commit string
	// Source says how the base was found, for the report and the job
	// summary: "merge base of main and HEAD", "first parent of the merge
	// commit", "merge_group.base_sha", "the REST API (contents: read)".
	Source string
	// Changed are the repository paths that differ between the base and
	// HEAD (a renamed file under both names), as --changed-files lists
	// them; nil when the base does not know them (the API's base: the
	// pull request's files come from the API then).
	Changed []string
}

// Describe is one line for the report: "abc1234 (merge base of main and
// HEAD)".
func (b *Base) Describe() string {
	if b == nil {
		return "none"
	}
	return fmt.Sprintf("%.7s (%s)", b.Commit, b.Source)
}

// Err is the first failure of the API while the base's files were read (a
// base read through the REST API; nil for a local one, and when every read
// got its answer): with it, what the base was is not known, and the run must
// say so (UG608) rather than compare with a base it could not read.
func (b *Base) Err() error {
	if f, ok := b.Files.(interface{ Err() error }); ok {
		return f.Err()
	}
	return nil
}

// Unreadable says why a run has no base although it needs one, and exactly
// what to change (UG608).
type Unreadable struct {
	Reason string // "the checkout is shallow: the merge commit's first parent abc1234 is not in it, and the API answered 403"
	Fix    string // "add fetch-depth: 2 to actions/checkout, or give the job permissions: contents: read"
}

func (u *Unreadable) Error() string { return u.Reason }

// NotFoundError is a file the base does not hold.
type NotFoundError struct {
	Rel    string
	Commit string
}

func (e *NotFoundError) Error() string {
	return fmt.Sprintf("%q does not exist at the base %.7s", e.Rel, e.Commit)
}

// Is makes errors.Is(err, fs.ErrNotExist) hold.
func (e *NotFoundError) Is(target error) bool { return target == fs.ErrNotExist }

// TooLargeError is a base file over MaxFileSize.
type TooLargeError struct {
	Rel  string
	Size int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%q is %d bytes at the base, over the %d MiB limit", e.Rel, e.Size, MaxFileSize>>20)
}

// cleanRel checks a repository-relative path: slash-separated, not
// absolute, not leaving the root.
func cleanRel(rel string) (string, error) {
	rel = strings.ReplaceAll(rel, `\`, "/")
	c := path.Clean(rel)
	if rel == "" || path.IsAbs(rel) || c == ".." || strings.HasPrefix(c, "../") || c == "." {
		return "", fmt.Errorf("%q is not a file inside the repository", rel)
	}
	return c, nil
}

// literalDir is the directory of a glob pattern before its first meta
// character ("k8s/**/*.yaml" -> "k8s"; "*.yaml" -> ""): only the files
// under it can match.
func literalDir(pattern string) string {
	dir, _ := doublestar.SplitPattern(pattern)
	if dir == "." {
		return ""
	}
	return dir
}

// match returns the files (sorted or not) that pattern matches, sorted.
func match(pattern string, files []string) ([]string, error) {
	if !doublestar.ValidatePattern(pattern) {
		return nil, fmt.Errorf("glob %q: %w", pattern, doublestar.ErrBadPattern)
	}
	var out []string
	for _, f := range files {
		if ok, _ := doublestar.Match(pattern, f); ok {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out, nil
}

// checkPattern refuses a pattern that is absolute or leaves the root.
func checkPattern(pattern string) error {
	p := strings.ReplaceAll(pattern, `\`, "/")
	if p == "" || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "/../") {
		return fmt.Errorf("glob %q does not stay inside the repository", pattern)
	}
	return nil
}

// ErrUnknownRevision is a revision that names no commit, or no commit
// HEAD shares history with: a usage error (exit 2).
var ErrUnknownRevision = errors.New("unknown revision")

// RevisionError is a --base revision that cannot be used; it unwraps to
// ErrUnknownRevision.
type RevisionError struct {
	Rev    string
	Reason string
}

func (e *RevisionError) Error() string { return fmt.Sprintf("revision %q %s", e.Rev, e.Reason) }

// Unwrap makes errors.Is(err, ErrUnknownRevision) hold.
func (e *RevisionError) Unwrap() error { return ErrUnknownRevision }
