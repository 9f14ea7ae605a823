package action

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/internal/testtree"
	"github.com/upgradegate/upgradegate/pkg/base"
)

// A pull request whose checkout has the merge commit's first parent
// (fetch-depth: 2) is compared with it: relaxing the policy fails with
// UG607 on the policy, and the job summary names the base.
func TestBinaryBaseFirstParent(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	relaxed := strings.Replace(policyYAML, "  requiredStops:\n    - version: 2.0.0\n", "", 1)
	h.write("policies/app.yaml", relaxed)
	h.write("upgrades/app.yaml", realClock(manifestYAML(clean)))
	baseSHA, merge := h.checkoutMerge(map[string]string{"policies/app.yaml": policyYAML})
	h.gh.Files = []string{"policies/app.yaml"}
	res := h.runBinary()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=policies/app.yaml,line=5,col=1,title=UG607::") ||
		!strings.Contains(res.stdout, "required stop 2.0.0 removed") {
		t.Fatalf("exit %d, want 1 with UG607 on the policy\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	want := "Base: " + baseSHA[:7] + " (the first parent of the merge commit " + merge[:7] + ")"
	if !strings.Contains(res.summary, want) {
		t.Errorf("job summary lacks %q:\n%s", want, res.summary)
	}

	// the same policy at the base and the head: nothing relaxed
	h.write("policies/app.yaml", policyYAML)
	h.checkoutMerge(nil)
	if res := h.runBinary(); res.code != ExitOK || strings.Contains(res.stdout, "UG607") {
		t.Errorf("unchanged policy: exit %d, want 0 without UG607\nstdout:\n%s", res.code, res.stdout)
	}
}

// A shallow checkout (fetch-depth: 1) lacks the first parent: UG608 says to
// add fetch-depth: 2, in the annotations and the job summary; no silent
// pass, and the rest of the check still runs.
func TestBaseShallowCheckout(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	baseSHA, merge := h.checkoutMerge(nil)
	testtree.GitForget(t, h.ws, merge, baseSHA)
	res := h.run()
	if res.code != ExitOK {
		t.Fatalf("exit %d, want 0 (UG608 is a warning)\nstdout:\n%s", res.code, res.stdout)
	}
	if !strings.Contains(res.stdout, "::warning file=policies/app.yaml,line=6,col=3,title=UG608::") || !strings.Contains(res.stdout, "fetch-depth: 2") ||
		!strings.Contains(res.stdout, "first parent "+baseSHA[:7]+" is not in it") {
		t.Errorf("no UG608 naming fetch-depth: 2 and the missing parent\nstdout:\n%s", res.stdout)
	}
	if !strings.Contains(res.summary, "No base: the checkout is shallow") || !strings.Contains(res.summary, "fetch-depth: 2") {
		t.Errorf("job summary does not say why there is no base:\n%s", res.summary)
	}
	if res.outputs["warnings"] != "1" {
		t.Errorf("outputs %v, want 1 warning", res.outputs)
	}
}

// HEAD that is not the event's merge commit (a checkout of the head
// branch): the first parent is not the base, and UG608 says what to check
// out.
func TestBaseNotTheMergeCommit(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.env["GITHUB_SHA"] = "fedcba9876543210fedcba9876543210fedcba98"
	res := h.run()
	if !strings.Contains(res.stdout, "title=UG608::") || !strings.Contains(res.stdout, "is not the pull request's merge commit fedcba9") {
		t.Errorf("no UG608 for a HEAD that is not GITHUB_SHA\nstdout:\n%s", res.stdout)
	}
}

// shallowAPIBase makes the checkout shallow as fetch-depth: 1 leaves it
// (the merge commit without its first parent) and has the fake API hold
// the base commit instead: its files, read with go-git before the commit is
// forgotten, as the Git Trees and Blobs API serves them.
func (h *harness) shallowAPIBase(baseSHA, merge string) {
	h.t.Helper()
	g, err := base.OpenGit(h.ws)
	if err != nil {
		h.t.Fatal(err)
	}
	b, present, err := g.Commit(baseSHA, "base")
	if err != nil || !present {
		h.t.Fatalf("base %.7s: present %v, %v", baseSHA, present, err)
	}
	all, err := b.Files.Glob("**")
	if err != nil {
		h.t.Fatal(err)
	}
	files := map[string]string{}
	for _, rel := range all {
		data, err := b.Files.ReadFile(rel)
		if err != nil {
			h.t.Fatal(err)
		}
		files[rel] = string(data)
	}
	h.gh.AddCommit(baseSHA, files)
	testtree.GitForget(h.t, h.ws, merge, baseSHA)
}

// A shallow checkout (fetch-depth: 1) lacks the merge commit's first
// parent: the gate reads it through the REST API with the job's token (one
// recursive tree listing of that commit, then the blobs it needs), and a
// Helm-only bump fails with UG603 on the values line, as with the parent in
// the checkout. The job summary says the base came through the API.
func TestBinaryBaseThroughAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("policies/app.yaml", deployedPolicy)
	h.write("upgrades/app.yaml", realClock(manifestYAML(clean)))
	h.write("deploy/values.yaml", values("2.1.0"))
	baseSHA, merge := h.checkoutMerge(map[string]string{"deploy/values.yaml": values("1.1.0")})
	h.shallowAPIBase(baseSHA, merge)
	h.gh.Files = []string{"deploy/values.yaml"}
	res := h.runBinary()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=deploy/values.yaml,line=3,col=8,title=UG603::") ||
		!strings.Contains(res.stdout, "from 1.1.0 (deploy/values.yaml:3:8 at the base) to 2.1.0") {
		t.Fatalf("exit %d, want 1 with UG603 on the values line\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	if strings.Contains(res.stdout, "UG608") {
		t.Errorf("UG608 although the API read the base\nstdout:\n%s", res.stdout)
	}
	var trees, blobs []fakegithub.Request
	for _, r := range res.reqs {
		switch r.Route {
		case fakegithub.GitTree:
			trees = append(trees, r)
		case fakegithub.GitBlob:
			blobs = append(blobs, r)
		}
	}
	if len(trees) != 1 || trees[0].APIPath != "/repos/o/r/git/trees/"+baseSHA || trees[0].Query.Get("recursive") != "1" {
		t.Errorf("tree requests %v, want one recursive listing of the base %s", trees, baseSHA)
	}
	// the policy (compared for UG607) and the values file: nothing else
	if len(blobs) != 2 {
		t.Errorf("%d blob requests, want 2 (the policy and the values at the base): %v", len(blobs), blobs)
	}
	for _, r := range append(trees, blobs...) {
		if r.Header.Get("Authorization") != "Bearer "+canary {
			t.Errorf("%s without the job's token", r)
		}
	}
	want := "Base: " + baseSHA[:7] + " (the first parent of the merge commit " + merge[:7] + "), read through the REST API"
	if !strings.Contains(res.summary, want) {
		t.Errorf("job summary lacks %q:\n%s", want, res.summary)
	}
}

// The API refuses the base (the job's permissions lack contents: read; a
// 404 too, as GitHub answers for what a token may not see): UG608 says
// exactly what to change, permissions: contents: read or fetch-depth: 2.
func TestBaseThroughAPIRefused(t *testing.T) {
	t.Parallel()
	for _, code := range []int{403, 404} {
		t.Run(fmt.Sprint(code), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			baseSHA, merge := h.checkoutMerge(nil)
			h.shallowAPIBase(baseSHA, merge)
			h.gh.Status[fakegithub.GitTree] = code
			res := h.run()
			if res.code != ExitOK {
				t.Fatalf("exit %d, want 0 (UG608 is a warning)\nstdout:\n%s", res.code, res.stdout)
			}
			for _, want := range []string{"::warning file=policies/app.yaml,line=6,col=3,title=UG608::",
				"first parent " + baseSHA[:7] + " is not in it, and the REST API refused to read it with the job's token",
				fmt.Sprintf("read the tree of %.12s: %d", baseSHA, code),
				"add permissions: contents: read to the job", "or give actions/checkout fetch-depth: 2"} {
				if !strings.Contains(res.stdout, want) {
					t.Errorf("UG608 lacks %q\nstdout:\n%s", want, res.stdout)
				}
			}
			if !strings.Contains(res.summary, "No base: the checkout is shallow") || !strings.Contains(res.summary, "add permissions: contents: read") {
				t.Errorf("job summary does not say what to change:\n%s", res.summary)
			}
			if n := fakegithub.Count(res.reqs, fakegithub.GitBlob); n != 0 {
				t.Errorf("%d blob requests after the refused listing", n)
			}
		})
	}
}

// The API fails after the listing (a blob refused): the base is not known
// whole, so the run has none: UG608 naming the failure, never a pass on
// half a base.
func TestBaseThroughAPIFailsMidway(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("policies/app.yaml", deployedPolicy)
	h.write("deploy/values.yaml", values("2.1.0"))
	baseSHA, merge := h.checkoutMerge(map[string]string{"deploy/values.yaml": values("1.1.0")})
	h.shallowAPIBase(baseSHA, merge)
	h.gh.Status[fakegithub.GitBlob] = 403
	res := h.run()
	if !strings.Contains(res.stdout, "title=UG608::") || !strings.Contains(res.stdout, "the REST API failed while the gate read the base "+baseSHA[:7]+" (the first parent of the merge commit") ||
		strings.Contains(res.stdout, "title=UG603") {
		t.Errorf("want UG608 naming the API's failure, and no comparison with half a base\nstdout:\n%s", res.stdout)
	}
	if !strings.Contains(res.summary, "No base: the REST API failed") {
		t.Errorf("job summary:\n%s", res.summary)
	}
}

// Without a token the API cannot be asked: UG608 says to give one, or
// fetch-depth: 2.
func TestBaseShallowWithoutToken(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	baseSHA, merge := h.checkoutMerge(nil)
	testtree.GitForget(t, h.ws, merge, baseSHA)
	h.env["INPUT_TOKEN"] = ""
	res := h.run()
	if !strings.Contains(res.stdout, "title=UG608::") || !strings.Contains(res.stdout, "without a token the REST API cannot read it") ||
		!strings.Contains(res.stdout, "fetch-depth: 2") || !strings.Contains(res.stdout, "permissions: contents: read") {
		t.Errorf("no UG608 saying what to change\nstdout:\n%s", res.stdout)
	}
}

// A pull request that deletes the policy (and the manifest) with the base
// read through the API: UG607 at the deleted policy, from the changed files
// the API lists and the deleted file's blob at the base.
func TestBaseThroughAPIPolicyDeleted(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	// the head: neither policy nor manifest; the base still has both
	for _, rel := range []string{"policies/app.yaml", "upgrades/app.yaml"} {
		if err := os.Remove(filepath.Join(h.ws, rel)); err != nil {
			t.Fatal(err)
		}
	}
	baseSHA, merge := h.checkoutMerge(map[string]string{"policies/app.yaml": policyYAML, "upgrades/app.yaml": manifestYAML(clean)})
	h.shallowAPIBase(baseSHA, merge)
	h.gh.Files = []string{"policies/app.yaml", "upgrades/app.yaml"}
	res := h.run()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=policies/app.yaml,line=6,col=14,title=UG607::this pull request deletes policy") ||
		!strings.Contains(res.stdout, "required stop 2.0.0 removed") {
		t.Errorf("exit %d, want 1 with UG607 at the deleted policy\nstdout:\n%s", res.code, res.stdout)
	}
	// each deleted YAML file is read at the base to see whether it was a policy
	if n := fakegithub.Count(res.reqs, fakegithub.GitBlob); n != 2 {
		t.Errorf("%d blob requests, want 2 (the deleted policy and manifest)", n)
	}
}

// On merge_group a shallow checkout lacks merge_group.base_sha: the gate
// reads that commit through the API, and the summary says so.
func TestMergeGroupBaseThroughAPI(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("policies/app.yaml", deployedPolicy)
	h.write("deploy/values.yaml", values("2.1.0"))
	baseSHA, merge := h.checkoutMerge(map[string]string{"deploy/values.yaml": values("1.1.0")})
	h.shallowAPIBase(baseSHA, merge)
	h.baseSHA = baseSHA
	h.gh.Files = []string{"deploy/values.yaml"}
	onMergeGroup(h, queueBranch)
	res := h.run()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=deploy/values.yaml,line=3,col=8,title=UG603::") {
		t.Fatalf("exit %d, want 1 with UG603 on the values line\nstdout:\n%s", res.code, res.stdout)
	}
	var tree []fakegithub.Request
	for _, r := range res.reqs {
		if r.Route == fakegithub.GitTree {
			tree = append(tree, r)
		}
	}
	if len(tree) != 1 || tree[0].APIPath != "/repos/o/r/git/trees/"+baseSHA {
		t.Errorf("tree requests %v, want the listing of merge_group.base_sha %s", tree, baseSHA)
	}
	if want := "Base: " + baseSHA[:7] + ` (merge\_group.base\_sha), read through the REST API`; !strings.Contains(res.summary, want) {
		t.Errorf("job summary lacks %q:\n%s", want, res.summary)
	}
}

