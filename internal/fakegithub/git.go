package fakegithub

import (
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// GitFile is one file of a commit the server holds (AddCommitFiles).
type GitFile struct {
	Content string
	// Mode is "100644" (the default), "100755" or "120000" (a symbolic
	// link, whose Content is its target).
	Mode string
}

// gitObject is a blob (content) or a tree (entries), by its git name.
type gitObject struct {
	blob    []byte
	entries []gitEntry // a tree's, in git's order
	isTree  bool
}

type gitEntry struct {
	name, mode, sha string
	isTree          bool
}

// AddCommit stores commit sha with files (repository path -> content), as
// git would store them: blobs and trees named by their real git object
// names, which the Git Trees and Blobs endpoints then serve. It returns the
// root tree's name.
func (s *Server) AddCommit(sha string, files map[string]string) string {
	fs := make(map[string]GitFile, len(files))
	for p, c := range files {
		fs[p] = GitFile{Content: c}
	}
	return s.AddCommitFiles(sha, fs)
}

// AddCommitFiles is AddCommit with modes (symbolic links, executables).
func (s *Server) AddCommitFiles(sha string, files map[string]GitFile) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.objects == nil {
		s.objects, s.commits = map[string]*gitObject{}, map[string]string{}
	}
	root := s.storeTree("", files)
	s.commits[strings.ToLower(sha)] = root
	return root
}

// storeTree stores the tree of the files under dir ("" the root) and
// returns its name. Called with s.mu held.
func (s *Server) storeTree(dir string, files map[string]GitFile) string {
	prefix := ""
	if dir != "" {
		prefix = dir + "/"
	}
	subdirs := map[string]bool{}
	var entries []gitEntry
	for p, f := range files {
		if !strings.HasPrefix(p, prefix) {
			continue
		}
		rest := strings.TrimPrefix(p, prefix)
		if name, _, ok := strings.Cut(rest, "/"); ok {
			subdirs[name] = true
			continue
		}
		mode := f.Mode
		if mode == "" {
			mode = "100644"
		}
		entries = append(entries, gitEntry{name: rest, mode: mode, sha: s.storeBlob([]byte(f.Content))})
	}
	for name := range subdirs {
		entries = append(entries, gitEntry{name: name, mode: "040000", sha: s.storeTree(prefix+name, files), isTree: true})
	}
	// git sorts a tree's entries by name, a directory's as if it ended in /
	key := func(e gitEntry) string {
		if e.isTree {
			return e.name + "/"
		}
		return e.name
	}
	sort.Slice(entries, func(i, j int) bool { return key(entries[i]) < key(entries[j]) })
	var body []byte
	for _, e := range entries {
		raw, _ := hex.DecodeString(e.sha)
		body = append(body, strings.TrimPrefix(e.mode, "0")+" "+e.name+"\x00"...)
		body = append(body, raw...)
	}
	name := objectName("tree", body)
	s.objects[name] = &gitObject{entries: entries, isTree: true}
	return name
}

func (s *Server) storeBlob(data []byte) string {
	name := objectName("blob", data)
	s.objects[name] = &gitObject{blob: data}
	return name
}

// objectName is git's SHA-1 name of an object.
func objectName(kind string, body []byte) string {
	h := sha1.New()
	fmt.Fprintf(h, "%s %d\x00", kind, len(body))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// gitTree answers GET /repos/O/R/git/trees/SHA[?recursive=…]: SHA names a
// tree or a commit (its root tree); recursive, with any value, lists every
// entry below it, depth first as GitHub does, and stops at TreeLimit
// entries with truncated: true.
func (s *Server) gitTree(w http.ResponseWriter, r *http.Request, sha string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sha = strings.ToLower(sha)
	if root, ok := s.commits[sha]; ok {
		sha = root
	}
	t, ok := s.objects[sha]
	if !ok || !t.isTree {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found",
			"documentation_url": "https://docs.github.com/rest/git/trees#get-a-tree"})
		return
	}
	_, recursive := r.URL.Query()["recursive"]
	list := []any{}
	truncated := false
	var walk func(prefix string, t *gitObject)
	walk = func(prefix string, t *gitObject) {
		for _, e := range t.entries {
			if truncated {
				return
			}
			if recursive && s.TreeLimit > 0 && len(list) >= s.TreeLimit {
				truncated = true
				return
			}
			item := map[string]any{"path": prefix + e.name, "mode": e.mode, "sha": e.sha,
				"url": fmt.Sprintf("http://%s/api/v3/repos/%s/%s/git/blobs/%s", r.Host, s.Owner, s.Repo, e.sha)}
			if e.isTree {
				item["type"] = "tree"
				item["url"] = fmt.Sprintf("http://%s/api/v3/repos/%s/%s/git/trees/%s", r.Host, s.Owner, s.Repo, e.sha)
			} else {
				item["type"] = "blob"
				item["size"] = len(s.objects[e.sha].blob)
			}
			list = append(list, item)
			if e.isTree && recursive {
				walk(prefix+e.name+"/", s.objects[e.sha])
			}
		}
	}
	walk("", t)
	writeJSON(w, http.StatusOK, map[string]any{"sha": sha,
		"url":  fmt.Sprintf("http://%s/api/v3/repos/%s/%s/git/trees/%s", r.Host, s.Owner, s.Repo, sha),
		"tree": list, "truncated": truncated})
}

// gitBlob answers GET /repos/O/R/git/blobs/SHA: the content in base64,
// broken into lines of 60 characters as GitHub sends it.
func (s *Server) gitBlob(w http.ResponseWriter, r *http.Request, sha string) {
	s.mu.Lock()
	b, ok := s.objects[strings.ToLower(sha)]
	s.mu.Unlock()
	if !ok || b.isTree {
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found",
			"documentation_url": "https://docs.github.com/rest/git/blobs#get-a-blob"})
		return
	}
	enc := base64.StdEncoding.EncodeToString(b.blob)
	var lines []string
	for len(enc) > 60 {
		lines, enc = append(lines, enc[:60]), enc[60:]
	}
	lines = append(lines, enc)
	writeJSON(w, http.StatusOK, map[string]any{"sha": strings.ToLower(sha), "node_id": "B_" + sha[:8], "size": len(b.blob),
		"url":     fmt.Sprintf("http://%s/api/v3/repos/%s/%s/git/blobs/%s", r.Host, s.Owner, s.Repo, sha),
		"content": strings.Join(lines, "\n") + "\n", "encoding": "base64"})
}
