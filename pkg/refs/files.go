package refs

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path"
	"strings"
)

// normalize cleans a repository-relative path ("./a//b" -> "a/b"); false
// for an absolute path or one that climbs out with "..".
func normalize(p string) (string, bool) {
	p = strings.TrimSpace(strings.ReplaceAll(p, `\`, "/"))
	if p == "" || strings.HasPrefix(p, "/") {
		return "", false
	}
	p = path.Clean(p)
	if p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// ReadChangedFiles reads the pull request's changed files for the
// --changed-files flag: one repository-relative path per line; blank lines
// and lines starting with # are ignored. An empty file gives an empty,
// non-nil list (a pull request that changed nothing).
//
// The list is read up to maxChangedFiles bytes, so that a device such as
// /dev/urandom cannot fill the memory. A pipe is read (process substitution,
// <(git diff --name-only …), is one): it must have a writer.
func ReadChangedFiles(name string) ([]string, error) {
	return readChangedFiles(name, maxChangedFiles)
}

func readChangedFiles(name string, limit int64) ([]string, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("read changed files: %w", err)
	}
	defer f.Close()
	lr := &io.LimitedReader{R: f, N: limit + 1}
	files, err := ParseChangedFiles(lr)
	if err == nil && lr.N <= 0 {
		err = fmt.Errorf("the list is over the limit of %d bytes", limit)
	}
	if err != nil {
		return nil, fmt.Errorf("read changed files %q: %w", name, err)
	}
	return files, nil
}

// maxChangedFiles bounds a changed-files list: a million paths of 60 bytes.
const maxChangedFiles = 64 << 20

// ParseChangedFiles reads a changed-files list (see ReadChangedFiles).
func ParseChangedFiles(r io.Reader) ([]string, error) {
	files := []string{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		p, ok := normalize(s)
		if !ok {
			return nil, fmt.Errorf("line %d: %q is not a path relative to the repository root", line, s)
		}
		files = append(files, p)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return files, nil
}
