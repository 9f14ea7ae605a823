// Package pull is `upgradegate vendor pull` (manifest v1 section 7): it
// downloads every spec.import that has a url into its file, checks that the
// download is in the import's format, and records where it came from beside
// it (FILE.source.json). All or nothing: every download of the run is
// fetched and checked before anything is written, and then each file is
// written atomically (a temporary file renamed over it). It is the only
// part of the gate that downloads vendor data; `check` never does.
package pull

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/upgradegate/upgradegate/pkg/internal/safehttp"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

// Defaults of Options.
const (
	DefaultTimeout = 60 * time.Second // one download, headers and body
	DefaultRunTime = 5 * time.Minute  // every download of a run
)

// Options are one pull's settings.
type Options struct {
	// Root is the repository; every policy and vendor file is inside it.
	Root string
	// Policies are the policy files to pull (paths as given on the command
	// line); none means every policy under the root.
	Policies []string
	// Transport sends the requests; nil means http.DefaultTransport. Tests
	// point it at a server on 127.0.0.1.
	Transport http.RoundTripper
	// Timeout bounds one download (DefaultTimeout when 0).
	Timeout time.Duration
	// MaxSize bounds one download (policy.MaxImportSize when 0), the limit
	// `check` reads a vendor file with.
	MaxSize int64
	// Now is the clock of the provenance's fetched time (time.Now when nil).
	Now func() time.Time
	// Log receives one line per file written (nil: none).
	Log io.Writer
}

// Download is one import pulled.
type Download struct {
	Policy string // the policy file
	Import policy.Import
	URL    string
	File   string // repository-relative
	Size   int
	SHA256 string
}

// Error is a pull that wrote nothing: each failed import with its URL.
type Error struct {
	Failures []Failure
}

// Failure is one import that could not be pulled.
type Failure struct {
	Policy, URL, File string
	Err               error
}

func (e *Error) Error() string {
	var b strings.Builder
	for i, f := range e.Failures {
		if i > 0 {
			b.WriteString("; ")
		}
		if f.URL != "" {
			fmt.Fprintf(&b, "%s: %v", f.URL, f.Err)
		} else {
			fmt.Fprintf(&b, "%s: %v", f.Policy, f.Err)
		}
	}
	return "nothing written: " + b.String()
}

// Pull downloads the imports of the policies. On any failure it writes
// nothing and returns an *Error naming each failed URL; without imports
// that have a url it returns no downloads and no error.
func Pull(ctx context.Context, opts Options) ([]Download, error) {
	r, err := repo.Open(opts.Root)
	if err != nil {
		return nil, err
	}
	ws := workspace.New(r)
	rels, err := policyFiles(ws, opts.Policies)
	if err != nil {
		return nil, err
	}
	var fail []Failure
	type job struct {
		Download
		data []byte
	}
	var jobs []job
	seen := map[string]string{} // vendor file -> URL
	for _, rel := range rels {
		p := ws.Policy(rel)
		switch {
		case p.Err != nil:
			fail = append(fail, Failure{Policy: rel, Err: fmt.Errorf("cannot read policy: %w", p.Err)})
			continue
		case p.Policy == nil || p.Policy.Broken:
			fail = append(fail, Failure{Policy: rel, Err: errors.New("the policy is invalid: run `upgradegate check` for its findings")})
			continue
		}
		for _, im := range p.Policy.Imports {
			if im.URL == "" {
				continue
			}
			if im.Rel == "" {
				fail = append(fail, Failure{Policy: rel, URL: im.URL, File: im.File, Err: fmt.Errorf("import file %q is not a repository path", im.File)})
				continue
			}
			if prev, dup := seen[im.Rel]; dup && prev != im.URL {
				fail = append(fail, Failure{Policy: rel, URL: im.URL, File: im.Rel, Err: fmt.Errorf("file %q is also pulled from %s", im.Rel, prev)})
				continue
			} else if dup {
				continue
			}
			seen[im.Rel] = im.URL
			jobs = append(jobs, job{Download: Download{Policy: rel, Import: im, URL: im.URL, File: im.Rel}})
		}
	}
	client := newClient(opts)
	meter := safehttp.NewMeter(DefaultRunTime)
	client.Transport = meter.Transport(client.Transport)
	maxSize := opts.MaxSize
	if maxSize <= 0 {
		maxSize = policy.MaxImportSize
	}
	for i := range jobs {
		j := &jobs[i]
		data, err := get(ctx, client, j.URL, maxSize)
		if err == nil {
			err = inFormat(j.Import, j.File, data)
		}
		if err != nil {
			fail = append(fail, Failure{Policy: j.Policy, URL: j.URL, File: j.File, Err: err})
			continue
		}
		sum := sha256.Sum256(data)
		j.data, j.Size, j.SHA256 = data, len(data), hex.EncodeToString(sum[:])
	}
	if len(fail) > 0 {
		return nil, &Error{Failures: fail}
	}
	now := time.Now
	if opts.Now != nil {
		now = opts.Now
	}
	fetched := now().UTC().Truncate(time.Second).Format(time.RFC3339)
	// stage every file, then rename them all: a failure while staging
	// leaves every vendor file as it was
	var staged []stagedFile
	cleanup := func() {
		for _, s := range staged {
			os.Remove(s.tmp)
		}
	}
	for _, j := range jobs {
		prov, err := json.MarshalIndent(workspace.Provenance{URL: j.URL, Fetched: fetched, SHA256: j.SHA256}, "", "  ")
		if err != nil {
			cleanup()
			return nil, err
		}
		for _, f := range []struct {
			rel  string
			data []byte
		}{{j.File, j.data}, {j.File + workspace.ProvenanceSuffix, append(prov, '\n')}} {
			s, err := stage(r, f.rel, f.data)
			if err != nil {
				cleanup()
				return nil, &Error{Failures: []Failure{{Policy: j.Policy, URL: j.URL, File: f.rel, Err: err}}}
			}
			staged = append(staged, s)
		}
	}
	for i, s := range staged {
		if err := os.Rename(s.tmp, s.abs); err != nil {
			for _, rest := range staged[i:] {
				os.Remove(rest.tmp)
			}
			return nil, fmt.Errorf("write %s: %w (files before it were written)", s.rel, err)
		}
	}
	out := make([]Download, len(jobs))
	for i, j := range jobs {
		out[i] = j.Download
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, "pulled %s -> %s (%d bytes, sha256 %s)\n", j.URL, j.File, j.Size, j.SHA256)
		}
	}
	return out, nil
}

