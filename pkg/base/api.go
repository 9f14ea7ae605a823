package base

import (
	"context"
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/github"
)

// TreeReader reads a repository's Git trees and blobs (*github.Client: the
// Git Trees and Blobs API, with the job's token and contents: read).
type TreeReader interface {
	Tree(ctx context.Context, sha string, recursive bool) (*github.Tree, error)
	Blob(ctx context.Context, sha string, max int64) ([]byte, error)
}

// Bounds of a base read through the API.
const (
	// MaxAPIRequests bounds the requests of one base, trees and blobs.
	MaxAPIRequests = 1000
	// maxBlobCache bounds the bytes of the blobs kept for a second read.
	maxBlobCache = 32 << 20
)

// APIRequestsError is a base that needs more requests than MaxAPIRequests.
type APIRequestsError struct{ Commit string }

func (e *APIRequestsError) Error() string {
	return fmt.Sprintf("reading the base %.7s through the API takes more than %d requests, the most the gate makes", e.Commit, MaxAPIRequests)
}

// OpenAPI returns the base at commit read through the REST API: one
// recursive listing of the commit's tree (the Git Trees API), then the blob
// of each file read. When the listing is truncated (past 100,000 entries or
// 7 MB), the trees are listed one directory at a time, only those a read
// or a glob needs: never a listing taken as whole when it is not. The
// listing's failure (403 or 404 without contents: read) is the error; a
// later failure is the error of the read, and Err reports it.
//
// Files holds ctx for its reads. Changed is nil: the pull request's files
// come from the API.
func OpenAPI(ctx context.Context, api TreeReader, commit, source string) (*Base, error) {
	f := &apiFiles{ctx: ctx, api: api, commit: commit, dirs: map[string]*apiDir{}, globs: map[string][]string{},
		blobs: map[string][]byte{}}
	t, err := f.tree(commit, true)
	if err != nil {
		return nil, err
	}
	if t.Truncated {
		// the listing misses entries: list the root alone, and each
		// directory when it is needed
		if t, err = f.tree(commit, false); err != nil {
			return nil, err
		}
		if t.Truncated {
			return nil, fmt.Errorf("the API truncates the listing of the root directory of %.7s itself", commit)
		}
		f.dirs[""] = newAPIDir(t.Entries)
	} else {
		f.all = map[string]github.TreeEntry{}
		for _, e := range t.Entries {
			f.all[e.Path] = e
		}
	}
	return &Base{Files: f, Commit: commit, Source: source}, nil
}

// apiDir is one directory's entries by name.
type apiDir struct{ entries map[string]github.TreeEntry }

func newAPIDir(es []github.TreeEntry) *apiDir {
	d := &apiDir{entries: map[string]github.TreeEntry{}}
	for _, e := range es {
		d.entries[e.Path] = e
	}
	return d
}

// apiFiles are the files of a commit read through the API (Files).
type apiFiles struct {
	ctx    context.Context
	api    TreeReader
	commit string

	mu sync.Mutex
	// all is every entry by path, when the recursive listing was whole;
	// else dirs holds the directories listed so far ("" the root)
	all      map[string]github.TreeEntry
	dirs     map[string]*apiDir
	globs    map[string][]string // Glob's file lists by literal directory
	blobs    map[string][]byte   // by object name
	cached   int64
	requests int
	err      error // the first failure of the API
}

// Err is the first failure of the API while reading (nil when every read
// got its answer, a missing file included).
func (f *apiFiles) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Requests counts the requests made.
func (f *apiFiles) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// spend counts one request, refusing past MaxAPIRequests. Called with f.mu
// held.
func (f *apiFiles) spend() error {
	if f.requests >= MaxAPIRequests {
		return f.fail(&APIRequestsError{Commit: f.commit})
	}
	f.requests++
	return nil
}

// fail records err as the first failure. Called with f.mu held.
func (f *apiFiles) fail(err error) error {
	if f.err == nil {
		f.err = err
	}
	return err
}

// tree lists sha. Called with f.mu held (or before f is shared).
func (f *apiFiles) tree(sha string, recursive bool) (*github.Tree, error) {
	if err := f.spend(); err != nil {
		return nil, err
	}
	t, err := f.api.Tree(f.ctx, sha, recursive)
	if err != nil {
		return nil, f.fail(err)
	}
	return t, nil
}

// dir returns the entries of directory dir ("" the root), listing the
// directories on the way as needed; nil when there is no such directory.
// Only without a whole listing. Called with f.mu held.
func (f *apiFiles) dir(dir string) (*apiDir, error) {
	if d, ok := f.dirs[dir]; ok {
		return d, nil
	}
	parent, name := path.Split(dir)
	p, err := f.dir(strings.TrimSuffix(parent, "/"))
	if err != nil || p == nil {
		return nil, err
	}
	e, ok := p.entries[name]
	if !ok || e.Type != "tree" {
		f.dirs[dir] = nil
		return nil, nil
	}
	t, err := f.tree(e.SHA, false)
	if err != nil {
		return nil, err
	}
	if t.Truncated {
		return nil, f.fail(fmt.Errorf("the API truncates the listing of the directory %q at the base %.7s", dir, f.commit))
	}
	d := newAPIDir(t.Entries)
	f.dirs[dir] = d
	return d, nil
}

