package github

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

type step struct {
	status int
	header map[string]string
	body   string
}

// replay answers the steps in order, then 200, and records request bodies.
func replay(t *testing.T, steps ...step) (*httptest.Server, *[]string) {
	t.Helper()
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		i := len(bodies) - 1
		mu.Unlock()
		if i < len(steps) {
			for k, v := range steps[i].header {
				w.Header().Set(k, v)
			}
			w.WriteHeader(steps[i].status)
			io.WriteString(w, steps[i].body)
			return
		}
		io.WriteString(w, `{"ok":true}`)
	}))
	t.Cleanup(srv.Close)
	return srv, &bodies
}

var clock = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func newRetry(slept *[]time.Duration) *Retry {
	return &Retry{
		Now: func() time.Time { return clock },
		Sleep: func(ctx context.Context, d time.Duration) error {
			*slept = append(*slept, d)
			return ctx.Err()
		},
	}
}

func TestRetry(t *testing.T) {
	t.Parallel()
	secondary := `{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}`
	for _, tc := range []struct {
		name       string
		steps      []step
		wantStatus int
		wantSleeps []time.Duration
	}{
		{"500 500 200 backs off", []step{{status: 500}, {status: 502}}, 200, []time.Duration{time.Second, 2 * time.Second}},
		{"Retry-After seconds", []step{{status: 429, header: map[string]string{"Retry-After": "3"}}}, 200, []time.Duration{3 * time.Second}},
		{"Retry-After date", []step{{status: 503, header: map[string]string{"Retry-After": clock.Add(5 * time.Second).Format(http.TimeFormat)}}},
			200, []time.Duration{5 * time.Second}},
		{"secondary limit with Retry-After", []step{{status: 403, header: map[string]string{"Retry-After": "2"}, body: secondary}},
			200, []time.Duration{2 * time.Second}},
		{"secondary limit without Retry-After waits a minute", []step{{status: 403, body: secondary}}, 200, []time.Duration{time.Minute}},
		{"a second minute is past the budget", []step{{status: 403, body: secondary}, {status: 403, body: secondary}}, 403,
			[]time.Duration{time.Minute}},
		{"primary limit resets soon", []step{{status: 403, header: map[string]string{
			"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(clock.Add(10*time.Second).Unix(), 10)}}},
			200, []time.Duration{11 * time.Second}},
		{"primary limit resets in an hour: give up", []step{{status: 403, header: map[string]string{
			"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(clock.Add(time.Hour).Unix(), 10)}}}, 403, nil},
		{"permission 403 is final", []step{{status: 403, body: `{"message":"Resource not accessible by integration"}`}}, 403, nil},
		{"404 is final", []step{{status: 404}}, 404, nil},
		{"budget bounds the waits", []step{{status: 500}, {status: 500}, {status: 500}, {status: 500}, {status: 500}},
			500, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, bodies := replay(t, tc.steps...)
			var slept []time.Duration
			c := &http.Client{Transport: newRetry(&slept)}
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{"body":"x"}`))
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if diff := cmp.Diff(tc.wantSleeps, slept); diff != "" {
				t.Errorf("sleeps (-want +got):\n%s", diff)
			}
			for i, b := range *bodies {
				if b != `{"body":"x"}` {
					t.Errorf("attempt %d sent body %q", i+1, b)
				}
			}
			if last := tc.steps[len(tc.steps)-1]; tc.wantStatus != 200 && string(body) != last.body {
				t.Errorf("the final answer's body was lost: %q", body)
			}
		})
	}
}

func TestRetryBudgetIsShared(t *testing.T) {
	t.Parallel()
	wait40 := step{status: 503, header: map[string]string{"Retry-After": "40"}}
	srv, bodies := replay(t, wait40, step{status: 200}, wait40)
	var slept []time.Duration
	c := &http.Client{Transport: newRetry(&slept)}
	for i, want := range []int{200, 503} {
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("request %d: status %d, want %d", i+1, resp.StatusCode, want)
		}
	}
	if diff := cmp.Diff([]time.Duration{40 * time.Second}, slept); diff != "" {
		t.Errorf("sleeps (-want +got): the second request may not wait past the run's budget\n%s", diff)
	}
	if len(*bodies) != 3 {
		t.Errorf("%d attempts, want 3", len(*bodies))
	}
}

func TestRetryStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	srv, bodies := replay(t, step{status: 500}, step{status: 500})
	ctx, cancel := context.WithCancel(context.Background())
	r := &Retry{Sleep: func(ctx context.Context, d time.Duration) error { cancel(); return ctx.Err() }}
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL, nil)
	if _, err := (&http.Client{Transport: r}).Do(req); err == nil {
		t.Errorf("no error after the context ended")
	}
	if len(*bodies) != 1 {
		t.Errorf("%d attempts, want 1", len(*bodies))
	}
}

func TestIsForbidden(t *testing.T) {
	t.Parallel()
	srv, _ := replay(t, step{status: 403, body: `{"message":"Resource not accessible by integration"}`},
		step{status: 403, header: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "1"}, body: `{"message":"API rate limit exceeded"}`})
	c, err := New(Config{APIURL: srv.URL, Repository: "o/r", Token: "t", Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.UpsertComment(context.Background(), 1, "<!-- m -->", "b", true)
	if !IsForbidden(err) || !strings.Contains(err.Error(), "list comments of #1: 403 Forbidden: Resource not accessible by integration") {
		t.Errorf("permission error: IsForbidden false or message %q", err)
	}
	_, err = c.UpsertComment(context.Background(), 1, "<!-- m -->", "b", true)
	if err == nil || IsForbidden(err) {
		t.Errorf("a rate limit is not a permission error: %v", err)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{{Repository: "o"}, {Repository: "o/r/x"}, {Repository: "o/r", APIURL: "ftp://x"}} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func TestRetryPrimaryLimitOn429WaitsForReset(t *testing.T) {
	t.Parallel()
	srv, _ := replay(t, step{status: 429, header: map[string]string{
		"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": strconv.FormatInt(clock.Add(10*time.Second).Unix(), 10)}})
	var slept []time.Duration
	resp, err := (&http.Client{Transport: newRetry(&slept)}).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("status %d, want 200", resp.StatusCode)
	}
	// the reset, not the minute a secondary limit without a time costs
	if diff := cmp.Diff([]time.Duration{11 * time.Second}, slept); diff != "" {
		t.Errorf("sleeps (-want +got):\n%s", diff)
	}
}

func TestNormalizeAPIURL(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"https://api.github.com", "https://api.github.com/"},
		{"https://api.github.com/", "https://api.github.com/"},
		{"https://api.acme.ghe.com", "https://api.acme.ghe.com/"},
		{"https://ghes.example.com/api/v3", "https://ghes.example.com/api/v3/"},
		{"https://ghes.example.com/api/v3/", "https://ghes.example.com/api/v3/"},
		{"https://ghes.example.com", "https://ghes.example.com/api/v3/"},
		{"https://ghes.example.com/", "https://ghes.example.com/api/v3/"},
		{"https://proxy.example.com/github", "https://proxy.example.com/github/"},
	} {
		u, err := url.Parse(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := normalizeAPIURL(u).String(); got != tc.want {
			t.Errorf("normalizeAPIURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEnterpriseURLs sends a request through New to a GitHub Enterprise
// Server, named as GITHUB_API_URL says it and as people write it.
func TestEnterpriseURLs(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		mu.Unlock()
		io.WriteString(w, `[]`)
	}))
	t.Cleanup(srv.Close)
	for _, api := range []string{srv.URL + "/api/v3", srv.URL + "/api/v3/", srv.URL, srv.URL + "/"} {
		c, err := New(Config{APIURL: api, Repository: "o/r", Token: "t"})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := c.ChangedFiles(context.Background(), 7); err != nil {
			t.Errorf("%s: %v", api, err)
		}
	}
	want := []string{"/api/v3/repos/o/r/pulls/7/files", "/api/v3/repos/o/r/pulls/7/files",
		"/api/v3/repos/o/r/pulls/7/files", "/api/v3/repos/o/r/pulls/7/files"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("request paths (-want +got):\n%s", diff)
	}
}

// TestSilentServerIsBounded: a server that never answers costs at most
// MaxAttempts attempts of AttemptTimeout, then an error.
func TestSilentServerIsBounded(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var mu sync.Mutex
	attempts := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		attempts++
		mu.Unlock()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c, err := New(Config{APIURL: srv.URL, Repository: "o/r", Token: "t", AttemptTimeout: 500 * time.Millisecond,
		Sleep: func(context.Context, time.Duration) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.ChangedFiles(context.Background(), 7); err == nil {
		t.Errorf("no error from a server that never answers")
	}
	mu.Lock()
	defer mu.Unlock()
	if attempts != DefaultMaxAttempts {
		t.Errorf("%d attempts, want %d", attempts, DefaultMaxAttempts)
	}
}
