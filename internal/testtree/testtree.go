// Package testtree builds file trees for tests: a tree from a map of files,
// and the tree of a golden case, which is the shared base under
// testdata/base with the case's folder under testdata/check laid over it.
//
// A case folder holds only what differs from the base: a file at the same
// path shadows the base file, and omit.txt lists base files (one slash path
// a line) the case leaves out. want.json (the expected report) and omit.txt
// describe the case and are not part of its tree.
package testtree

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// omitFile is the name of the file listing the base files a case leaves out.
const omitFile = "omit.txt"

// Want is the name of a case's expected JSON report.
const Want = "want.json"

// Write creates files (slash path -> content) under a new temporary
// directory and returns the directory.
func Write(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	Add(t, dir, files)
	return dir
}

// Repo is Write with a .git directory at the top, so that the directory is
// the repository root that the command line finds from any path in it.
func Repo(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := Write(t, files)
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Add writes files (slash path -> content) under dir, creating directories
// as needed.
func Add(t testing.TB, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		if err := writeFile(dir, name, []byte(text)); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(dir, name string, data []byte) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, data, 0o644)
}

// Testdata returns the repository's testdata directory, found from the
// working directory of the test upwards (the directory holding go.mod).
func Testdata(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testtree: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Cases lists the names of the golden cases, sorted.
func Cases(t testing.TB) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(Testdata(t), "check"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() {
			out = append(out, e.Name())
		}
	}
	if len(out) == 0 {
		t.Fatal("testtree: no golden cases under testdata/check")
	}
	return out
}

// Golden writes the tree of the golden case name into a new temporary
// directory and returns the directory. A symbolic link in a case folder is
// made again in the copy, a relative target resolved against the case
// folder so that it still points where it pointed in testdata.
//
// A case with a folder base/ is a pull request: base/ is laid over
// testdata/base (omit.txt included) as the base commit, on branch main, and
// the case's tree is committed on branch pr on top of it (with go-git);
// the work tree is the head. The base's merge base with HEAD is then "main".
func Golden(t testing.TB, name string) string {
	t.Helper()
	files, err := caseFiles(Testdata(t), name)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	baseTree, hasBase, err := baseFiles(Testdata(t), name)
	if err != nil {
		t.Fatal(err)
	}
	if hasBase {
		writeTree(t, dir, baseTree)
		GitInit(t, dir)
		GitCommit(t, dir, "base")
		GitSwitch(t, dir, "pr")
		for rel := range baseTree {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(rel))); err != nil {
				t.Fatal(err)
			}
		}
	}
	writeTree(t, dir, files)
	if hasBase {
		GitCommit(t, dir, "head")
	}
	return dir
}

// BaseDir is the folder of a golden case that holds its base commit's
// overlay (see Golden).
const BaseDir = "base"

// NoBaseFile is the file of a golden case whose run has no readable base:
// its first line is why, its second what to change (UG608).
const NoBaseFile = "no-base.txt"

// NoBase returns the reason and fix of a case's no-base.txt, if it has one.
func NoBase(t testing.TB, name string) (reason, fix string, ok bool) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(Testdata(t), "check", name, NoBaseFile))
	if err != nil {
		return "", "", false
	}
	reason, fix, _ = strings.Cut(strings.TrimSpace(string(data)), "\n")
	return reason, strings.TrimSpace(fix), true
}

// HasBase reports whether golden case name is a pull request with a base
// commit (a folder base/).
func HasBase(t testing.TB, name string) bool {
	t.Helper()
	st, err := os.Stat(filepath.Join(Testdata(t), "check", name, BaseDir))
	return err == nil && st.IsDir()
}

func writeTree(t testing.TB, dir string, files map[string]entry) {
	t.Helper()
	for rel, e := range files {
		var err error
		if e.Link == "" {
			err = writeFile(dir, rel, e.Data)
		} else {
			err = writeLink(dir, rel, e.Link)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

// entry is one file of a tree: its content, or the absolute target of a
// symbolic link.
type entry struct {
	Data []byte
	Link string
}

// caseFiles returns the tree of the golden case name (slash path -> entry):
// the base under testdata/base, less the files the case omits, with the
// case's own files over it (its base/ folder and no-base.txt left out).
func caseFiles(testdata, name string) (map[string]entry, error) {
	base, err := readTree(filepath.Join(testdata, "base"))
	if err != nil {
		return nil, err
	}
	overlay, err := readTree(filepath.Join(testdata, "check", name))
	if err != nil {
		return nil, fmt.Errorf("golden case %q: %w", name, err)
	}
	for rel := range overlay {
		if strings.HasPrefix(rel, BaseDir+"/") || rel == NoBaseFile {
			delete(overlay, rel)
		}
	}
	return layOver(name, base, overlay)
}

// baseFiles returns the tree of golden case name's base commit:
// testdata/base with the case's base/ folder laid over it.
func baseFiles(testdata, name string) (map[string]entry, bool, error) {
	dir := filepath.Join(testdata, "check", name, BaseDir)
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, false, nil
	}
	base, err := readTree(filepath.Join(testdata, "base"))
	if err != nil {
		return nil, false, err
	}
	overlay, err := readTree(dir)
	if err != nil {
		return nil, false, fmt.Errorf("golden case %q: %w", name, err)
	}
	files, err := layOver(name+"/"+BaseDir, base, overlay)
	return files, true, err
}

// layOver lays overlay over base (both slash path -> entry): overlay's
// omit.txt lists base files left out, want.json is not part of the tree.
func layOver(name string, base, overlay map[string]entry) (map[string]entry, error) {
	if omit, ok := overlay[omitFile]; ok {
		sc := bufio.NewScanner(bytes.NewReader(omit.Data))
		for sc.Scan() {
			rel := strings.TrimSpace(sc.Text())
			if rel == "" || strings.HasPrefix(rel, "#") {
				continue
			}
			if _, ok := base[rel]; !ok {
				return nil, fmt.Errorf("golden case %q: %s names %q, which the base does not hold", name, omitFile, rel)
			}
			if _, ok := overlay[rel]; ok {
				return nil, fmt.Errorf("golden case %q: %s names %q, which the case holds itself", name, omitFile, rel)
			}
			delete(base, rel)
		}
	}
	delete(overlay, omitFile)
	delete(overlay, Want)
	for rel, e := range overlay {
		base[rel] = e
	}
	return base, nil
}

// shadowed lists the files of golden case name that are byte-identical to
// the base file they shadow, sorted. A symbolic link is never a copy.
func shadowed(testdata, name string) ([]string, error) {
	base, err := readTree(filepath.Join(testdata, "base"))
	if err != nil {
		return nil, err
	}
	overlay, err := readTree(filepath.Join(testdata, "check", name))
	if err != nil {
		return nil, err
	}
	var out []string
	for rel, e := range overlay {
		if b, ok := base[rel]; ok && e.Link == "" && b.Link == "" && bytes.Equal(b.Data, e.Data) {
			out = append(out, rel)
		}
	}
	sort.Strings(out)
	return out, nil
}

// readTree reads every file under dir (slash path -> entry); a symbolic
// link is read as its target, made absolute.
func readTree(dir string) (map[string]entry, error) {
	out := map[string]entry{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		var e entry
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if !filepath.IsAbs(target) {
				if target, err = filepath.Abs(filepath.Join(filepath.Dir(p), target)); err != nil {
					return err
				}
			}
			e.Link = target
		case d.Type().IsRegular():
			if e.Data, err = os.ReadFile(p); err != nil {
				return err
			}
		default:
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	return out, err
}

func writeLink(dir, name, target string) error {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.Symlink(target, p)
}