// entry finds the entry at name; ok is false when there is none. Called
// with f.mu held.
func (f *apiFiles) entry(name string) (github.TreeEntry, bool, error) {
	if f.all != nil {
		e, ok := f.all[name]
		return e, ok, nil
	}
	parent, base := path.Split(name)
	d, err := f.dir(strings.TrimSuffix(parent, "/"))
	if err != nil || d == nil {
		return github.TreeEntry{}, false, err
	}
	e, ok := d.entries[base]
	return e, ok, nil
}

func (f *apiFiles) ReadFile(rel string) ([]byte, error) {
	name, err := cleanRel(rel)
	if err != nil {
		return nil, err
	}
	for hops := 0; ; hops++ {
		f.mu.Lock()
		e, ok, err := f.entry(name)
		f.mu.Unlock()
		switch {
		case err != nil:
			return nil, fmt.Errorf("read %q at the base %.7s: %w", rel, f.commit, err)
		case !ok:
			return nil, &NotFoundError{Rel: rel, Commit: f.commit}
		}
		switch {
		case e.Type == "tree":
			return nil, fmt.Errorf("%q is a directory at the base %.7s", rel, f.commit)
		case e.Type != "blob":
			return nil, fmt.Errorf("%q is not a file at the base %.7s (a submodule)", rel, f.commit)
		case e.Mode == github.ModeSymlink:
			if hops >= maxLinks {
				return nil, fmt.Errorf("%q: more than %d symbolic links at the base %.7s", rel, maxLinks, f.commit)
			}
			target, err := f.blob(rel, e, 4096)
			if err != nil {
				return nil, err
			}
			t := string(target)
			next, err := cleanRel(path.Join(path.Dir(name), t))
			if path.IsAbs(t) || err != nil {
				return nil, fmt.Errorf("%q is a symbolic link to %q at the base %.7s, out of the repository", rel, t, f.commit)
			}
			name = next
		default:
			return f.blob(rel, e, MaxFileSize)
		}
	}
}

// blob reads the blob of e, at most limit bytes, once: a second read of
// the same object is served from memory (up to maxBlobCache bytes).
func (f *apiFiles) blob(rel string, e github.TreeEntry, limit int64) ([]byte, error) {
	if e.Size > limit {
		return nil, &TooLargeError{Rel: rel, Size: e.Size}
	}
	f.mu.Lock()
	if data, ok := f.blobs[e.SHA]; ok {
		f.mu.Unlock()
		return data, nil
	}
	err := f.spend()
	f.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("read %q at the base: %w", rel, err)
	}
	data, err := f.api.Blob(f.ctx, e.SHA, limit)
	var big *github.BlobTooLargeError
	if errors.As(err, &big) {
		return nil, &TooLargeError{Rel: rel, Size: big.Size}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("read %q at the base %.7s: %w", rel, f.commit, f.fail(err))
	}
	if f.cached+int64(len(data)) <= maxBlobCache {
		f.blobs[e.SHA] = data
		f.cached += int64(len(data))
	}
	return data, nil
}

func (f *apiFiles) Glob(pattern string) ([]string, error) {
	if err := checkPattern(pattern); err != nil {
		return nil, err
	}
	dir := literalDir(pattern)
	f.mu.Lock()
	files, ok := f.globs[dir]
	var err error
	if !ok {
		files, err = f.list(dir)
		if err == nil {
			f.globs[dir] = files
		}
	}
	f.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("glob %q at the base %.7s: %w", pattern, f.commit, err)
	}
	return match(pattern, files)
}

// list returns every file under dir ("" the root) with its path from the
// root: from the whole listing, else by listing dir's tree recursively and,
// when that is truncated too, each directory below it one at a time.
// Called with f.mu held.
func (f *apiFiles) list(dir string) ([]string, error) {
	var out []string
	if f.all != nil {
		prefix := dir + "/"
		for p, e := range f.all {
			if e.Type == "blob" && (dir == "" || strings.HasPrefix(p, prefix)) {
				out = append(out, p)
			}
		}
		sort.Strings(out)
		return out, nil
	}
	truncated := dir == "" // OpenAPI found the root's listing truncated
	var sha string
	if dir != "" {
		parent, name := path.Split(dir)
		p, err := f.dir(strings.TrimSuffix(parent, "/"))
		if err != nil {
			return nil, err
		}
		if p == nil {
			return nil, nil // no such directory: nothing matches
		}
		e, ok := p.entries[name]
		if !ok || e.Type != "tree" {
			return nil, nil
		}
		sha = e.SHA
	}
	if !truncated {
		t, err := f.tree(sha, true)
		if err != nil {
			return nil, err
		}
		if !t.Truncated {
			for _, e := range t.Entries {
				if e.Type == "blob" {
					out = append(out, dir+"/"+e.Path)
				}
			}
			return out, nil
		}
	}
	// one directory at a time, breadth first
	queue := []string{dir}
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		entries, err := f.dir(d)
		if err != nil {
			return nil, err
		}
		if entries == nil {
			continue
		}
		names := make([]string, 0, len(entries.entries))
		for n := range entries.entries {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			p := n
			if d != "" {
				p = d + "/" + n
			}
			switch entries.entries[n].Type {
			case "tree":
				queue = append(queue, p)
			case "blob":
				out = append(out, p)
			}
		}
	}
	return out, nil
}
