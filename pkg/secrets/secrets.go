// Package secrets asks secret stores whether a secret exists, never what it
// holds: environment variables, GitHub Actions secrets, HashiCorp Vault KV v2
// and Kubernetes objects defined in the repository. Secret values and tokens
// never appear in a result, an error or a log.
//
// Each store is one file that declares a Kind (its name, its entry's
// fields, their validation, how it is built from a Config and its hints);
// the list in registry.go is the only other place that names it.
package secrets

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"

	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

// Ref names one secret as a manifest's spec.secrets entry does.
type Ref struct {
	Name string

	Scope       string // github: repo (default) | org | environment
	Environment string // github: the environment of scope environment

	Path string // vault: MOUNT/PATH of a KV v2 secret
	Key  string // vault: a key that must be among the secret's keys

	File      string     // kubernetes: repository-relative file, already resolved
	Namespace string     // kubernetes: optional namespace
	Repo      *repo.Repo // kubernetes: the repository File belongs to

	// Fields holds every field of the entry as written (defaults applied),
	// for stores whose fields have no name above.
	Fields map[string]string
}

// Result is a store's answer about one secret.
type Result struct {
	Exists bool
	// Detail says where the secret was looked for and, when it is missing,
	// what was found instead; it never holds a value.
	Detail string
}

// Store asks one kind of secret store. Check must be safe for concurrent use.
// An error that the store cannot be asked is an *UnavailableError.
type Store interface {
	Check(ctx context.Context, ref Ref) (Result, error)
}

// UnavailableError says that a store cannot be asked and what would let the
// gate ask it. Its text never holds a token or a secret value.
type UnavailableError struct {
	Store  string // the store's Kind.Name
	Reason string // what went wrong, including the permission needed
	Hint   string // how to fix it
}

func (e *UnavailableError) Error() string { return e.Store + ": " + e.Reason }

func unavailable(store, hint, format string, args ...any) *UnavailableError {
	return &UnavailableError{Store: store, Reason: fmt.Sprintf(format, args...), Hint: hint}
}

// Redact replaces every occurrence of the given secrets (tokens, say) in s.
// Strings shorter than 6 characters are left alone: they would match
// ordinary words.
func Redact(s string, secrets ...string) string {
	for _, v := range secrets {
		if len(v) >= 6 {
			s = strings.ReplaceAll(s, v, "[redacted]")
		}
	}
	return s
}

// describeNetError names a transport failure without the text of err, which
// may contain a URL with credentials.
func describeNetError(err error) string {
	var redirect *safehttp.RedirectError
	if errors.As(err, &redirect) {
		return fmt.Sprintf("it redirected the request to %q, another host, and the gate does not send the token there", redirect.To)
	}
	var limit *safehttp.LimitError
	var deadline *safehttp.DeadlineError
	switch {
	case errors.As(err, &limit):
		return limit.Error()
	case errors.As(err, &deadline) && deadline.Run:
		return deadline.Error()
	}
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "proxyconnect" && op.Err != nil {
		// the proxy's URL (and its password) stays out of the message
		return "the HTTP proxy (HTTPS_PROXY, HTTP_PROXY) cannot be used: " + describeNetError(op.Err)
	}
	var dns *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr *tls.CertificateVerificationError
	var netErr net.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &netErr) && netErr.Timeout():
		return "the request timed out"
	case errors.Is(err, context.Canceled):
		return "the check was canceled"
	case errors.As(err, &dns):
		return fmt.Sprintf("host %q cannot be resolved", dns.Name)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "the connection was refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "the connection was reset"
	case errors.As(err, &hostErr):
		return "the server's TLS certificate is not valid for its host name"
	case errors.As(err, &unknownCA) || errors.As(err, &certErr):
		return "the server's TLS certificate is not trusted"
	}
	return "the connection failed"
}
