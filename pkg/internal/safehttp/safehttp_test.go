package safehttp

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestMeterCountsOverlapOnce: the run's API time is the time during which
// at least one request is under way; overlapping requests count once, idle
// time not at all.
func TestMeterCountsOverlapOnce(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	m := &Meter{Limit: 10 * time.Second, Now: func() time.Time { return now }}
	step := func(d time.Duration) { now = now.Add(d) }
	if left := m.begin(); left != 10*time.Second {
		t.Fatalf("first request left %s, want 10s", left)
	}
	step(2 * time.Second)
	if left := m.begin(); left != 8*time.Second { // a second request while the first is under way
		t.Fatalf("second request left %s, want 8s", left)
	}
	step(time.Second)
	m.end()
	step(time.Second)
	m.end()         // both over: 4 s spent
	step(time.Hour) // idle time does not count
	if left := m.Left(); left != 6*time.Second {
		t.Fatalf("left %s after the requests, want 6s", left)
	}
	m.begin()
	step(6 * time.Second)
	if left := m.Left(); left != 0 {
		t.Errorf("left %s, want 0", left)
	}
	m.end()
	if (&Meter{}).limit() != DefaultRunLimit {
		t.Errorf("the zero Meter's limit is not DefaultRunLimit")
	}
}

func TestMeterRefusesOnceUsedUp(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		n++
		mu.Unlock()
		io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	m := &Meter{Limit: time.Second, Now: func() time.Time { return now }}
	c := &http.Client{Transport: m.Transport(nil)}
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Second) // the body is read slowly
	_, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	_, err = c.Get(srv.URL)
	var de *DeadlineError
	if !errors.As(err, &de) || !de.Run || !strings.Contains(err.Error(), "the run's API time of 1s is used up") {
		t.Fatalf("error %v, want the run's deadline", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if n != 1 {
		t.Errorf("%d requests, want 1: the second must not be sent", n)
	}
}

// TestBodyLimit: exactly MaxBody bytes are read; one more is a *LimitError.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		size int
		ok   bool
	}{{0, true}, {9, true}, {10, true}, {11, false}, {1 << 16, false}} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.(http.Flusher).Flush() // no Content-Length: the limit is found while reading
			io.WriteString(w, strings.Repeat("x", tc.size))
		}))
		c := &http.Client{Transport: &Attempt{MaxBody: 10}}
		resp, err := c.Get(srv.URL)
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		var le *LimitError
		switch {
		case tc.ok && (err != nil || len(data) != tc.size):
			t.Errorf("%d bytes: read %d, %v", tc.size, len(data), err)
		case !tc.ok && (!errors.As(err, &le) || le.Limit != 10 || len(data) != 10):
			t.Errorf("%d bytes: read %d, %v; want 10 and a limit error", tc.size, len(data), err)
		}
	}
}

// TestSameHostRedirects: another port, host or scheme is another origin.
func TestSameHostRedirects(t *testing.T) {
	t.Parallel()
	c := SameHostRedirects(nil)
	from, _ := url.Parse("https://ghe.example.com/api/v3/x")
	for to, ok := range map[string]bool{
		"https://ghe.example.com/api/v3/y":      true,
		"https://GHE.example.com/y":             true,
		"https://ghe.example.com:8443/y":        false,
		"http://ghe.example.com/y":              false,
		"https://evil.example.com/api/v3/x":     false,
		"https://ghe.example.com.evil.test/x":   false,
		"https://user@ghe.example.com/api/v3/y": true,
	} {
		u, _ := url.Parse(to)
		err := c.CheckRedirect(&http.Request{URL: u}, []*http.Request{{URL: from}})
		var re *RedirectError
		if ok != (err == nil) || (!ok && !errors.As(err, &re)) {
			t.Errorf("redirect to %s: %v", to, err)
		}
	}
	var via []*http.Request
	for i := 0; i < MaxRedirects; i++ {
		via = append(via, &http.Request{URL: from})
	}
	if err := c.CheckRedirect(&http.Request{URL: from}, via); err == nil {
		t.Errorf("redirect number %d was followed", MaxRedirects+1)
	}
}

func TestSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{32 << 20: "32 MiB", 1 << 10: "1 KiB", 1500: "1500 bytes", 3 << 19: "1536 KiB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}
