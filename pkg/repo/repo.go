// Package repo confines file references to the repository: every path a
// manifest or policy names is resolved inside the root, and one that leaves it
// ("..", an absolute path, a symlink out) is refused before it is opened.
package repo

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
)

// ErrOutside is returned for a reference that leaves the repository.
var ErrOutside = errors.New("leaves the repository")

// OutsideError says which reference left the repository and how.
type OutsideError struct {
	Ref    string
	Reason string
}

func (e *OutsideError) Error() string {
	return fmt.Sprintf("%q %s: %s", e.Ref, ErrOutside, e.Reason)
}

// Unwrap makes errors.Is(err, ErrOutside) hold.
func (e *OutsideError) Unwrap() error { return ErrOutside }

// Repo is a repository root. Its methods are safe for concurrent use.
type Repo struct {
	root string // absolute, symlinks resolved
	// dirs caches, per absolute directory, whether its real location is
	// inside the root (dirInside): a run reads thousands of files from a
	// few hundred directories, and resolving every component of every path
	// again was a fifth of check's CPU.
	dirs sync.Map // string -> dirState
	// resolved holds the repository-relative paths Resolve found inside
	// (string -> struct{}): thousands of manifests name the same few
	// policy files.
	resolved sync.Map
}

// dirState is what resolving a directory found.
type dirState uint8

const (
	dirInside dirState = iota + 1
	dirOutside
	dirUnknown // missing, a loop, no permission: resolve the whole path instead
)

// Open returns the repository rooted at dir.
func Open(dir string) (*Repo, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, fmt.Errorf("repository root %q: %w", dir, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, fmt.Errorf("repository root %q: %w", dir, err)
	}
	st, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("repository root %q: %w", dir, err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("repository root %q is not a directory", dir)
	}
	return &Repo{root: real}, nil
}

// Root returns the absolute root directory.
func (r *Repo) Root() string { return r.root }

// Abs returns the absolute path of a repository-relative path.
func (r *Repo) Abs(rel string) string { return filepath.Join(r.root, filepath.FromSlash(rel)) }

// Rel returns the repository-relative, slash-separated form of an absolute
// or working-directory-relative path, or an error when it is outside.
func (r *Repo) Rel(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	rel, err := filepath.Rel(r.root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", &OutsideError{Ref: p, Reason: "it is not under the repository root " + r.root}
	}
	return filepath.ToSlash(rel), nil
}

