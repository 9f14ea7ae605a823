package github

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
)

const commitSHA = "1111111111111111111111111111111111111111"

func TestTreeAndBlob(t *testing.T) {
	t.Parallel()
	gh := newFake(t)
	content := strings.Repeat("a line of the values file\n", 40) // base64 over several lines
	root := gh.AddCommitFiles(commitSHA, map[string]fakegithub.GitFile{
		"deploy/values.yaml": {Content: content},
		"deploy/current":     {Content: "values.yaml", Mode: ModeSymlink},
		"bin/run":            {Content: "#!/bin/sh\n", Mode: ModeExecutable},
	})
	c := newClient(t, gh)
	ctx := context.Background()
	tr, err := c.Tree(ctx, commitSHA, true)
	if err != nil {
		t.Fatal(err)
	}
	if tr.SHA != root || tr.Truncated || len(tr.Entries) != 5 {
		t.Fatalf("tree %+v, want root %s with 5 entries", tr, root)
	}
	byPath := map[string]TreeEntry{}
	for _, e := range tr.Entries {
		byPath[e.Path] = e
	}
	v, link, run := byPath["deploy/values.yaml"], byPath["deploy/current"], byPath["bin/run"]
	if v.Type != "blob" || v.Mode != ModeFile || v.Size != int64(len(content)) || link.Mode != ModeSymlink ||
		run.Mode != ModeExecutable || byPath["deploy"].Type != "tree" || byPath["deploy"].Mode != ModeDir {
		t.Errorf("entries %+v", byPath)
	}
	data, err := c.Blob(ctx, v.SHA, 1<<20)
	if err != nil || string(data) != content {
		t.Errorf("blob: %q %v", data, err)
	}
	var big *BlobTooLargeError
	if _, err := c.Blob(ctx, v.SHA, 10); !errors.As(err, &big) || big.Size != int64(len(content)) {
		t.Errorf("blob over 10 bytes: %v, want a *BlobTooLargeError", err)
	}

	// a name that is not hex never reaches the API (it would be a path)
	before := len(gh.Requests())
	for _, bad := range []string{"main", "../../user", commitSHA[:39], commitSHA + "/x", strings.Repeat("g", 40)} {
		if _, err := c.Tree(ctx, bad, false); err == nil || !strings.Contains(err.Error(), "not a full object name") {
			t.Errorf("Tree(%q): %v", bad, err)
		}
		if _, err := c.Blob(ctx, bad, 10); err == nil {
			t.Errorf("Blob(%q): no error", bad)
		}
	}
	if n := len(gh.Requests()) - before; n != 0 {
		t.Errorf("%d requests for bad names", n)
	}

	// 404 and 403 are recognisable
	if _, err := c.Tree(ctx, "2222222222222222222222222222222222222222", true); !IsNotFound(err) || !strings.Contains(err.Error(), "read the tree of 222222222222: 404") {
		t.Errorf("unknown tree: %v", err)
	}
	gh.Status[fakegithub.GitTree] = 403
	if _, err := c.Tree(ctx, commitSHA, true); !IsForbidden(err) {
		t.Errorf("403: %v", err)
	}
}

// An answer whose entries leave the tree, or name objects that are not
// hex, is refused whole.
func TestTreeRefusesOddEntries(t *testing.T) {
	t.Parallel()
	for _, entry := range []string{
		`{"path":"../etc/passwd","mode":"100644","type":"blob","sha":"` + commitSHA + `"}`,
		`{"path":"/abs","mode":"100644","type":"blob","sha":"` + commitSHA + `"}`,
		`{"path":"a/./b","mode":"100644","type":"blob","sha":"` + commitSHA + `"}`,
		`{"path":"ok","mode":"100644","type":"blob","sha":"../../user"}`,
	} {
		gh := newFake(t)
		gh.Inject[fakegithub.GitTree] = []fakegithub.Answer{{Status: 200, Body: `{"sha":"` + commitSHA + `","tree":[` + entry + `],"truncated":false}`}}
		if _, err := newClient(t, gh).Tree(context.Background(), commitSHA, true); err == nil || !strings.Contains(err.Error(), "the API listed") {
			t.Errorf("%s: %v, want a refusal", entry, err)
		}
	}
}

func TestBlobEncodings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ body, want, err string }{
		{`{"size":2,"content":"aGk=\n","encoding":"base64"}`, "hi", ""},
		{`{"size":2,"content":"hi","encoding":"utf-8"}`, "hi", ""},
		{`{"size":3,"content":"aGk=","encoding":"base64"}`, "", "said 3 bytes and sent 2"},
		{`{"size":2,"content":"!!","encoding":"base64"}`, "", "does not decode"},
		{`{"size":2,"content":"hi","encoding":"rot13"}`, "", `encoding "rot13"`},
	} {
		gh := newFake(t)
		gh.Inject[fakegithub.GitBlob] = []fakegithub.Answer{{Status: 200, Body: tc.body}}
		got, err := newClient(t, gh).Blob(context.Background(), commitSHA, 100)
		switch {
		case tc.err == "" && (err != nil || string(got) != tc.want):
			t.Errorf("%s: %q %v, want %q", tc.body, got, err, tc.want)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s: %v, want an error with %q", tc.body, err, tc.err)
		}
	}
}
