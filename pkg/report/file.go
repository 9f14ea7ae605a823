package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// StagedFile is a complete temporary file beside its target, waiting to be
// renamed into place: several reports can be staged first and committed
// only when all were written, so a failure never leaves a partial file.
type StagedFile struct{ tmp, name string }

// Stage writes data to a temporary file beside name, creating name's
// directory when needed.
func Stage(name string, data []byte) (*StagedFile, error) {
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
	_, err = tmp.Write(data)
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
