package secrets

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/upgradegate/upgradegate/pkg/internal/memo"
	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
)

var vaultKind = Kind{
	Name: "vault",
	Fields: []Field{{Name: "path", Required: true, Hint: "write the KV v2 secret as MOUNT/PATH, like secret/gitlab/db"},
		{Name: "key"}},
	Validate: func(e Entry) []Problem {
		if p := e.Field("path"); p != "" {
			if _, _, ok := SplitPath(p); !ok {
				return []Problem{{Field: "path", Hint: "write MOUNT/PATH, like secret/gitlab/db",
					Message: fmt.Sprintf("vault path %q has no mount: expected MOUNT/PATH", p)}}
			}
		}
		return nil
	},
	Refuse: func(e Entry) *Problem {
		if why := VaultPathProblem(e.Field("path")); why != "" {
			return &Problem{Field: "path", Hint: `write MOUNT/PATH with plain segments, like secret/gitlab/db: no "..", "." or "//"`,
				Message: fmt.Sprintf("vault path %q cannot name a secret: %s", e.Field("path"), why)}
		}
		return nil
	},
	New: func(c Config) (Store, []string) {
		token := c.Getenv("VAULT_TOKEN")
		return NewVault(VaultOptions{Addr: c.Getenv("VAULT_ADDR"), Token: token, Namespace: c.Getenv("VAULT_NAMESPACE"),
			CACert: c.Getenv("VAULT_CACERT"), HTTPClient: c.HTTPClient, Timeout: c.Timeout, Now: c.Now, Meter: c.Meter}), []string{token}
	},
	MissingHint: func(e Entry) string {
		mount, rest, _ := SplitPath(e.Field("path"))
		key := e.Field("key")
		if key == "" {
			key = "KEY"
		}
		return fmt.Sprintf("write the secret before the upgrade: vault kv put -mount=%s %s %s=...", mount, rest, key)
	},
}

// maxVaultBody bounds how much of a Vault answer is read.
const maxVaultBody = 1 << 20

// VaultOptions configure the vault store; the CLI fills them from VAULT_ADDR,
// VAULT_TOKEN, VAULT_NAMESPACE and VAULT_CACERT.
type VaultOptions struct {
	Addr      string // https://vault.example.com:8200
	Token     string // sent as X-Vault-Token, never printed
	Namespace string // sent as X-Vault-Namespace when set (Vault Enterprise, HCP)
	CACert    string // PEM file of the CA that signed Vault's certificate
	// HTTPClient's Transport sends the requests and its Timeout, when set,
	// bounds each answer instead of Timeout; nil means the defaults.
	HTTPClient *http.Client
	// Timeout bounds each answer, headers and body; 0 means 10 s.
	Timeout time.Duration
	// Meter bounds the time of all the run's store requests; nil means
	// none beyond each answer's Timeout.
	Meter *safehttp.Meter
	// Now is the clock that decides whether a scheduled deletion has
	// happened; nil means time.Now.
	Now func() time.Time
}

// Vault checks that a KV version 2 secret exists and, optionally, that a key
// is among its keys. It reads the secret's metadata (GET
// /v1/MOUNT/metadata/PATH) and, for a key, its data (GET /v1/MOUNT/data/PATH),
// whose values are dropped as soon as the keys are known.
type Vault struct {
	opts     VaultOptions
	client   *http.Client
	base     *url.URL
	setupErr *UnavailableError

	meta memo.Map[string, vaultMeta]
	keys memo.Map[string, map[string]bool]

	mu   sync.Mutex
	down *UnavailableError // set when Vault cannot be reached: later checks fail at once
}

// vaultMeta is what the metadata endpoint said about one secret.
type vaultMeta struct {
	exists bool
	detail string
}

