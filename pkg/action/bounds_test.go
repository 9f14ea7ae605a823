package action

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/internal/fakegithub"
	"github.com/upgradegate/upgradegate/pkg/github"
)

// TestHostileAPIKeepsTheVerdict runs the action against an API that
// redirects to another host or never stops paging: the token never reaches
// the other host, the work stops at the documented limit with a warning, and
// the findings decide the exit code.
func TestHostileAPIKeepsTheVerdict(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		route   string
		answers func(elsewhere string) []fakegithub.Answer
		warning string
		calls   int
	}{
		{"changed files redirected", fakegithub.PullFiles, func(elsewhere string) []fakegithub.Answer {
			return []fakegithub.Answer{{Status: http.StatusTemporaryRedirect, Header: map[string]string{"Location": elsewhere + "/files"}}}
		}, `::warning::Cannot list the files of pull request #7 (list files of pull request #7: redirect from`, 1},
		{"comments redirected", fakegithub.ListComments, func(elsewhere string) []fakegithub.Answer {
			return []fakegithub.Answer{{Status: http.StatusTemporaryRedirect, Header: map[string]string{"Location": elsewhere + "/comments"}}}
		}, "::warning::Cannot update the comment on pull request #7 (list comments of #7: redirect from", 1},
		{"comments never end", fakegithub.ListComments, func(elsewhere string) []fakegithub.Answer {
			var out []fakegithub.Answer
			for i := 1; i <= github.MaxCommentPages+5; i++ {
				out = append(out, fakegithub.Answer{Status: 200, Body: "[]", Header: map[string]string{
					"Link": fmt.Sprintf(`<%s/repos/o/r/issues/7/comments?page=%d>; rel="next"`, "http://api.invalid", i+1)}})
			}
			return out
		}, fmt.Sprintf("::warning::Cannot update the comment on pull request #7 (list comments of #7: GitHub still had more comments of #7 after %d pages", github.MaxCommentPages),
			github.MaxCommentPages},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := &fakegithub.Recorder{}
			elsewhere := fakegithub.Start(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				rec.Record(r, nil, fakegithub.Unknown)
				io.WriteString(w, "[]")
			}))
			h := newHarness(t)
			h.write("upgrades/app.yaml", manifestYAML(failing))
			h.gh.Inject[tc.route] = tc.answers(elsewhere.URL)
			res := h.run()
			if res.code != ExitFindings {
				t.Errorf("exit code %d, want 1 (the findings)", res.code)
			}
			if !strings.Contains(res.stdout, tc.warning) {
				t.Errorf("stdout lacks %q:\n%s", tc.warning, res.stdout)
			}
			if n := fakegithub.Count(res.reqs, tc.route); n != tc.calls {
				t.Errorf("%d requests of %s, want %d", n, tc.route, tc.calls)
			}
			for _, r := range rec.Requests() {
				t.Errorf("the other host got %s %s (Authorization %q)", r.Method, r.Path, r.Header.Get("Authorization"))
			}
			h.assertNoToken(res)
		})
	}
}
