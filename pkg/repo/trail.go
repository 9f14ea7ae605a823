package repo

import (
	"errors"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxLinks bounds the symlinks Trail follows for one path (Linux's limit).
const maxLinks = 40

// Trail returns the repository files that decide what the repository path
// rel names: rel itself (cleaned), every symlink on its way (in git a
// symlink is a file of its own, so changing one changes what rel names), and
// the path it finally resolves to. A path that does not exist is followed as
// far as it exists. ok is false when the way cannot be followed to its end
// inside the repository (a symlink out of it, a loop, an unreadable
// directory): a caller selecting by changed files must then assume that rel
// changed.
func (r *Repo) Trail(rel string) (files []string, ok bool) {
	rel = path.Clean(strings.ReplaceAll(rel, `\`, "/"))
	if path.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, "../") {
		return []string{rel}, false
	}
	files = []string{rel}
	var done []string // the real components resolved so far
	parts := strings.Split(rel, "/")
	links := 0
	for len(parts) > 0 {
		p := parts[0]
		parts = parts[1:]
		switch p {
		case "", ".":
			continue
		case "..":
			if len(done) == 0 {
				return dedupe(files), false
			}
			done = done[:len(done)-1]
			continue
		}
		cur := path.Join(path.Join(done...), p)
		fi, err := os.Lstat(r.Abs(cur))
		if errors.Is(err, fs.ErrNotExist) {
			// nothing below exists, so no symlink either: the rest is lexical
			final := path.Join(append([]string{cur}, parts...)...)
			if final == ".." || strings.HasPrefix(final, "../") {
				return dedupe(files), false
			}
			return dedupe(append(files, final)), true
		}
		if err != nil {
			return dedupe(files), false
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			done = append(done, p)
			continue
		}
		if links++; links > maxLinks {
			return dedupe(files), false
		}
		files = append(files, cur)
		target, err := os.Readlink(r.Abs(cur))
		if err != nil {
			return dedupe(files), false
		}
		if filepath.IsAbs(target) {
			in, err := filepath.Rel(r.root, target)
			if err != nil || in == ".." || strings.HasPrefix(in, ".."+string(filepath.Separator)) {
				return dedupe(files), false
			}
			done, target = nil, in
		}
		parts = append(strings.Split(filepath.ToSlash(target), "/"), parts...)
	}
	final := path.Join(done...)
	if final == "" {
		final = "."
	}
	return dedupe(append(files, final)), true
}

func dedupe(files []string) []string {
	seen := make(map[string]bool, len(files))
	out := files[:0]
	for _, f := range files {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}
