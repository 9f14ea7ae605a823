// Package safehttp holds the rules every HTTP client of the gate follows, so
// that each one does not keep a copy: the token stays on the host it is for
// (redirects elsewhere are refused), every answer is read within a deadline
// that covers its headers and its body, every body is bounded, and all the
// requests of a run share one deadline.
package safehttp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// MaxRedirects bounds the redirects followed within one host.
const MaxRedirects = 5

// RedirectError is a redirect the gate refused to follow: to another host (or
// port, or scheme) than the first request's, where the token must not go.
type RedirectError struct {
	From, To string // hosts (with the scheme when only it differs), never whole URLs
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("redirect from %q to %q refused: the token is only sent to %q", e.From, e.To, e.From)
}

// SameHostRedirects returns a copy of c (nil: a new client) that follows
// redirects only within the scheme and host, port included, of the first
// request. Go's client keeps custom headers such as X-Vault-Token on every
// redirect, Authorization whenever the host name matches whatever the port,
// and a transport that sets Authorization (go-github's) sets it everywhere: a
// redirect elsewhere would hand the token to another server.
func SameHostRedirects(c *http.Client) *http.Client {
	var cp http.Client
	if c != nil {
		cp = *c
	}
	next := cp.CheckRedirect
	cp.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		if !SameOrigin(first, req.URL) {
			return &RedirectError{From: first.Host, To: hostOrScheme(first, req.URL)}
		}
		if len(via) >= MaxRedirects {
			return fmt.Errorf("stopped after %d redirects", len(via))
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
	return &cp
}

// SameOrigin reports whether two URLs have the same scheme and host (port
// included).
func SameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) && strings.EqualFold(a.Host, b.Host)
}

// hostOrScheme names where a redirect went: its host, or its scheme and host
// when only the scheme differs (https to http).
func hostOrScheme(from, to *url.URL) string {
	if strings.EqualFold(from.Host, to.Host) {
		return to.Scheme + "://" + to.Host
	}
	return to.Host
}

// LimitError is an answer whose body is longer than the limit.
type LimitError struct {
	Limit int64 // bytes
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("the answer is larger than the limit of %s", Size(e.Limit))
}

// Size writes a byte count for messages: "32 MiB", "1024 bytes".
func Size(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// DeadlineError is a request that ran out of time: its own (Attempt's
// Timeout) or the run's (Meter's Limit).
type DeadlineError struct {
	Run   bool          // the run's API time, not this answer's own deadline
	Limit time.Duration // the deadline that ran out
}

func (e *DeadlineError) Error() string {
	if e.Run {
		return fmt.Sprintf("the run's API time of %s is used up", e.Limit)
	}
	return fmt.Sprintf("the answer took longer than %s", e.Limit)
}

// Timeout reports true: a DeadlineError is a net.Error timeout.
func (e *DeadlineError) Timeout() bool { return true }

// Temporary reports false.
func (e *DeadlineError) Temporary() bool { return false }

// Unwrap makes errors.Is(err, context.DeadlineExceeded) hold.
func (e *DeadlineError) Unwrap() error { return context.DeadlineExceeded }

// Attempt is an http.RoundTripper that bounds one request: its headers and
// its whole body arrive within Timeout, and its body holds at most MaxBody
// bytes (a longer one fails with a *LimitError when read past the limit, or
// at once when Content-Length says so). A request whose time runs out fails
// with a *DeadlineError, also while its body is read.
type Attempt struct {
	Base    http.RoundTripper // nil means http.DefaultTransport
	Timeout time.Duration     // 0 means no deadline of its own
	MaxBody int64             // 0 means no limit
}

// RoundTrip sends req within the bounds.
func (t *Attempt) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if t.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.Timeout)
	}
	expired := &DeadlineError{Limit: t.Timeout}
	resp, err := base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		return nil, timedOut(ctx, req.Context(), expired, err)
	}
	if t.MaxBody > 0 && resp.ContentLength > t.MaxBody {
		resp.Body.Close()
		cancel()
		return nil, &LimitError{Limit: t.MaxBody}
	}
	resp.Body = &body{rc: resp.Body, ctx: ctx, parent: req.Context(), expired: expired, limit: t.MaxBody, done: cancel}
	return resp, nil
}

