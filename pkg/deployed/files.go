package deployed

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

// Files is a tree of repository files: the working tree, or the files of a
// base revision. Paths are repository-relative with '/'.
type Files interface {
	// ReadFile returns a file's content; a missing file wraps
	// fs.ErrNotExist, and a file over the tree's limit is a *TooLargeError.
	ReadFile(rel string) ([]byte, error)
	// Glob returns the regular files matching a doublestar pattern (**
	// crosses directories), sorted.
	Glob(pattern string) ([]string, error)
}

// TooLargeError is a file over the size limit of the tree that reads it.
type TooLargeError struct {
	File  string
	Size  int64
	Limit int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%q is %d bytes, over the %d-byte limit", e.File, e.Size, e.Limit)
}

// WorkTree is the working tree of a repository: every path is confined by
// pkg/repo (no "..", no symlink out, regular files only) and every read is
// bounded by the limit.
type WorkTree struct {
	repo  *repo.Repo
	limit int64
}

// NewWorkTree returns the working tree of r, reading files of at most limit
// bytes (workspace.MaxFileSize).
func NewWorkTree(r *repo.Repo, limit int64) *WorkTree {
	return &WorkTree{repo: r, limit: limit}
}

// ReadFile reads a repository file.
func (w *WorkTree) ReadFile(rel string) ([]byte, error) {
	if _, err := w.repo.Resolve("", rel); err != nil {
		return nil, err
	}
	data, size, err := w.repo.ReadPrefix(rel, w.limit+1)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return nil, pe.Err // no absolute paths in findings
		}
		return nil, err
	}
	if size > w.limit {
		return nil, &TooLargeError{File: rel, Size: size, Limit: w.limit}
	}
	return data, nil
}

// skipDirs are never globbed: version control and dependency trees.
var skipDirs = map[string]bool{".git": true, "node_modules": true}

// MaxGlobFiles bounds the files one glob may match.
const MaxGlobFiles = 10000

// Glob lists the regular files under the root matching pattern, walking
// only below its fixed prefix; symlinks are not followed, .git and
// node_modules are not entered.
func (w *WorkTree) Glob(pattern string) ([]string, error) {
	if !doublestar.ValidatePattern(pattern) {
		return nil, fmt.Errorf("invalid glob %q", pattern)
	}
	base, _ := doublestar.SplitPattern(pattern)
	if base == "." {
		base = ""
	}
	if _, err := w.repo.Resolve("", base); err != nil && base != "" {
		return nil, err
	}
	start := w.repo.Abs(base)
	var out []string
	err := filepath.WalkDir(start, func(fp string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && fp == start {
				return fs.SkipAll // nothing matches
			}
			return err
		}
		if d.IsDir() {
			if skipDirs[d.Name()] && fp != start {
				return fs.SkipDir
			}
			return nil
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(w.repo.Root(), fp)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if ok, _ := doublestar.Match(pattern, rel); ok {
			if len(out) == MaxGlobFiles {
				return fmt.Errorf("matches more than %d files", MaxGlobFiles)
			}
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			if rel, rerr := filepath.Rel(w.repo.Root(), pe.Path); rerr == nil {
				return nil, fmt.Errorf("glob %q: %s: %w", pattern, filepath.ToSlash(rel), pe.Err)
			}
			return nil, fmt.Errorf("glob %q: %w", pattern, pe.Err)
		}
		return nil, fmt.Errorf("glob %q: %w", pattern, err)
	}
	sort.Strings(out)
	return out, nil
}