// NewVault returns the vault store. Problems with the options are reported by
// Check, as UG412, for the secrets that need the store.
func NewVault(o VaultOptions) *Vault {
	v := &Vault{opts: o}
	if o.Now == nil {
		v.opts.Now = time.Now
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = storeTimeout
	}
	var base http.RoundTripper
	if o.HTTPClient != nil {
		base = o.HTTPClient.Transport
		if o.HTTPClient.Timeout > 0 {
			timeout = o.HTTPClient.Timeout
		}
	}
	if o.CACert != "" {
		var err *UnavailableError
		if base, err = trust(base, o.CACert); err != nil {
			v.setupErr = err
		}
	}
	// each answer within timeout, headers and body, and at most
	// maxVaultBody bytes; all of the run's store requests within its meter
	var rt http.RoundTripper = &safehttp.Attempt{Base: base, Timeout: timeout, MaxBody: maxVaultBody}
	if o.Meter != nil {
		rt = o.Meter.Transport(rt)
	}
	// the token goes to VAULT_ADDR's host only: a standby node's 307 to the
	// active node (or anything else) elsewhere is refused, not followed
	v.client = safehttp.SameHostRedirects(&http.Client{Transport: rt})
	const hint = "set VAULT_ADDR to Vault's address, like https://vault.example.com:8200"
	switch u, err := url.Parse(strings.TrimRight(o.Addr, "/")); {
	case o.Addr == "":
		v.setupErr = unavailable("vault", hint, "VAULT_ADDR is not set")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		v.setupErr = unavailable("vault", hint, "VAULT_ADDR is not an http(s) URL")
	default:
		u.User = nil
		v.base = u
	}
	if v.setupErr == nil && o.Token == "" {
		v.setupErr = unavailable("vault", "set VAULT_TOKEN to a token whose policy may read the secrets' metadata",
			"VAULT_TOKEN is not set")
	}
	return v
}

