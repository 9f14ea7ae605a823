// Package deployed reads what a repository deploys (manifest v1 section 6:
// spec.deployed in a policy): the version a key holds in a YAML, JSON, TOML
// or .env file, the tag of every reference to an image in Kubernetes
// workloads, compose files, Dockerfiles, kustomizations and Helm values, or
// what a regex finds in any text. Files are read through Files, so that the
// same locations can be read in the working tree (WorkTree) or at a base
// revision. Every match and every problem has its file, line and column.
package deployed

import (
	"path"
	"regexp"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/upgradegate/upgradegate/pkg/configfile"
)

// Production is the environment of a location that names none; only
// production's versions are compared with manifests.
const Production = "production"

// DefaultMatch extracts the version from a raw value when a location gives
// no match: the value without a leading v.
const DefaultMatch = `^v?(?P<version>.+)$`

// VersionGroup is the named group of match and pattern regexes that holds
// the version.
const VersionGroup = "version"

var defaultMatch = regexp.MustCompile(DefaultMatch)

// Pos is a place in a file: the policy entry of a location, or a value in a
// deployed file.
type Pos struct {
	File         string
	Line, Column int
}

// Location is one entry of a policy's spec.deployed. Exactly one of File and
// Files is set, and exactly one of Key, Image and Pattern.
type Location struct {
	Index int // 0-based in spec.deployed
	Pos   Pos // the entry in the policy

	File  string // a repository path
	Files string // a glob of repository paths; ** crosses directories

	Key    configfile.KeyPath // a key path in YAML, JSON, TOML or .env
	KeyRaw string
	// Image is a repository such as registry.example.com/gitlab/webservice,
	// normalized (docker.io/library/postgres for postgres).
	Image    string
	ImageRaw string
	Pattern  *regexp.Regexp // a regex over the text with a version group

	Match       *regexp.Regexp // nil: DefaultMatch
	Environment string         // "": Production
}

// Env is the location's environment, Production when it names none.
func (l *Location) Env() string {
	if l.Environment == "" {
		return Production
	}
	return l.Environment
}

// Kind says how the location finds its version: "key", "image" or "pattern".
func (l *Location) Kind() string {
	switch {
	case l.Image != "":
		return "image"
	case l.Pattern != nil:
		return "pattern"
	}
	return "key"
}

// Where is the file or glob the location reads.
func (l *Location) Where() string {
	if l.Files != "" {
		return l.Files
	}
	return l.File
}

// Covers reports whether the repository path rel is a file the location
// reads: its file, or one its glob matches.
func (l *Location) Covers(rel string) bool {
	if l.Files == "" {
		return path.Clean(l.File) == rel
	}
	ok, err := doublestar.Match(l.Files, rel)
	return err == nil && ok
}

func (l *Location) match() *regexp.Regexp {
	if l.Match == nil {
		return defaultMatch
	}
	return l.Match
}

// HasVersionGroup reports whether a regex has the named group version.
func HasVersionGroup(re *regexp.Regexp) bool {
	return re.SubexpIndex(VersionGroup) > 0
}

// ValidGlob reports whether a files glob can be matched.
func ValidGlob(pattern string) bool { return doublestar.ValidatePattern(pattern) }