// timedOut replaces err by expired when ctx, and not parent, ran out.
func timedOut(ctx, parent context.Context, expired *DeadlineError, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) && parent.Err() == nil {
		return expired
	}
	return err
}

// body bounds and watches a response body. done runs once, at the end of the
// body or when it is closed.
type body struct {
	rc          io.ReadCloser
	ctx, parent context.Context
	expired     *DeadlineError
	limit, read int64
	done        func()
	once        sync.Once
}

func (b *body) Read(p []byte) (int, error) {
	if b.limit > 0 {
		if b.read >= b.limit {
			// at the limit: one more byte means the body is too long
			var one [1]byte
			n, err := b.rc.Read(one[:])
			if n > 0 {
				return 0, &LimitError{Limit: b.limit}
			}
			return 0, b.fail(err)
		}
		if int64(len(p)) > b.limit-b.read {
			p = p[:b.limit-b.read]
		}
	}
	n, err := b.rc.Read(p)
	b.read += int64(n)
	return n, b.fail(err)
}

func (b *body) fail(err error) error {
	if err == nil {
		return nil
	}
	if err == io.EOF {
		b.finish()
		return err
	}
	return timedOut(b.ctx, b.parent, b.expired, err)
}

func (b *body) finish() { b.once.Do(b.done) }

func (b *body) Close() error {
	err := b.rc.Close()
	b.finish()
	return err
}

// DefaultRunLimit is the API time of a run: every request, its answer and
// the waits between retries, in total.
const DefaultRunLimit = time.Minute

// Meter bounds the API time of a run: the wall-clock time during which at
// least one request (its body included) is under way, summed over the run,
// stays under Limit. A request that starts with less time left gets only
// what is left; one that starts with none fails at once. It is safe for
// concurrent use; share one Meter between the clients of a run.
type Meter struct {
	Limit time.Duration    // 0 means DefaultRunLimit
	Now   func() time.Time // nil means time.Now

	mu     sync.Mutex
	active int
	since  time.Time
	spent  time.Duration
}

// NewMeter returns a meter with the given limit (0: DefaultRunLimit).
func NewMeter(limit time.Duration) *Meter { return &Meter{Limit: limit} }

func (m *Meter) limit() time.Duration {
	if m.Limit <= 0 {
		return DefaultRunLimit
	}
	return m.Limit
}

func (m *Meter) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// begin counts a request as under way and returns the time it has left.
func (m *Meter) begin() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if m.active > 0 {
		m.spent += now.Sub(m.since)
	}
	m.since = now
	m.active++
	return m.limit() - m.spent
}

// end counts a request as over.
func (m *Meter) end() {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.spent += now.Sub(m.since)
	m.since = now
	m.active--
}

// Left returns the API time the run has left.
func (m *Meter) Left() time.Duration {
	m.mu.Lock()
	defer m.mu.Unlock()
	spent := m.spent
	if m.active > 0 {
		spent += m.now().Sub(m.since)
	}
	return m.limit() - spent
}

// Transport returns base (nil: http.DefaultTransport) bounded by the meter.
func (m *Meter) Transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &metered{m: m, base: base}
}

type metered struct {
	m    *Meter
	base http.RoundTripper
}

func (t *metered) RoundTrip(req *http.Request) (*http.Response, error) {
	left := t.m.begin()
	expired := &DeadlineError{Run: true, Limit: t.m.limit()}
	if left <= 0 {
		t.m.end()
		return nil, expired
	}
	ctx, cancel := context.WithTimeout(req.Context(), left)
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		cancel()
		t.m.end()
		return nil, timedOut(ctx, req.Context(), expired, err)
	}
	resp.Body = &body{rc: resp.Body, ctx: ctx, parent: req.Context(), expired: expired,
		done: func() { cancel(); t.m.end() }}
	return resp, nil
}