// trust returns base (nil: http.DefaultTransport) accepting certificates
// signed by the CA in file.
func trust(base http.RoundTripper, file string) (http.RoundTripper, *UnavailableError) {
	const hint = "set VAULT_CACERT to a readable PEM file with the CA certificate of Vault's TLS certificate"
	pem, err := os.ReadFile(file)
	if err != nil {
		return base, unavailable("vault", hint, "VAULT_CACERT %q cannot be read", file)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return base, unavailable("vault", hint, "VAULT_CACERT %q holds no PEM certificate", file)
	}
	var tr *http.Transport
	if t, ok := base.(*http.Transport); ok {
		tr = t.Clone()
	} else {
		tr = http.DefaultTransport.(*http.Transport).Clone()
	}
	if tr.TLSClientConfig == nil {
		tr.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	tr.TLSClientConfig.RootCAs = pool
	return tr, nil
}

// SplitPath splits MOUNT/PATH at its first slash.
func SplitPath(p string) (mount, rest string, ok bool) {
	mount, rest, ok = strings.Cut(strings.Trim(p, "/"), "/")
	return mount, rest, ok && mount != "" && rest != ""
}

// VaultPathProblem says why the segments of a vault path (leading and
// trailing slashes aside) cannot name one secret, or "" when they can: an
// empty segment ("a//b"), "." or ".." would make the request's URL, once
// Vault cleans it, name another endpoint than the secret's metadata or data.
// Other characters, "?", "#" and "%" included, are escaped in the request.
func VaultPathProblem(p string) string {
	for _, seg := range strings.Split(strings.Trim(p, "/"), "/") {
		switch seg {
		case "":
			return "it has an empty segment ('//')"
		case ".", "..":
			return fmt.Sprintf("it has a %q segment", seg)
		}
	}
	return ""
}

// Check asks Vault about ref.Path (and ref.Key): each path's metadata and
// keys are fetched once per run.
func (v *Vault) Check(ctx context.Context, ref Ref) (Result, error) {
	if v.setupErr != nil {
		return Result{}, v.setupErr
	}
	mount, rest, ok := SplitPath(ref.Path)
	if !ok {
		return Result{}, unavailable("vault", "write path: MOUNT/PATH, like secret/gitlab/db",
			"vault path %q has no mount: expected MOUNT/PATH", ref.Path)
	}
	if why := VaultPathProblem(ref.Path); why != "" {
		return Result{}, unavailable("vault", "write path: MOUNT/PATH with plain segments, like secret/gitlab/db",
			"vault path %q cannot name a secret: %s", ref.Path, why)
	}
	where := fmt.Sprintf("%q in Vault at %q", ref.Path, v.base.Host)
	meta, err := v.meta.Get(mount+"/"+rest, func() (vaultMeta, error) { return v.metadata(ctx, mount, rest) })
	if err != nil {
		return Result{}, err
	}
	if !meta.exists {
		return Result{Detail: fmt.Sprintf("no KV v2 secret %s%s", where, meta.detail)}, nil
	}
	if ref.Key == "" {
		return Result{Exists: true, Detail: fmt.Sprintf("secret %s exists", where)}, nil
	}
	keys, err := v.keys.Get(mount+"/"+rest, func() (map[string]bool, error) { return v.dataKeys(ctx, mount, rest) })
	if err != nil {
		return Result{}, err
	}
	if keys == nil {
		return Result{Detail: fmt.Sprintf("no readable version of secret %s", where)}, nil
	}
	if !keys[ref.Key] {
		names := make([]string, 0, len(keys))
		for k := range keys {
			names = append(names, strconv.Quote(k))
		}
		sort.Strings(names)
		return Result{Detail: fmt.Sprintf("secret %s has no key %q (its keys: %s)", where, ref.Key, strings.Join(names, ", "))}, nil
	}
	return Result{Exists: true, Detail: fmt.Sprintf("secret %s has key %q", where, ref.Key)}, nil
}

// metadata reads GET /v1/MOUNT/metadata/PATH. The latest version counts: when
// it was deleted (deletion_time in the past) or destroyed, the secret is
// missing.
func (v *Vault) metadata(ctx context.Context, mount, rest string) (vaultMeta, error) {
	var body struct {
		Data struct {
			CurrentVersion int `json:"current_version"`
			Versions       map[string]struct {
				DeletionTime string `json:"deletion_time"`
				Destroyed    bool   `json:"destroyed"`
			} `json:"versions"`
		} `json:"data"`
	}
	status, err := v.get(ctx, mount, "metadata", rest, &body)
	if err != nil {
		return vaultMeta{}, err
	}
	if status == http.StatusNotFound {
		return vaultMeta{}, nil
	}
	cur, ok := body.Data.Versions[strconv.Itoa(body.Data.CurrentVersion)]
	switch {
	case body.Data.CurrentVersion == 0 && len(body.Data.Versions) == 0:
		// metadata written with "vault kv metadata put", never a value
		return vaultMeta{detail: ": it has metadata but no version"}, nil
	case !ok:
	case cur.Destroyed:
		return vaultMeta{detail: fmt.Sprintf(": its latest version %d was destroyed", body.Data.CurrentVersion)}, nil
	case cur.DeletionTime != "":
		t, err := time.Parse(time.RFC3339Nano, cur.DeletionTime)
		if err != nil || !t.After(v.opts.Now()) {
			return vaultMeta{detail: fmt.Sprintf(": its latest version %d was deleted", body.Data.CurrentVersion)}, nil
		}
	}
	return vaultMeta{exists: true}, nil
}

// dropped decodes any JSON value into nothing: the data endpoint's values are
// never copied out of the decoder.
type dropped struct{}

func (*dropped) UnmarshalJSON([]byte) error { return nil }

// dataKeys reads GET /v1/MOUNT/data/PATH and keeps only the key names: the
// values are skipped while decoding. nil means the latest version cannot be
// read (deleted meanwhile).
func (v *Vault) dataKeys(ctx context.Context, mount, rest string) (map[string]bool, error) {
	var body struct {
		Data struct {
			Data map[string]dropped `json:"data"`
		} `json:"data"`
	}
	status, err := v.get(ctx, mount, "data", rest, &body)
	if err != nil {
		return nil, err
	}
	if status == http.StatusNotFound || body.Data.Data == nil {
		return nil, nil
	}
	keys := make(map[string]bool, len(body.Data.Data))
	for k := range body.Data.Data {
		keys[k] = true
	}
	return keys, nil
}

// get sends one GET and decodes a 200 answer into out. It returns 200 or 404;
// every other outcome is an *UnavailableError that says which.
func (v *Vault) get(ctx context.Context, mount, kind, rest string, out any) (int, error) {
	v.mu.Lock()
	down := v.down
	v.mu.Unlock()
	if down != nil {
		return 0, down
	}
	apiPath := mount + "/" + kind + "/" + rest
	u := *v.base
	u.RawPath = strings.TrimRight(v.base.EscapedPath(), "/") + "/v1/" + escapePath(mount) + "/" + kind + "/" + escapePath(rest)
	u.Path, _ = url.PathUnescape(u.RawPath)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, unavailable("vault", "", "cannot build a request for %q", apiPath)
	}
	req.Header.Set("X-Vault-Token", v.opts.Token)
	req.Header.Set("X-Vault-Request", "true")
	if v.opts.Namespace != "" {
		req.Header.Set("X-Vault-Namespace", v.opts.Namespace)
	}
	resp, err := v.client.Do(req)
	var redirect *safehttp.RedirectError
	if errors.As(err, &redirect) {
		return 0, unavailable("vault", "set VAULT_ADDR to the address Vault redirects to (a standby node redirects to "+
			"the active one unless it forwards requests)",
			"Vault at %q redirected the request for %q to %q, another host: the gate does not send the token there",
			v.base.Host, apiPath, redirect.To)
	}
	if err != nil {
		e := unavailable("vault", "check VAULT_ADDR, VAULT_CACERT and the network between the gate and Vault",
			"cannot reach Vault at %q: %s", v.base.Host, describeNetError(err))
		if ctx.Err() == nil {
			v.mu.Lock()
			v.down = e
			v.mu.Unlock()
		}
		return 0, e
	}
	defer resp.Body.Close()
	// at most maxVaultBody bytes, then a *safehttp.LimitError
	body := resp.Body
	defer func() { _, _ = io.Copy(io.Discard, body) }() // drain, so the connection can be reused
	policy := fmt.Sprintf("give the token a policy with: path %q { capabilities = [\"read\"] }", apiPath)
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		if err := json.NewDecoder(body).Decode(out); err != nil {
			var limit *safehttp.LimitError
			var late *safehttp.DeadlineError
			if errors.As(err, &limit) || errors.As(err, &late) {
				return 0, unavailable("vault", "check VAULT_ADDR and the network between the gate and Vault",
					"Vault's answer for %q cannot be read: %s", apiPath, describeNetError(err))
			}
			return 0, unavailable("vault", "check that the mount is a KV version 2 secrets engine",
				"Vault's answer for %q is not a KV v2 %s response", apiPath, kind)
		}
		return code, nil
	case code == http.StatusNotFound:
		return code, nil
	case code == http.StatusForbidden || code == http.StatusUnauthorized:
		return 0, unavailable("vault", policy,
			"Vault denied reading %q (HTTP %d): the token is invalid or expired, or its policy lacks \"read\" on %q",
			apiPath, code, apiPath)
	case code == http.StatusTooManyRequests:
		return 0, unavailable("vault", "run the gate again later", "Vault is rate limiting the gate (HTTP 429) on %q", apiPath)
	case code == http.StatusServiceUnavailable:
		return 0, unavailable("vault", "run the gate again when Vault is unsealed and active",
			"Vault is sealed or unavailable (HTTP 503) at %q", v.base.Host)
	case code >= 500:
		return 0, unavailable("vault", "run the gate again; if it persists, ask Vault's operators",
			"Vault failed (HTTP %d) reading %q", code, apiPath)
	default:
		return 0, unavailable("vault", "check that the mount is a KV version 2 secrets engine",
			"Vault answered HTTP %d reading %q", code, apiPath)
	}
}

// escapePath escapes each segment of a slash-separated path.
func escapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		parts[i] = url.PathEscape(s)
	}
	return strings.Join(parts, "/")
}
