package github

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
)

// Retry defaults.
const (
	DefaultRetryBudget = 60 * time.Second
	DefaultMaxAttempts = 5
	// secondaryWait is GitHub's advice for a secondary rate limit that names
	// no time: wait at least a minute.
	secondaryWait = time.Minute
)

// Retry is an http.RoundTripper that repeats the requests GitHub asks to
// repeat: 5xx answers, 429, and 403 secondary or primary rate limits. It
// honours Retry-After (seconds or an HTTP date) and X-RateLimit-Reset, backs
// off exponentially otherwise, and gives up (returning the last answer) when
// the next wait would take the total waited, over all its requests, past
// Budget. It is safe for concurrent use.
type Retry struct {
	// Base sends the requests; nil means http.DefaultTransport.
	Base http.RoundTripper
	// Budget bounds the time spent waiting, in total over every request;
	// 0 means DefaultRetryBudget.
	Budget time.Duration
	// MaxAttempts bounds the attempts per request; 0 means DefaultMaxAttempts.
	MaxAttempts int
	// Sleep waits; nil means a timer that ctx cancels.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for HTTP dates and rate-limit resets; nil means time.Now.
	Now func() time.Time

	mu     sync.Mutex
	waited time.Duration
}

// RoundTrip sends req, repeating it as described on Retry.
func (t *Retry) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	maxAttempts := t.MaxAttempts
	if maxAttempts <= 0 {
		maxAttempts = DefaultMaxAttempts
	}
	for attempt := 1; ; attempt++ {
		r := req
		if attempt > 1 {
			r = req.Clone(req.Context())
			if req.Body != nil && req.Body != http.NoBody {
				body, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = body
			}
		}
		resp, err := base.RoundTrip(r)
		if req.Context().Err() != nil {
			return resp, err
		}
		wait, again := t.retryAfter(resp, err, attempt)
		replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
		if !again || !replayable || attempt >= maxAttempts || outlives(req.Context(), wait) || !t.spend(wait) {
			return resp, err
		}
		if resp != nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
			resp.Body.Close()
		}
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
	}
}

// outlives reports whether waiting d would run past ctx's deadline (the
// run's API time, say): the answer then stands at once.
func outlives(ctx context.Context, d time.Duration) bool {
	dl, ok := ctx.Deadline()
	return ok && time.Until(dl) < d
}

// spend takes d from the budget, or reports that it would overdraw it.
func (t *Retry) spend(d time.Duration) bool {
	budget := t.Budget
	if budget <= 0 {
		budget = DefaultRetryBudget
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.waited+d > budget {
		return false
	}
	t.waited += d
	return true
}

// retryAfter decides whether an answer is worth repeating and after how long.
func (t *Retry) retryAfter(resp *http.Response, err error, attempt int) (time.Duration, bool) {
	backoff := time.Second << min(attempt-1, 5)
	if err != nil {
		// a connection reset, or an attempt's timeout (which wraps
		// context.DeadlineExceeded); the request's own context ending was
		// handled before. An answer over the size limit stays over it.
		var limit *safehttp.LimitError
		return backoff, !errors.As(err, &limit)
	}
	h := resp.Header
	if d, ok := t.parseRetryAfter(h.Get("Retry-After")); ok && isRetryStatus(resp) {
		return d, true
	}
	limited := resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests
	if limited && h.Get("X-RateLimit-Remaining") == "0" {
		// the primary rate limit: wait for its reset (past the budget when
		// it is far off, and then the answer stands)
		if reset, err := strconv.ParseInt(h.Get("X-RateLimit-Reset"), 10, 64); err == nil {
			return max(time.Unix(reset, 0).Sub(t.now())+time.Second, 0), true
		}
	}
	switch {
	case resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented:
		return backoff, true
	case resp.StatusCode == http.StatusTooManyRequests:
		return secondaryWait, true
	case resp.StatusCode == http.StatusForbidden && isSecondaryLimit(resp):
		return secondaryWait, true
	}
	return 0, false
}

// isRetryStatus reports whether a Retry-After on this answer asks for a
// repeat: GitHub sends it with 403 and 429 rate limits and with 5xx.
func isRetryStatus(resp *http.Response) bool {
	return resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusTooManyRequests ||
		resp.StatusCode >= 500
}

// isSecondaryLimit reads the body of a 403 for GitHub's secondary rate limit
// message, leaving the body readable.
func isSecondaryLimit(resp *http.Response) bool {
	data, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(data))
	if err != nil {
		return false
	}
	s := strings.ToLower(string(data))
	return strings.Contains(s, "secondary rate limit") || strings.Contains(s, "abuse")
}

func (t *Retry) parseRetryAfter(v string) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		const maxWait = 365 * 24 * 60 * 60 // a year: far past any budget, and no overflow
		return time.Duration(min(n, maxWait)) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(t.now()), 0), true
	}
	return 0, false
}

func (t *Retry) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

func (t *Retry) sleep(ctx context.Context, d time.Duration) error {
	if t.Sleep != nil {
		return t.Sleep(ctx, d)
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}
