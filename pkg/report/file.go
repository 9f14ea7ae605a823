package report

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// StagedFile is a complete temporary file beside its target, waiting to be
// renamed into place: several reports can be staged first and committed
// only when all were written, so a failure never leaves a partial file.
type StagedFile struct{ tmp, name string }

// Stage writes data to a temporary file beside name, creating name's
// directory when needed.
func Stage(name string, data []byte) (*StagedFile, error) {
	return StageFunc(name, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// StageFunc is Stage for content that write streams: a large report never
// has to be held in memory whole. A failure of write removes the temporary
// file.
func StageFunc(name string, write func(io.Writer) error) (*StagedFile, error) {
	if st, err := os.Stat(name); err == nil && st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", name) // the rename would fail after others were done
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return nil, fmt.Errorf("cannot create the directory of %s: %w", name, pathErr(err))
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".tmp*")
	if err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", name, pathErr(err))
	}
	sf := &StagedFile{tmp: tmp.Name(), name: name}
	bw := bufio.NewWriterSize(tmp, 256<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(sf.tmp)
		return nil, fmt.Errorf("cannot write %s: %w", name, pathErr(err))
	}
	return sf, nil
}

// Commit renames the staged file into place.
func (s *StagedFile) Commit() error {
	if err := os.Rename(s.tmp, s.name); err != nil {
		os.Remove(s.tmp)
		return fmt.Errorf("cannot write %s: %w", s.name, pathErr(err))
	}
	return nil
}

// Discard removes the temporary file if it was not committed.
func (s *StagedFile) Discard() { os.Remove(s.tmp) }

// WriteFile writes data to name atomically: readers see the old file or the
// whole new one, never a part.
func WriteFile(name string, data []byte) error {
	sf, err := Stage(name, data)
	if err != nil {
		return err
	}
	return sf.Commit()
}

// pathErr drops the path from a file error: messages name the file the user
// gave, not a temporary one.
func pathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Within reports whether name is root or lies under it, as written (no link
// is resolved). Both are made absolute first.
func Within(root, name string) bool {
	r, err1 := filepath.Abs(root)
	n, err2 := filepath.Abs(name)
	return err1 == nil && err2 == nil && within(r, n)
}

func within(root, name string) bool {
	rel, err := filepath.Rel(root, name)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// Confine checks that a report written to name lands inside root once the
// symbolic links of its directory are resolved: a directory of the
// repository that links elsewhere would carry the file out of it. The
// directory's missing part (Stage creates it) is resolved from its nearest
// existing ancestor; the file itself may be a link, which the rename
// replaces. The error names name as given.
func Confine(root, name string) error {
	absRoot, err := filepath.Abs(root)
	if err != nil {
		return fmt.Errorf("%s: %w", root, err)
	}
	realRoot, err := filepath.EvalSymlinks(absRoot)
	if err != nil {
		return fmt.Errorf("cannot resolve the root %s: %w", root, pathErr(err))
	}
	abs, err := filepath.Abs(name)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	dir, rest := filepath.Dir(abs), ""
	for {
		real, err := filepath.EvalSymlinks(dir)
		if err == nil {
			dir = filepath.Join(real, rest)
			break
		}
		if _, lerr := os.Lstat(dir); lerr == nil || !errors.Is(err, fs.ErrNotExist) {
			// a link to nowhere, or a link loop, or no permission
			return fmt.Errorf("cannot resolve the directory of %s: %w", name, pathErr(err))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return fmt.Errorf("cannot resolve the directory of %s: %w", name, pathErr(err))
		}
		rest = filepath.Join(filepath.Base(dir), rest)
		dir = parent
	}
	if !within(realRoot, dir) {
		return fmt.Errorf("%s is outside %s: its directory leads to %s through a symbolic link", name, root, dir)
	}
	return nil
}
