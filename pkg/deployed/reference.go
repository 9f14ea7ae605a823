package deployed

import (
	"fmt"
	"regexp"
	"strings"
)

// Reference is a container image reference: [registry/]repository[:tag][@digest].
type Reference struct {
	// Repository is the normalized name: the registry first, docker.io's
	// official images under library/ ("postgres" is
	// "docker.io/library/postgres").
	Repository string
	Tag        string
	Digest     string
}

// MaxReferenceLength bounds an image reference (Docker's own limit on the name is 255).
const MaxReferenceLength = 512

var (
	pathComponent = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$`)
	domainPart    = regexp.MustCompile(`^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:]+\])(?::[0-9]+)?$`)
	tagPattern    = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	digestPattern = regexp.MustCompile(`^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$`)
)

// ParseReference reads an image reference as Docker does: a first component
// with a '.' or ':', or "localhost", is the registry (docker.io otherwise),
// a one-component name on docker.io is an official image (library/), a tag
// follows the last ':' after the last '/', a digest follows '@'.
// (github.com/distribution/reference does this too, but is not among the
// modules the build may use; this is its grammar, without the limits on
// the name's total length it enforces.)
func ParseReference(s string) (Reference, error) {
	var r Reference
	if s == "" {
		return r, fmt.Errorf("empty image reference")
	}
	if len(s) > MaxReferenceLength {
		return r, fmt.Errorf("image reference of %d bytes is over the %d-byte limit", len(s), MaxReferenceLength)
	}
	name := s
	if i := strings.IndexByte(name, '@'); i >= 0 {
		r.Digest = name[i+1:]
		name = name[:i]
		if !digestPattern.MatchString(r.Digest) {
			return Reference{}, fmt.Errorf("image reference %q: digest %q is not ALGORITHM:HEX", s, r.Digest)
		}
	}
	if i := strings.LastIndexByte(name, ':'); i >= 0 && !strings.Contains(name[i+1:], "/") {
		r.Tag = name[i+1:]
		name = name[:i]
		if !tagPattern.MatchString(r.Tag) {
			return Reference{}, fmt.Errorf("image reference %q: tag %q is not a valid tag", s, r.Tag)
		}
	}
	repo, err := normalizeName(name)
	if err != nil {
		return Reference{}, fmt.Errorf("image reference %q: %v", s, err)
	}
	r.Repository = repo
	return r, nil
}

// NormalizeRepository normalizes a repository name without tag or digest,
// as a location's image is written.
func NormalizeRepository(s string) (string, error) {
	if len(s) > MaxReferenceLength {
		return "", fmt.Errorf("image repository of %d bytes is over the %d-byte limit", len(s), MaxReferenceLength)
	}
	if strings.ContainsAny(s, "@") {
		return "", fmt.Errorf("image %q has a digest: write the repository only", s)
	}
	if i := strings.LastIndexByte(s, ':'); i >= 0 && !strings.Contains(s[i+1:], "/") {
		// a registry port ("localhost:5000") has no '/' after it only
		// when nothing follows the registry, which is no repository
		return "", fmt.Errorf("image %q has a tag: write the repository only (the tag is the version the gate reads)", s)
	}
	return normalizeName(s)
}

func normalizeName(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("the repository name is empty")
	}
	parts := strings.Split(name, "/")
	domain := "docker.io"
	if len(parts) > 1 && (strings.ContainsAny(parts[0], ".:") || parts[0] == "localhost") {
		domain = parts[0]
		parts = parts[1:]
		if !domainPart.MatchString(domain) {
			return "", fmt.Errorf("registry %q is not a host name with an optional port", domain)
		}
	}
	if domain == "index.docker.io" {
		domain = "docker.io"
	}
	if domain == "docker.io" && len(parts) == 1 {
		parts = []string{"library", parts[0]}
	}
	for _, p := range parts {
		if !pathComponent.MatchString(p) {
			return "", fmt.Errorf("repository component %q is not lower-case letters, digits and separators", p)
		}
	}
	return domain + "/" + strings.Join(parts, "/"), nil
}
