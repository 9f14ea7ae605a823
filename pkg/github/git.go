package github

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"path"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// MaxTreeEntries is the most entries a tree listing may hold: the Git Trees
// API's own limit for a recursive listing (past it, truncated is true).
const MaxTreeEntries = 100_000

// Modes of tree entries, as the Git Trees API spells them.
const (
	ModeFile       = "100644"
	ModeExecutable = "100755"
	ModeSymlink    = "120000"
	ModeDir        = "040000"
	ModeSubmodule  = "160000"
)

// TreeEntry is one entry of a Git tree.
type TreeEntry struct {
	// Path is relative to the tree listed, with "/" (a recursive listing
	// names every entry below it).
	Path string
	Mode string // one of the Mode* constants
	Type string // "blob", "tree" or "commit" (a submodule)
	SHA  string
	Size int64 // blobs only
}

// Tree is a Git tree as the Git Trees API lists it.
type Tree struct {
	SHA     string
	Entries []TreeEntry
	// Truncated is the API's truncated: the listing stopped at its limits
	// (100,000 entries or 7 MB) and misses entries; the sub-trees must then
	// be listed one at a time.
	Truncated bool
}

// validSHA is a full object name: 40 (SHA-1) or 64 (SHA-256) hex digits.
func validSHA(sha string) bool {
	if len(sha) != 40 && len(sha) != 64 {
		return false
	}
	for _, c := range sha {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// Tree lists the tree sha (a tree's or a commit's object name; a commit
// lists its root tree) with the Git Trees API, every entry below it when
// recursive. Reading it takes contents: read. A name that is not 40 or 64
// hex digits is refused before any request; an answer with more than
// MaxTreeEntries entries, an entry whose path leaves the tree or whose
// object name is not hex, fails.
func (c *Client) Tree(ctx context.Context, sha string, recursive bool) (*Tree, error) {
	op := fmt.Sprintf("read the tree of %.12s", sha)
	if !validSHA(sha) {
		return nil, fmt.Errorf("%s: %q is not a full object name (40 or 64 hex digits)", op, sha)
	}
	t, _, err := c.gh.Git.GetTree(ctx, c.owner, c.repo, sha, recursive)
	if err != nil {
		return nil, wrap(op, err)
	}
	return treeOf(op, t)
}

// treeOf checks and converts the API's answer to a tree listing.
func treeOf(op string, t *gh.Tree) (*Tree, error) {
	if len(t.Entries) > MaxTreeEntries {
		return nil, fmt.Errorf("%s: the API listed %d entries, more than the %d it lists at most", op, len(t.Entries), MaxTreeEntries)
	}
	out := &Tree{SHA: t.GetSHA(), Truncated: t.GetTruncated(), Entries: make([]TreeEntry, 0, len(t.Entries))}
	for _, e := range t.Entries {
		if e == nil {
			return nil, fmt.Errorf("%s: the API listed an empty entry", op)
		}
		p := e.GetPath()
		if p == "" || path.IsAbs(p) || path.Clean(p) != p || p == ".." || strings.HasPrefix(p, "../") || strings.Contains(p, "\\") {
			return nil, fmt.Errorf("%s: the API listed an entry %q that is not a path inside the tree", op, p)
		}
		if !validSHA(e.GetSHA()) {
			return nil, fmt.Errorf("%s: the API listed %q with the object name %q, not hex", op, p, e.GetSHA())
		}
		if e.GetSize() < 0 {
			return nil, fmt.Errorf("%s: the API listed %q with the size %d", op, p, e.GetSize())
		}
		out.Entries = append(out.Entries, TreeEntry{Path: p, Mode: e.GetMode(), Type: e.GetType(), SHA: e.GetSHA(), Size: int64(e.GetSize())})
	}
	return out, nil
}

// BlobTooLargeError is a blob over the size a caller accepts.
type BlobTooLargeError struct {
	SHA       string
	Size, Max int64
}

func (e *BlobTooLargeError) Error() string {
	return fmt.Sprintf("blob %.12s is %d bytes, over the %d accepted", e.SHA, e.Size, e.Max)
}

// Blob reads the blob sha with the Git Blobs API (its base64 content) and
// returns its bytes; a blob over max bytes fails with a *BlobTooLargeError
// (the answer itself is bounded by Config.MaxBody). Reading it takes
// contents: read.
func (c *Client) Blob(ctx context.Context, sha string, max int64) ([]byte, error) {
	op := fmt.Sprintf("read the blob %.12s", sha)
	if !validSHA(sha) {
		return nil, fmt.Errorf("%s: %q is not a full object name (40 or 64 hex digits)", op, sha)
	}
	b, _, err := c.gh.Git.GetBlob(ctx, c.owner, c.repo, sha)
	if err != nil {
		return nil, wrap(op, err)
	}
	return blobOf(op, sha, b, max)
}

// blobOf checks and decodes the API's answer to a blob.
func blobOf(op, sha string, b *gh.Blob, max int64) ([]byte, error) {
	if size := int64(b.GetSize()); size > max {
		return nil, &BlobTooLargeError{SHA: sha, Size: size, Max: max}
	}
	var data []byte
	var err error
	switch enc := b.GetEncoding(); enc {
	case "base64":
		// GitHub breaks the base64 text into lines
		data, err = base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
			if r == '\n' || r == '\r' {
				return -1
			}
			return r
		}, b.GetContent()))
		if err != nil {
			return nil, fmt.Errorf("%s: the API's base64 content does not decode: %v", op, err)
		}
	case "utf-8", "":
		data = []byte(b.GetContent())
	default:
		return nil, fmt.Errorf("%s: the API answered the content in the encoding %q, not base64", op, enc)
	}
	if int64(len(data)) > max {
		return nil, &BlobTooLargeError{SHA: sha, Size: int64(len(data)), Max: max}
	}
	if b.Size != nil && int64(len(data)) != int64(b.GetSize()) {
		return nil, fmt.Errorf("%s: the API said %d bytes and sent %d", op, b.GetSize(), len(data))
	}
	return data, nil
}

// IsNotFound reports whether err is the API's 404: an object the
// repository does not hold, or one the token may not see (GitHub answers
// 404 rather than 403 to hide private repositories).
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }
