package base

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/github"
)

const (
	apiToken  = "ghs_apiBaseToken"
	apiCommit = "abcdefabcdefabcdefabcdefabcdefabcdefabcd"
)

var apiBaseFiles = map[string]fakegithub.GitFile{
	"policies/app.yaml":          {Content: "kind: Policy\n"},
	"deploy/values.yaml":         {Content: "image:\n  tag: \"1.1.0\"\n"},
	"deploy/current.yaml":        {Content: "values.yaml", Mode: github.ModeSymlink},
	"deploy/escape.yaml":         {Content: "../../etc/passwd", Mode: github.ModeSymlink},
	"k8s/a/web.yaml":             {Content: "kind: Deployment\n"},
	"k8s/a/b/worker.yaml":        {Content: "kind: Deployment\n"},
	"k8s/README.md":              {Content: "# k8s\n"},
	"k8s/c/d/e/f/deep.yaml":      {Content: "kind: Job\n"},
	"terraform/gitlab/main.tf":   {Content: "gitlab_version = \"16.3.2\"\n"},
	"unrelated/many/files/1.txt": {Content: "1\n"},
}

func apiClient(t testing.TB, gh *fakegithub.Server) *github.Client {
	t.Helper()
	c, err := github.New(github.Config{APIURL: gh.APIURL(), Repository: "o/r", Token: apiToken,
		Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readAll reads what a deployed scan and a policy comparison read, and
// returns it as text, for comparing one way of reading with another.
func readAll(t *testing.T, f Files) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"k8s/**/*.yaml", "deploy/*.yaml", "**/*.tf", "nothing/**", "*.md"} {
		got, err := f.Glob(p)
		fmt.Fprintf(&b, "glob %s: %v %v\n", p, got, err)
	}
	for _, rel := range []string{"policies/app.yaml", "deploy/values.yaml", "deploy/current.yaml", "k8s/c/d/e/f/deep.yaml",
		"policies/gone.yaml", "missing/dir/x.yaml"} {
		data, err := f.ReadFile(rel)
		fmt.Fprintf(&b, "read %s: %q %v\n", rel, data, err)
	}
	return b.String()
}

// The base through the API reads what the local base reads: globs over
// the listing, files through their blobs, links followed inside the tree; a
// missing file is fs.ErrNotExist. One recursive listing, then one request
// per blob, each blob once.
func TestAPIBase(t *testing.T) {
	t.Parallel()
	gh := fakegithub.New(t, apiToken, "o", "r")
	gh.AddCommitFiles(apiCommit, apiBaseFiles)
	b, err := OpenAPI(context.Background(), apiClient(t, gh), apiCommit, "the REST API")
	if err != nil {
		t.Fatal(err)
	}
	if b.Commit != apiCommit || b.Changed != nil || b.Describe() != "abcdefa (the REST API)" {
		t.Errorf("base %+v", b)
	}
	got := readAll(t, b.Files)
	want := `glob k8s/**/*.yaml: [k8s/a/b/worker.yaml k8s/a/web.yaml k8s/c/d/e/f/deep.yaml] <nil>
glob deploy/*.yaml: [deploy/current.yaml deploy/escape.yaml deploy/values.yaml] <nil>
glob **/*.tf: [terraform/gitlab/main.tf] <nil>
glob nothing/**: [] <nil>
glob *.md: [] <nil>
read policies/app.yaml: "kind: Policy\n" <nil>
read deploy/values.yaml: "image:\n  tag: \"1.1.0\"\n" <nil>
read deploy/current.yaml: "image:\n  tag: \"1.1.0\"\n" <nil>
read k8s/c/d/e/f/deep.yaml: "kind: Job\n" <nil>
read policies/gone.yaml: "" "policies/gone.yaml" does not exist at the base abcdefa
read missing/dir/x.yaml: "" "missing/dir/x.yaml" does not exist at the base abcdefa
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("reads (-want +got):\n%s", diff)
	}
	if _, err := b.Files.ReadFile("policies/gone.yaml"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := b.Files.ReadFile("deploy/escape.yaml"); err == nil || !strings.Contains(err.Error(), "out of the repository") {
		t.Errorf("link out of the repository: %v", err)
	}
	for _, bad := range []string{"../x", "/etc/passwd", "k8s"} {
		if _, err := b.Files.ReadFile(bad); err == nil {
			t.Errorf("ReadFile(%q): no error", bad)
		}
	}
	reqs := gh.Requests()
	// 1 listing; blobs: policy, values (once, though read thrice), the
	// link, deep.yaml, the escaping link
	if n, m := fakegithub.Count(reqs, fakegithub.GitTree), fakegithub.Count(reqs, fakegithub.GitBlob); n != 1 || m != 5 {
		t.Errorf("%d tree and %d blob requests, want 1 and 5: %v", n, m, reqs)
	}
	if reqs[0].Query.Get("recursive") != "1" || !strings.HasSuffix(reqs[0].APIPath, "/git/trees/"+apiCommit) {
		t.Errorf("first request %s, want the commit's recursive tree", reqs[0])
	}
	for _, r := range reqs {
		if r.Header.Get("Authorization") != "Bearer "+apiToken || r.Route == fakegithub.Unknown {
			t.Errorf("request %s: %q", r, r.Header.Get("Authorization"))
		}
	}
	if err := b.Err(); err != nil {
		t.Errorf("Err: %v", err)
	}
}

// A truncated listing is never taken as whole: the gate lists the
// directories it needs one at a time (a sub-tree recursively when that is
// whole), and reads the same as with the whole listing.
func TestAPIBaseTruncated(t *testing.T) {
	t.Parallel()
	whole := fakegithub.New(t, apiToken, "o", "r")
	whole.AddCommitFiles(apiCommit, apiBaseFiles)
	wb, err := OpenAPI(context.Background(), apiClient(t, whole), apiCommit, "the REST API")
	if err != nil {
		t.Fatal(err)
	}
	want := readAll(t, wb.Files)
	for _, limit := range []int{1, 3, 8} {
		gh := fakegithub.New(t, apiToken, "o", "r")
		gh.AddCommitFiles(apiCommit, apiBaseFiles)
		gh.TreeLimit = limit
		b, err := OpenAPI(context.Background(), apiClient(t, gh), apiCommit, "the REST API")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, readAll(t, b.Files)); diff != "" {
			t.Errorf("listing truncated at %d entries: reads differ (-whole +truncated):\n%s", limit, diff)
		}
		if trees := fakegithub.Count(gh.Requests(), fakegithub.GitTree); trees < 3 {
			t.Errorf("truncated at %d: %d tree requests, want the per-directory listings", limit, trees)
		}
		if err := b.Err(); err != nil {
			t.Errorf("Err: %v", err)
		}
	}
}

// The listing's 403 or 404 (no contents: read) is OpenAPI's error; a blob
// that fails later is the read's error and Err's, never a missing file.
func TestAPIBaseFailures(t *testing.T) {
	t.Parallel()
	for _, code := range []int{403, 404} {
		gh := fakegithub.New(t, apiToken, "o", "r")
		gh.AddCommitFiles(apiCommit, apiBaseFiles)
		gh.Status[fakegithub.GitTree] = code
		_, err := OpenAPI(context.Background(), apiClient(t, gh), apiCommit, "the REST API")
		if github.StatusCode(err) != code {
			t.Errorf("listing answered %d: error %v", code, err)
		}
	}
	gh := fakegithub.New(t, apiToken, "o", "r")
	gh.AddCommitFiles(apiCommit, apiBaseFiles)
	b, err := OpenAPI(context.Background(), apiClient(t, gh), apiCommit, "the REST API")
	if err != nil {
		t.Fatal(err)
	}
	gh.Status[fakegithub.GitBlob] = 403
	_, err = b.Files.ReadFile("deploy/values.yaml")
	if err == nil || errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), `read "deploy/values.yaml" at the base abcdefa`) {
		t.Errorf("blob answered 403: %v", err)
	}
	if !github.IsForbidden(b.Err()) {
		t.Errorf("Err %v, want the 403", b.Err())
	}
	// a file over MaxFileSize is refused from the listing's size, unread
	big := fakegithub.New(t, apiToken, "o", "r")
	big.AddCommit(apiCommit, map[string]string{"big.yaml": strings.Repeat("x", MaxFileSize+1)})
	bb, err := OpenAPI(context.Background(), apiClient(t, big), apiCommit, "the REST API")
	if err != nil {
		t.Fatal(err)
	}
	var tl *TooLargeError
	if _, err := bb.Files.ReadFile("big.yaml"); !errors.As(err, &tl) || fakegithub.Count(big.Requests(), fakegithub.GitBlob) != 0 {
		t.Errorf("big file: %v, want a *TooLargeError without a blob request", err)
	}
}

// stubTrees serves a root of n files without HTTP, counting requests.
type stubTrees struct{ n, trees, blobs int }

func (s *stubTrees) Tree(_ context.Context, sha string, _ bool) (*github.Tree, error) {
	s.trees++
	t := &github.Tree{SHA: sha}
	for i := 0; i < s.n; i++ {
		t.Entries = append(t.Entries, github.TreeEntry{Path: fmt.Sprintf("f%d.yaml", i), Mode: github.ModeFile, Type: "blob",
			SHA: fmt.Sprintf("%040x", i), Size: 2})
	}
	return t, nil
}

func (s *stubTrees) Blob(context.Context, string, int64) ([]byte, error) {
	s.blobs++
	return []byte("x\n"), nil
}

// At most MaxAPIRequests requests per base: past them every read fails
// with an *APIRequestsError (and Err says so), no further request is made.
func TestAPIBaseRequestBound(t *testing.T) {
	t.Parallel()
	stub := &stubTrees{n: MaxAPIRequests + 10}
	b, err := OpenAPI(context.Background(), stub, apiCommit, "stub")
	if err != nil {
		t.Fatal(err)
	}
	var failed error
	for i := 0; i < stub.n; i++ {
		if _, err := b.Files.ReadFile(fmt.Sprintf("f%d.yaml", i)); err != nil {
			failed = err
			break
		}
	}
	var re *APIRequestsError
	if !errors.As(failed, &re) || !errors.As(b.Err(), &re) {
		t.Fatalf("read past the bound: %v, Err %v; want *APIRequestsError", failed, b.Err())
	}
	if stub.trees+stub.blobs != MaxAPIRequests {
		t.Errorf("%d requests made, want %d", stub.trees+stub.blobs, MaxAPIRequests)
	}
}

// TestAPIBoundsAreDocumented keeps docs/action.md in step with the bounds.
func TestAPIBoundsAreDocumented(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join("..", "..", "docs", "action.md"))
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.Join(strings.Fields(string(data)), " ")
	if MaxAPIRequests != 1000 || MaxFileSize != 8<<20 {
		t.Fatalf("update docs/action.md for %d requests and files of %d bytes", MaxAPIRequests, MaxFileSize)
	}
	for _, want := range []string{"takes at most 1,000 requests (tree listings and blobs)", "At most 1,000 requests per run", "files over 8 MiB refused"} {
		if !strings.Contains(doc, want) {
			t.Errorf("docs/action.md does not say %q", want)
		}
	}
}