// policyFiles are the repository-relative policy files to pull: those named,
// or every policy under the root.
func policyFiles(ws *workspace.Workspace, named []string) ([]string, error) {
	r := ws.Repo()
	if len(named) > 0 {
		out := make([]string, 0, len(named))
		for _, p := range named {
			rel, err := r.Rel(p)
			if err != nil {
				return nil, fmt.Errorf("policy %q: %w", p, err)
			}
			if _, err := os.Stat(r.Abs(rel)); err != nil {
				return nil, fmt.Errorf("policy %q: %w", p, err)
			}
			out = append(out, rel)
		}
		return out, nil
	}
	cands, err := ws.Discover(nil)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, c := range cands {
		out = append(out, ws.Read(c).Policies...)
	}
	sort.Strings(out)
	return out, nil
}

// newClient is the download client: redirects only within the first URL's
// scheme and host, every answer within the timeout and the size limit, and
// no credentials at all (no Authorization header is ever set, no cookie jar).
func newClient(opts Options) *http.Client {
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	maxSize := opts.MaxSize
	if maxSize <= 0 {
		maxSize = policy.MaxImportSize
	}
	return safehttp.SameHostRedirects(&http.Client{Transport: &safehttp.Attempt{Base: opts.Transport, Timeout: timeout, MaxBody: maxSize}})
}

func get(ctx context.Context, c *http.Client, raw string, maxSize int64) ([]byte, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("not an http(s) URL")
	}
	if u.User != nil {
		return nil, fmt.Errorf("the URL holds credentials: vendor data is public, write the URL without them")
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, raw, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", "upgradegate-vendor-pull")
	req.Header.Set("Accept", "application/json, application/yaml, text/plain, */*")
	resp, err := c.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL is named once, by the caller
		}
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxSize+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > maxSize {
		return nil, &safehttp.LimitError{Limit: maxSize}
	}
	return data, nil
}

// inFormat reads a download with its import's Source: one that is not in
// the format is refused, with the first finding.
func inFormat(im policy.Import, rel string, data []byte) error {
	src, err := policy.DefaultSources.For(im.Format)
	if err != nil {
		return err
	}
	_, fs := src.Read(rel, data)
	if len(fs) > 0 {
		f := fs[0]
		more := ""
		if len(fs) > 1 {
			more = fmt.Sprintf(" (and %d more)", len(fs)-1)
		}
		return fmt.Errorf("the download is not in the %s format: line %d, column %d: %s%s", im.Format, f.Line, f.Column, f.Message, more)
	}
	return nil
}

type stagedFile struct {
	rel, abs, tmp string
}

// stage writes data to a temporary file beside rel (created with its
// directory when missing), inside the repository.
func stage(r *repo.Repo, rel string, data []byte) (stagedFile, error) {
	if _, err := r.Resolve("", rel); err != nil {
		return stagedFile{}, err
	}
	abs := r.Abs(rel)
	if st, err := os.Lstat(abs); err == nil && !st.Mode().IsRegular() && st.Mode()&os.ModeSymlink == 0 {
		return stagedFile{}, fmt.Errorf("%s is not a regular file", rel)
	}
	dir := filepath.Dir(abs)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return stagedFile{}, err
	}
	if _, err := r.Resolve("", filepath.ToSlash(filepath.Dir(rel))); err != nil { // the directory may be a link
		return stagedFile{}, err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return stagedFile{}, err
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr, os.Chmod(tmp, 0o644)); err != nil {
		os.Remove(tmp)
		return stagedFile{}, err
	}
	return stagedFile{rel: rel, abs: abs, tmp: tmp}, nil
}
