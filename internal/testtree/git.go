package testtree

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"
	"github.com/go-git/go-git/v5/plumbing/object"
)

// gitSignature signs every test commit, one second apart from the one
// before so that merge bases sort by date as they would in life.
var gitSignature = object.Signature{Name: "upgradegate tests", Email: "tests@upgradegate.test",
	When: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}

// GitInit makes dir a git repository (with go-git: no git binary), on
// branch main.
func GitInit(t testing.TB, dir string) {
	t.Helper()
	r, err := git.PlainInit(dir, false)
	if err != nil {
		t.Fatalf("git init %s: %v", dir, err)
	}
	head := plumbing.NewSymbolicReference(plumbing.HEAD, plumbing.NewBranchReferenceName("main"))
	if err := r.Storer.SetReference(head); err != nil {
		t.Fatal(err)
	}
}

// GitCommit commits every file of dir's work tree (added, changed and
// removed) on the current branch and returns the commit's hash. parents,
// when given, replace HEAD as the commit's parents (a merge commit has
// two); HEAD then moves to the new commit, detached when it was.
func GitCommit(t testing.TB, dir, message string, parents ...string) string {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatalf("open %s: %v", dir, err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.AddWithOptions(&git.AddOptions{All: true}); err != nil {
		t.Fatalf("git add: %v", err)
	}
	// one second after the newest commit of the repository: the same
	// history makes the same hashes
	sig := gitSignature
	if iter, err := r.CommitObjects(); err == nil {
		_ = iter.ForEach(func(c *object.Commit) error {
			if !c.Committer.When.Before(sig.When) {
				sig.When = c.Committer.When.Add(time.Second)
			}
			return nil
		})
	}
	opts := &git.CommitOptions{Author: &sig, Committer: &sig, AllowEmptyCommits: true}
	for _, p := range parents {
		opts.Parents = append(opts.Parents, plumbing.NewHash(p))
	}
	h, err := wt.Commit(message, opts)
	if err != nil {
		t.Fatalf("git commit: %v", err)
	}
	return h.String()
}

// GitBranch points branch name at commit (creating it).
func GitBranch(t testing.TB, dir, name, commit string) {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewHashReference(plumbing.NewBranchReferenceName(name), plumbing.NewHash(commit))); err != nil {
		t.Fatal(err)
	}
}

// GitCheckout checks commit out, detached (as actions/checkout leaves a
// pull request's merge commit), forcing the work tree to its files.
func GitCheckout(t testing.TB, dir, commit string) {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	wt, err := r.Worktree()
	if err != nil {
		t.Fatal(err)
	}
	if err := wt.Checkout(&git.CheckoutOptions{Hash: plumbing.NewHash(commit), Force: true}); err != nil {
		t.Fatalf("checkout %.7s: %v", commit, err)
	}
}

// GitForget makes dir a shallow clone that lacks commits: their objects
// (loose, as go-git writes them) are removed and .git/shallow names the
// commits whose parents are gone, as a fetch-depth: 1 checkout is.
func GitForget(t testing.TB, dir string, shallow string, commits ...string) {
	t.Helper()
	for _, c := range commits {
		p := filepath.Join(dir, ".git", "objects", c[:2], c[2:])
		if err := os.Remove(p); err != nil {
			t.Fatalf("forget commit %.7s: %v", c, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, ".git", "shallow"), []byte(shallow+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// GitSwitch creates branch name at HEAD's commit and makes it the current
// branch: the next commits go on it.
func GitSwitch(t testing.TB, dir, name string) {
	t.Helper()
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	head, err := r.Head()
	if err != nil {
		t.Fatal(err)
	}
	branch := plumbing.NewBranchReferenceName(name)
	if err := r.Storer.SetReference(plumbing.NewHashReference(branch, head.Hash())); err != nil {
		t.Fatal(err)
	}
	if err := r.Storer.SetReference(plumbing.NewSymbolicReference(plumbing.HEAD, branch)); err != nil {
		t.Fatal(err)
	}
}
