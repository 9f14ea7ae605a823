package fakegithub

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	git "github.com/go-git/go-git/v5"
	"github.com/go-git/go-git/v5/plumbing"

	"github.com/upgradegate/upgradegate/internal/testtree"
)

type treeAnswer struct {
	SHA  string `json:"sha"`
	Tree []struct {
		Path, Mode, Type, SHA string
		Size                  *int
	} `json:"tree"`
	Truncated bool `json:"truncated"`
}

func getJSON(t *testing.T, s *Server, path string, v any) int {
	t.Helper()
	resp := get(t, s, "GET", path, "tok")
	if resp.StatusCode == 200 {
		if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
	}
	return resp.StatusCode
}

var gitFiles = map[string]string{
	"README.md":                "# r\n",
	"deploy/values.yaml":       "image:\n  tag: \"1.1.0\"\n",
	"deploy/k8s/web.yaml":      "kind: Deployment\n",
	"policies/app.yaml":        "kind: Policy\n",
	"deploy-notes.txt":         "sorts between deploy and deploy/ in git's order\n",
	"policies/sub/x/deep.yaml": "deep\n",
}

// The trees and blobs are named as git names them: the same files
// committed with go-git give the same root tree, and the listing has every
// entry, blobs with their size.
func TestGitTreesAsGitNamesThem(t *testing.T) {
	t.Parallel()
	s := New(t, "tok", "o", "r")
	const commit = "1111111111111111111111111111111111111111"
	root := s.AddCommit(commit, gitFiles)

	dir := t.TempDir()
	testtree.GitInit(t, dir)
	testtree.Add(t, dir, gitFiles)
	sha := testtree.GitCommit(t, dir, "base")
	r, err := git.PlainOpen(dir)
	if err != nil {
		t.Fatal(err)
	}
	c, err := r.CommitObject(plumbing.NewHash(sha))
	if err != nil {
		t.Fatal(err)
	}
	if c.TreeHash.String() != root {
		t.Errorf("root tree %s, go-git names it %s", root, c.TreeHash)
	}

	var got treeAnswer
	if code := getJSON(t, s, "/api/v3/repos/o/r/git/trees/"+commit+"?recursive=1", &got); code != 200 {
		t.Fatalf("recursive tree: %d", code)
	}
	if got.SHA != root || got.Truncated {
		t.Errorf("sha %s truncated %v, want %s complete", got.SHA, got.Truncated, root)
	}
	blobs := map[string]string{}
	var paths []string
	for _, e := range got.Tree {
		paths = append(paths, e.Path)
		if e.Type == "blob" {
			if e.Size == nil || *e.Size != len(gitFiles[e.Path]) {
				t.Errorf("%s: size %v, want %d", e.Path, e.Size, len(gitFiles[e.Path]))
			}
			blobs[e.Path] = e.SHA
		}
	}
	want := "README.md deploy-notes.txt deploy deploy/k8s deploy/k8s/web.yaml deploy/values.yaml policies policies/app.yaml policies/sub policies/sub/x policies/sub/x/deep.yaml"
	if strings.Join(paths, " ") != want {
		t.Errorf("paths\n%s\nwant\n%s", strings.Join(paths, " "), want)
	}
	for p, content := range gitFiles {
		var b struct{ Content, Encoding string }
		if code := getJSON(t, s, "/api/v3/repos/o/r/git/blobs/"+blobs[p], &b); code != 200 || b.Encoding != "base64" {
			t.Fatalf("blob of %s: %d %q", p, code, b.Encoding)
		}
		data, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(b.Content, "\n", ""))
		if err != nil || string(data) != content {
			t.Errorf("blob of %s: %q %v, want %q", p, data, err, content)
		}
	}

	// without recursive: the root's own entries; a sub-tree by its name
	var top treeAnswer
	getJSON(t, s, "/api/v3/repos/o/r/git/trees/"+root, &top)
	if len(top.Tree) != 4 {
		t.Errorf("root lists %d entries, want 4: %+v", len(top.Tree), top.Tree)
	}
	for _, e := range top.Tree {
		if e.Path == "deploy" {
			var sub treeAnswer
			getJSON(t, s, "/api/v3/repos/o/r/git/trees/"+e.SHA, &sub)
			if len(sub.Tree) != 2 || sub.Tree[0].Path != "k8s" || sub.Tree[1].Path != "values.yaml" {
				t.Errorf("deploy lists %+v", sub.Tree)
			}
		}
	}

	// past TreeLimit a recursive listing is truncated
	s.TreeLimit = 3
	var cut treeAnswer
	getJSON(t, s, "/api/v3/repos/o/r/git/trees/"+commit+"?recursive=1", &cut)
	if !cut.Truncated || len(cut.Tree) != 3 {
		t.Errorf("limit 3: %d entries, truncated %v", len(cut.Tree), cut.Truncated)
	}

	// unknown objects are 404; every request is recorded under its route
	if code := getJSON(t, s, "/api/v3/repos/o/r/git/trees/2222222222222222222222222222222222222222", &got); code != 404 {
		t.Errorf("unknown tree: %d, want 404", code)
	}
	if code := getJSON(t, s, "/api/v3/repos/o/r/git/blobs/"+root, &got); code != 404 {
		t.Errorf("a tree asked as a blob: %d, want 404", code)
	}
	reqs := s.Requests()
	if n := Count(reqs, GitTree); n != 5 {
		t.Errorf("%d tree requests recorded, want 5", n)
	}
	if n := Count(reqs, GitBlob); n != len(gitFiles)+1 {
		t.Errorf("%d blob requests recorded, want %d", n, len(gitFiles)+1)
	}
	if reqs[0].Query.Get("recursive") != "1" || reqs[0].Header.Get("Authorization") != "Bearer tok" {
		t.Errorf("first request %s, header %v", reqs[0], reqs[0].Header)
	}
}