// Resolve resolves ref, written in a file that lives in the repository
// directory baseDir ("" for the root; "." works too), to a repository-relative
// path. A reference that is absolute, climbs above the root, or passes through
// a symlink that points outside is an *OutsideError. The file need not exist.
func (r *Repo) Resolve(baseDir, ref string) (string, error) {
	if ref == "" {
		return "", fmt.Errorf("empty path")
	}
	if strings.ContainsRune(ref, 0) {
		return "", fmt.Errorf("path %q contains a NUL byte", ref)
	}
	slashed := strings.ReplaceAll(ref, `\`, "/")
	if path.IsAbs(slashed) || filepath.IsAbs(ref) || filepath.VolumeName(ref) != "" {
		return "", &OutsideError{Ref: ref, Reason: "absolute paths are not allowed; write a path relative to the repository"}
	}
	joined := path.Join("/"+baseDir, slashed)
	if climbs(baseDir, slashed) {
		return "", &OutsideError{Ref: ref, Reason: "it climbs above the repository root with '..'"}
	}
	rel := strings.TrimPrefix(joined, "/")
	if rel == "" {
		rel = "."
	}
	if _, ok := r.resolved.Load(rel); ok {
		return rel, nil
	}
	if err := r.checkLinks(ref, rel); err != nil {
		return "", err
	}
	r.resolved.Store(rel, struct{}{})
	return rel, nil
}

// climbs reports whether joining ref to base goes above the root at any point.
func climbs(base, ref string) bool {
	depth := 0
	for _, part := range strings.Split(path.Clean("/"+base), "/") {
		if part != "" {
			depth++
		}
	}
	for _, part := range strings.Split(ref, "/") {
		switch part {
		case "", ".":
		case "..":
			depth--
			if depth < 0 {
				return true
			}
		default:
			depth++
		}
	}
	return false
}

// checkLinks resolves symlinks along rel and refuses a target outside the root.
// The directory's real location comes from the cache; only the last
// component is looked at for each file, and resolved when it is a symlink.
func (r *Repo) checkLinks(ref, rel string) error {
	p := r.Abs(rel)
	if p == r.root {
		return nil
	}
	switch r.dir(filepath.Dir(p)) {
	case dirOutside:
		return &OutsideError{Ref: ref, Reason: "a symlink on its way points outside the repository"}
	case dirInside:
		st, err := os.Lstat(p)
		if err != nil || st.Mode()&fs.ModeSymlink == 0 {
			// missing, unreadable (reading it reports why) or not a link:
			// where its directory is, inside
			return nil
		}
	}
	return r.resolve(ref, p)
}

// dir returns whether directory d's real location is inside the root,
// resolving it once per Repo.
func (r *Repo) dir(d string) dirState {
	if v, ok := r.dirs.Load(d); ok {
		return v.(dirState)
	}
	if parent := filepath.Dir(d); strings.HasPrefix(d, r.root+string(filepath.Separator)) && r.dir(parent) == dirInside {
		// a directory that is no symlink, in a directory inside, is
		// inside: one Lstat instead of resolving every component again
		// (a few hundred directories of a repository share their
		// ancestors)
		if st, err := os.Lstat(d); err == nil && st.IsDir() {
			r.dirs.Store(d, dirInside)
			return dirInside
		}
	}
	state := dirUnknown
	real, err := filepath.EvalSymlinks(d)
	switch {
	case err == nil:
		state = dirInside
		if !r.inside(real) {
			state = dirOutside
		}
	case errors.Is(err, fs.ErrNotExist) && len(d) > len(r.root):
		// missing (or a dangling symlink): nothing under it exists, so
		// where a file in it would be is decided by the deepest ancestor
		// that exists, as resolve decides it. A configuration naming a
		// directory the repository lacks then costs one EvalSymlinks,
		// not one per file and ancestor.
		if parent := filepath.Dir(d); parent != d {
			if ps := r.dir(parent); ps != dirUnknown {
				state = ps
			}
		}
	}
	r.dirs.Store(d, state)
	return state
}

// inside reports whether real (symlinks resolved) is the root or under it.
func (r *Repo) inside(real string) bool {
	relReal, err := filepath.Rel(r.root, real)
	return err == nil && relReal != ".." && !strings.HasPrefix(relReal, ".."+string(filepath.Separator)) && !filepath.IsAbs(relReal)
}

// resolve is checkLinks without the cache: it resolves every component of p.
func (r *Repo) resolve(ref, p string) error {
	// find the deepest existing ancestor: symlinks can only be among those
	for {
		real, err := filepath.EvalSymlinks(p)
		if err == nil {
			if !r.inside(real) {
				return &OutsideError{Ref: ref, Reason: "a symlink on its way points outside the repository"}
			}
			return nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			// a loop or a permission problem: not outside, but unreadable;
			// reading it will report the cause
			return nil
		}
		parent := filepath.Dir(p)
		if parent == p || len(parent) < len(r.root) {
			return nil
		}
		p = parent
	}
}

// ReadPrefix reads at most n bytes of a repository-relative file and returns
// them with the file's size, so that a caller with a size limit never holds
// more than the limit in memory. It refuses a file whose real location is
// outside the repository, and like ReadRegular it opens only a
// regular file.
func (r *Repo) ReadPrefix(rel string, n int64) ([]byte, int64, error) {
	p := r.Abs(rel)
	if openNoFollow != 0 && p != r.root && r.dir(filepath.Dir(p)) == dirInside {
		// the directory is inside: the file is too unless it is a symlink,
		// which open refuses, and checkLinks then resolves
		data, size, err := readRegular(p, n, openNoFollow)
		if !isLinkErr(err) {
			return data, size, err
		}
	}
	if err := r.checkLinks(rel, rel); err != nil {
		return nil, 0, err
	}
	return ReadRegular(p, n)
}

// Exists reports whether a repository-relative file exists (following symlinks
// that stay inside the repository).
func (r *Repo) Exists(rel string) bool {
	if r.checkLinks(rel, rel) != nil {
		return false
	}
	_, err := os.Stat(r.Abs(rel))
	return err == nil
}
