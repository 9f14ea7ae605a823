package base

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

// history makes a repository: main at commit a (values 1.0.0), a feature
// branch with commit b on top (values 1.1.0, a new file, one removed), HEAD
// on b, and main moved on by commit c that the feature never saw.
func history(t *testing.T) (dir, a, b, c string) {
	t.Helper()
	dir = testtree.Write(t, map[string]string{
		"deploy/values.yaml":  "image:\n  tag: 1.0.0\n",
		"deploy/other.yaml":   "x: 1\n",
		"policies/app.yaml":   "kind: Policy\n",
		"sub/deploy/app.yaml": "tag: 1.0.0\n",
		"gone.txt":            "bye\n",
	})
	testtree.GitInit(t, dir)
	a = testtree.GitCommit(t, dir, "a")
	testtree.Add(t, dir, map[string]string{"deploy/values.yaml": "image:\n  tag: 1.1.0\n", "deploy/new.yaml": "y: 2\n",
		"sub/deploy/app.yaml": "tag: 1.1.0\n"})
	if err := os.Remove(filepath.Join(dir, "gone.txt")); err != nil {
		t.Fatal(err)
	}
	b = testtree.GitCommit(t, dir, "b")
	testtree.GitCheckout(t, dir, a)
	testtree.Add(t, dir, map[string]string{"README": "main moved on\n"})
	c = testtree.GitCommit(t, dir, "c", a)
	testtree.GitBranch(t, dir, "main", c)
	testtree.GitBranch(t, dir, "feature", b)
	testtree.GitCheckout(t, dir, b)
	return dir, a, b, c
}

func TestMergeBase(t *testing.T) {
	t.Parallel()
	dir, a, b, _ := history(t)
	g, err := OpenGit(dir)
	if err != nil {
		t.Fatal(err)
	}
	if h, err := g.Head(); err != nil || h != b {
		t.Fatalf("Head = %q, %v; want %s", h, err, b)
	}
	base, err := g.MergeBase("main")
	if err != nil {
		t.Fatal(err)
	}
	if base.Commit != a {
		t.Errorf("merge base of main and HEAD = %.7s, want a %.7s", base.Commit, a)
	}
	if base.Source != "merge base of main and HEAD" {
		t.Errorf("Source = %q", base.Source)
	}
	// README (only on main) is not a change of the pull request
	want := []string{"deploy/new.yaml", "deploy/values.yaml", "gone.txt", "sub/deploy/app.yaml"}
	if diff := cmp.Diff(want, base.Changed); diff != "" {
		t.Errorf("changed files (-want +got):\n%s", diff)
	}
	data, err := base.Files.ReadFile("deploy/values.yaml")
	if err != nil || string(data) != "image:\n  tag: 1.0.0\n" {
		t.Errorf("ReadFile at the base = %q, %v; want the 1.0.0 values", data, err)
	}
	if data, err := base.Files.ReadFile("gone.txt"); err != nil || string(data) != "bye\n" {
		t.Errorf("a file removed since the base reads %q, %v", data, err)
	}
	_, err = base.Files.ReadFile("deploy/new.yaml")
	var nf *NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file added since the base: err = %v, want a NotFoundError that is fs.ErrNotExist", err)
	}
	got, err := base.Files.Glob("deploy/**/*.yaml")
	if diff := cmp.Diff([]string{"deploy/other.yaml", "deploy/values.yaml"}, got); err != nil || diff != "" {
		t.Errorf("Glob deploy/**/*.yaml: %v (-want +got):\n%s", err, diff)
	}
	got, err = base.Files.Glob("**/app.yaml")
	if diff := cmp.Diff([]string{"policies/app.yaml", "sub/deploy/app.yaml"}, got); err != nil || diff != "" {
		t.Errorf("Glob **/app.yaml: %v (-want +got):\n%s", err, diff)
	}
	if got, err := base.Files.Glob("nowhere/*.yaml"); err != nil || len(got) != 0 {
		t.Errorf("Glob of a missing directory = %v, %v; want nothing", got, err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "deploy"} {
		if _, err := base.Files.ReadFile(bad); err == nil {
			t.Errorf("ReadFile(%q) succeeded", bad)
		}
	}
	if _, err := base.Files.Glob("../*"); err == nil {
		t.Error("Glob ../* succeeded")
	}
	if _, err := base.Files.Glob("deploy/[a"); err == nil {
		t.Error("Glob of a bad pattern succeeded")
	}
}

