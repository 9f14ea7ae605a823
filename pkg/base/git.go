package base

import (
	"errors"
	"fmt"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/filemode"
	"github.com/go-git/go-git/v5/plumbing/object"
	"github.com/go-git/go-git/v5/plumbing/storer"
)

// Git is the git repository at or above the gate's root, read with go-git:
// no git binary, no work tree changes.
type Git struct {
	r *git.Repository
	// prefix is the gate's root relative to the work tree's top ("" at the
	// top, else "sub/dir"): paths at a commit are prefix/rel.
	prefix string
}

// ErrNoRepository is a root with no git repository at or above it.
var ErrNoRepository = errors.New("no git repository")

// OpenGit opens the git repository whose work tree holds root (a linked
// work tree, with its .git file, too).
func OpenGit(root string) (*Git, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	r, err := git.PlainOpenWithOptions(abs, &git.PlainOpenOptions{DetectDotGit: true, EnableDotGitCommonDir: true})
	if errors.Is(err, git.ErrRepositoryNotExists) {
		return nil, fmt.Errorf("%w at or above %s", ErrNoRepository, root)
	}
	if err != nil {
		return nil, fmt.Errorf("open the git repository at or above %s: %w", root, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		return nil, fmt.Errorf("the git repository at or above %s has no work tree: %w", root, err)
	}
	top := wt.Filesystem.Root()
	if real, err := filepath.EvalSymlinks(top); err == nil {
		top = real
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, fmt.Errorf("%s is not inside the git work tree %s", root, top)
	}
	prefix := filepath.ToSlash(rel)
	if prefix == "." {
		prefix = ""
	}
	return &Git{r: r, prefix: prefix}, nil
}

// Head returns HEAD's commit hash.
func (g *Git) Head() (string, error) {
	c, err := g.head()
	if err != nil {
		return "", err
	}
	return c.Hash.String(), nil
}

func (g *Git) head() (*object.Commit, error) {
	ref, err := g.r.Head()
	if err != nil {
		return nil, fmt.Errorf("read HEAD: %w", err)
	}
	c, err := g.r.CommitObject(ref.Hash())
	if err != nil {
		return nil, fmt.Errorf("read HEAD's commit %.7s: %w", ref.Hash(), err)
	}
	return c, nil
}

// MergeBase returns the base of `check --base rev`: the merge base of rev
// and HEAD, with the files that changed from it to HEAD. A rev that names
// no commit, or none HEAD shares history with, is a *RevisionError.
func (g *Git) MergeBase(rev string) (*Base, error) {
	h, err := g.r.ResolveRevision(plumbing.Revision(rev))
	if err != nil {
		return nil, &RevisionError{Rev: rev, Reason: "names no commit of the repository (" + err.Error() + ")"}
	}
	other, err := g.r.CommitObject(*h)
	if err != nil {
		return nil, &RevisionError{Rev: rev, Reason: fmt.Sprintf("names %.7s, which is not a commit in the repository (%v)", h, err)}
	}
	head, err := g.head()
	if err != nil {
		return nil, err
	}
	bases, err := head.MergeBase(other)
	if err != nil {
		return nil, fmt.Errorf("merge base of %q and HEAD: %w", rev, err)
	}
	if len(bases) == 0 {
		return nil, &RevisionError{Rev: rev, Reason: "shares no history with HEAD: there is no merge base"}
	}
	// several merge bases (criss-cross merges): the newest, as git's
	// merge-base prints first
	sort.SliceStable(bases, func(i, j int) bool { return bases[i].Committer.When.After(bases[j].Committer.When) })
	src := fmt.Sprintf("merge base of %s and HEAD", rev)
	if bases[0].Hash == other.Hash {
		src = fmt.Sprintf("%s, the merge base with HEAD", rev)
	}
	return g.compare(bases[0], head, src)
}

// Commit returns the base at commit sha compared with HEAD, when the
// repository holds it: present is false for a commit the checkout does not
// have (a shallow clone), and the caller reads it another way.
func (g *Git) Commit(sha, source string) (b *Base, present bool, err error) {
	c, err := g.r.CommitObject(plumbing.NewHash(sha))
	if errors.Is(err, plumbing.ErrObjectNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read commit %.7s: %w", sha, err)
	}
	head, err := g.head()
	if err != nil {
		return nil, true, err
	}
	b, err = g.compare(c, head, source)
	return b, true, err
}

// MergeParents returns the parents of HEAD when HEAD is the commit sha
// (on pull_request, GITHUB_SHA: the merge commit of the pull request's head
// into its base), and whether HEAD is that commit at all. The parents'
// hashes are in the commit itself: a shallow checkout that lacks the
// parents' objects still knows them.
func (g *Git) MergeParents(sha string) (parents []string, isHead bool, err error) {
	head, err := g.head()
	if err != nil {
		return nil, false, err
	}
	if !strings.EqualFold(head.Hash.String(), sha) {
		return nil, false, nil
	}
	for _, p := range head.ParentHashes {
		parents = append(parents, p.String())
	}
	return parents, true, nil
}

// compare makes the base of commit b for HEAD h: b's files under the root,
// and the files that changed from b to h.
func (g *Git) compare(b, h *object.Commit, source string) (*Base, error) {
	bt, err := g.rootTree(b)
	if err != nil {
		return nil, err
	}
	ht, err := g.rootTree(h)
	if err != nil {
		return nil, err
	}
	changes, err := object.DiffTree(bt, ht)
	if err != nil {
		return nil, fmt.Errorf("compare %.7s with HEAD: %w", b.Hash, err)
	}
	seen := map[string]bool{}
	changed := []string{}
	for _, ch := range changes {
		for _, name := range []string{ch.From.Name, ch.To.Name} {
			if name != "" && !seen[name] {
				seen[name] = true
				changed = append(changed, name)
			}
		}
	}
	sort.Strings(changed)
	return &Base{Files: &gitFiles{s: g.r.Storer, tree: bt, commit: b.Hash.String(), dirs: map[string][]string{}},
		Commit: b.Hash.String(), Source: source, Changed: changed}, nil
}

// rootTree is a commit's tree at the gate's root: an empty tree when the
// root did not exist in that commit.
func (g *Git) rootTree(c *object.Commit) (*object.Tree, error) {
	t, err := c.Tree()
	if err != nil {
		return nil, fmt.Errorf("read the tree of %.7s: %w", c.Hash, err)
	}
	if g.prefix == "" {
		return t, nil
	}
	sub, err := t.Tree(g.prefix)
	if errors.Is(err, object.ErrDirectoryNotFound) {
		return &object.Tree{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s in %.7s: %w", g.prefix, c.Hash, err)
	}
	return sub, nil
}

// maxLinks bounds the symbolic links followed for one file (as Linux's 40).
const maxLinks = 40

// gitFiles are the files of a commit's tree (Files).
type gitFiles struct {
	s      storer.EncodedObjectStorer
	commit string

	mu   sync.Mutex // the tree caches its sub-trees
	tree *object.Tree
	dirs map[string][]string // Glob's file lists by literal directory
}

func (f *gitFiles) ReadFile(rel string) ([]byte, error) {
	name, err := cleanRel(rel)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for hops := 0; ; hops++ {
		e, err := f.tree.FindEntry(name)
		if err != nil {
			return nil, &NotFoundError{Rel: rel, Commit: f.commit}
		}
		switch e.Mode {
		case filemode.Regular, filemode.Executable, filemode.Deprecated:
			return f.blob(rel, e.Hash, MaxFileSize)
		case filemode.Symlink:
			if hops >= maxLinks {
				return nil, fmt.Errorf("%q: more than %d symbolic links at the base %.7s", rel, maxLinks, f.commit)
			}
			target, err := f.blob(rel, e.Hash, 4096)
			if err != nil {
				return nil, err
			}
			t := string(target)
			if path.IsAbs(t) {
				return nil, fmt.Errorf("%q is a symbolic link to %q at the base %.7s, out of the repository", rel, t, f.commit)
			}
			next, err := cleanRel(path.Join(path.Dir(name), t))
			if err != nil {
				return nil, fmt.Errorf("%q is a symbolic link to %q at the base %.7s, out of the repository", rel, t, f.commit)
			}
			name = next
		case filemode.Dir:
			return nil, fmt.Errorf("%q is a directory at the base %.7s", rel, f.commit)
		default:
			return nil, fmt.Errorf("%q is not a file at the base %.7s (a submodule)", rel, f.commit)
		}
	}
}

// blob reads a blob of at most limit bytes.
func (f *gitFiles) blob(rel string, h plumbing.Hash, limit int64) ([]byte, error) {
	b, err := object.GetBlob(f.s, h)
	if err != nil {
		return nil, fmt.Errorf("read %q at the base %.7s: %w", rel, f.commit, err)
	}
	if b.Size > limit {
		return nil, &TooLargeError{Rel: rel, Size: b.Size}
	}
	r, err := b.Reader()
	if err != nil {
		return nil, fmt.Errorf("read %q at the base %.7s: %w", rel, f.commit, err)
	}
	defer r.Close()
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %q at the base %.7s: %w", rel, f.commit, err)
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{Rel: rel, Size: int64(len(data))}
	}
	return data, nil
}

func (f *gitFiles) Glob(pattern string) ([]string, error) {
	if err := checkPattern(pattern); err != nil {
		return nil, err
	}
	dir := literalDir(pattern)
	f.mu.Lock()
	files, ok := f.dirs[dir]
	var err error
	if !ok {
		files, err = f.list(dir)
		if err == nil {
			f.dirs[dir] = files
		}
	}
	f.mu.Unlock()
	if err != nil {
		return nil, err
	}
	return match(pattern, files)
}

// list returns every file under dir ("" the root), with their paths from
// the root. Called with f.mu held.
func (f *gitFiles) list(dir string) ([]string, error) {
	t := f.tree
	if dir != "" {
		sub, err := f.tree.Tree(dir)
		if err != nil {
			return nil, nil // no such directory: nothing matches
		}
		t = sub
	}
	w := object.NewTreeWalker(t, true, nil)
	defer w.Close()
	var out []string
	for {
		name, e, err := w.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("list %q at the base %.7s: %w", dir, f.commit, err)
		}
		if e.Mode == filemode.Dir || e.Mode == filemode.Submodule {
			continue
		}
		if dir != "" {
			name = dir + "/" + name
		}
		out = append(out, name)
	}
}