// A blob answered with a redirect to another host: the client refuses it
// (the other host gets no request, so never the token), and the run has no
// base (UG608), not half of one.
func TestBaseThroughAPIRedirectElsewhere(t *testing.T) {
	t.Parallel()
	var elsewhere fakegithub.Recorder
	sink := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		elsewhere.Record(r, nil, "elsewhere")
		w.WriteHeader(http.StatusOK)
	}))
	h := newHarness(t)
	h.write("policies/app.yaml", deployedPolicy)
	h.write("deploy/values.yaml", values("2.1.0"))
	baseSHA, merge := h.checkoutMerge(map[string]string{"deploy/values.yaml": values("1.1.0")})
	h.shallowAPIBase(baseSHA, merge)
	h.gh.Inject[fakegithub.GitBlob] = []fakegithub.Answer{{Status: http.StatusTemporaryRedirect,
		Header: map[string]string{"Location": sink.URL + "/api/v3/repos/o/r/git/blobs/x"}}}
	res := h.run()
	if got := elsewhere.Requests(); len(got) != 0 {
		t.Errorf("the other host got %d requests, the first with Authorization %q", len(got), got[0].Header.Get("Authorization"))
	}
	if !strings.Contains(res.stdout, "title=UG608::") || !strings.Contains(res.stdout, "the REST API failed while the gate read the base") ||
		!strings.Contains(res.stdout, "refused") {
		t.Errorf("want UG608 naming the refused redirect\nstdout:\n%s", res.stdout)
	}
}