func TestMergeBaseOfAnAncestor(t *testing.T) {
	t.Parallel()
	dir, a, _, _ := history(t)
	g, err := OpenGit(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.MergeBase(a)
	if err != nil {
		t.Fatal(err)
	}
	if b.Commit != a || b.Source != a+", the merge base with HEAD" {
		t.Errorf("base = %.7s %q", b.Commit, b.Source)
	}
}

func TestUnknownRevision(t *testing.T) {
	t.Parallel()
	dir, _, _, _ := history(t)
	g, err := OpenGit(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range []string{"no-such-branch", "0123456789abcdef0123456789abcdef01234567"} {
		_, err := g.MergeBase(rev)
		var re *RevisionError
		if !errors.As(err, &re) || !errors.Is(err, ErrUnknownRevision) || re.Rev != rev {
			t.Errorf("MergeBase(%q): err = %v, want a RevisionError naming it", rev, err)
		}
	}
}

func TestNoRepository(t *testing.T) {
	t.Parallel()
	_, err := OpenGit(t.TempDir())
	if !errors.Is(err, ErrNoRepository) {
		t.Errorf("err = %v, want ErrNoRepository", err)
	}
}

// The gate's root below the work tree's top: paths are relative to it.
func TestRootBelowTop(t *testing.T) {
	t.Parallel()
	dir, a, _, _ := history(t)
	g, err := OpenGit(filepath.Join(dir, "sub"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := g.MergeBase("main")
	if err != nil {
		t.Fatal(err)
	}
	if b.Commit != a {
		t.Errorf("base %.7s, want %.7s", b.Commit, a)
	}
	if diff := cmp.Diff([]string{"deploy/app.yaml"}, b.Changed); diff != "" {
		t.Errorf("changed files under sub (-want +got):\n%s", diff)
	}
	if data, err := b.Files.ReadFile("deploy/app.yaml"); err != nil || string(data) != "tag: 1.0.0\n" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if _, err := b.Files.ReadFile("deploy/values.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file above the root: err = %v, want not found", err)
	}
}

// A merge commit (pull_request's GITHUB_SHA) knows its parents even when a
// shallow checkout lacks them.
func TestMergeParentsShallow(t *testing.T) {
	t.Parallel()
	dir, _, b, c := history(t)
	// the merge of b into c: b's files and c's README
	testtree.Add(t, dir, map[string]string{"README": "main moved on\n"})
	m := testtree.GitCommit(t, dir, "merge", c, b)
	testtree.GitCheckout(t, dir, m)
	g, err := OpenGit(dir)
	if err != nil {
		t.Fatal(err)
	}
	parents, isHead, err := g.MergeParents(m)
	if err != nil || !isHead || len(parents) != 2 || parents[0] != c || parents[1] != b {
		t.Fatalf("MergeParents = %v, %v, %v; want [c b], HEAD", parents, isHead, err)
	}
	if _, isHead, _ := g.MergeParents(b); isHead {
		t.Error("MergeParents says HEAD is another commit")
	}
	base, present, err := g.Commit(c, "first parent of the merge commit")
	if err != nil || !present {
		t.Fatalf("Commit(first parent) = %v, %v", present, err)
	}
	if diff := cmp.Diff([]string{"deploy/new.yaml", "deploy/values.yaml", "gone.txt", "sub/deploy/app.yaml"}, base.Changed); diff != "" {
		t.Errorf("the merge commit's changes (-want +got):\n%s", diff)
	}

	testtree.GitForget(t, dir, m, c)
	g, err = OpenGit(dir)
	if err != nil {
		t.Fatal(err)
	}
	if parents, _, err := g.MergeParents(m); err != nil || len(parents) != 2 || parents[0] != c {
		t.Fatalf("shallow: MergeParents = %v, %v", parents, err)
	}
	if _, present, err := g.Commit(c, "first parent"); present || err != nil {
		t.Errorf("shallow: Commit(first parent) present = %v, err = %v; want absent, no error", present, err)
	}
}

func TestSymlinkAtBase(t *testing.T) {
	t.Parallel()
	dir := testtree.Write(t, map[string]string{"deploy/values.yaml": "tag: 1.0.0\n"})
	for link, target := range map[string]string{"conf": "deploy", "out": "../../etc", "abs": "/etc/passwd", "loop": "loop",
		"link.yaml": "deploy/values.yaml"} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skip("no symbolic links here:", err)
		}
	}
	testtree.GitInit(t, dir)
	a := testtree.GitCommit(t, dir, "a")
	g, err := OpenGit(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := g.Commit(a, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if data, err := b.Files.ReadFile("link.yaml"); err != nil || string(data) != "tag: 1.0.0\n" {
		t.Errorf("a link to a file reads %q, %v", data, err)
	}
	if data, err := b.Files.ReadFile("conf/values.yaml"); err == nil {
		t.Errorf("a path through a linked directory reads %q: links on the way are not followed", data)
	}
	if data, err := b.Files.ReadFile("conf"); err == nil {
		t.Errorf("a link to a directory reads %q", data)
	}
	for _, rel := range []string{"out", "abs", "loop"} {
		if _, err := b.Files.ReadFile(rel); err == nil {
			t.Errorf("ReadFile(%q) followed a link it must not", rel)
		}
	}
}
