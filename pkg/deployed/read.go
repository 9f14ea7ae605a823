package deployed

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	version "github.com/hashicorp/go-version"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/internal/textpos"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Match is one version a location found.
type Match struct {
	Location    int    // index of the location in spec.deployed
	Environment string // the location's environment
	Pos                // where the value is written
	Raw         string // the value as written: the key's value, the image reference, the pattern's version group
	Version     string // what match extracted from it
	Parsed      *version.Version
}

// At is "file:line:col" of the match, for messages.
func (m Match) At() string { return fmt.Sprintf("%s:%d:%d", m.File, m.Line, m.Column) }

// Problem is why a location gives no version, or a wrong one: a file that
// cannot be read or parsed, nothing matched, a digest-only image, a value
// that is no version, matches that disagree. It is placed at the value in
// the deployed file, or at the location's entry in the policy.
type Problem struct {
	Location int // index in spec.deployed; -1 for a disagreement among several
	Pos
	Message string
	Hint    string
}

// MaxMatches bounds the matches one location reports; past it the rest are
// left out with a problem.
const MaxMatches = 1000

// Reader reads locations through Files, each file once however many
// locations read it. It is not safe for concurrent use.
type Reader struct {
	files Files
	data  map[string]readResult
	nodes map[string]nodesResult
}

type readResult struct {
	data []byte
	err  error
}

type nodesResult struct {
	docs []*yaml.Node
	err  error
}

// NewReader returns a reader of f.
func NewReader(f Files) *Reader {
	return &Reader{files: f, data: map[string]readResult{}, nodes: map[string]nodesResult{}}
}

func (r *Reader) read(rel string) ([]byte, error) {
	if res, ok := r.data[rel]; ok {
		return res.data, res.err
	}
	data, err := r.files.ReadFile(rel)
	r.data[rel] = readResult{data, err}
	return data, err
}

func (r *Reader) parse(rel string, format configfile.Format, data []byte) ([]*yaml.Node, error) {
	key := string(format) + ":" + rel
	if res, ok := r.nodes[key]; ok {
		return res.docs, res.err
	}
	docs, err := configfile.Nodes(rel, format, data)
	r.nodes[key] = nodesResult{docs, err}
	return docs, err
}

// found collects one location's matches and problems.
type found struct {
	loc      *Location
	matches  []Match
	problems []Problem
	dropped  bool
}

func (f *found) problem(p Pos, hint, format string, args ...any) {
	f.problems = append(f.problems, Problem{Location: f.loc.Index, Pos: p, Message: fmt.Sprintf(format, args...), Hint: hint})
}

func (f *found) atEntry(hint, format string, args ...any) {
	f.problem(f.loc.Pos, hint, format, args...)
}

// value applies the location's match to a raw value found at p.
func (f *found) value(p Pos, raw string) {
	if len(f.matches) >= MaxMatches {
		f.dropped = true
		return
	}
	re := f.loc.match()
	sub := re.FindStringSubmatch(raw)
	if sub == nil {
		f.problem(p, "correct the value, or the location's match", "deployed value %q does not match %q", raw, re.String())
		return
	}
	v := sub[re.SubexpIndex(VersionGroup)]
	parsed, err := yamldoc.ParseVersion(v)
	if err != nil {
		f.problem(p, "write a version such as 17.3.7, or give the location a match that extracts one",
			"deployed value %q: %q is not a version", raw, v)
		return
	}
	f.matches = append(f.matches, Match{Location: f.loc.Index, Environment: f.loc.Env(), Pos: p, Raw: raw, Version: v, Parsed: parsed})
}

// Read reads one location: every version it finds and every problem on the
// way. A location that finds nothing has a problem saying why.
func (r *Reader) Read(loc *Location) ([]Match, []Problem) {
	f := &found{loc: loc}
	paths := []string{path.Clean(loc.File)}
	if loc.Files != "" {
		var err error
		paths, err = r.files.Glob(loc.Files)
		if err != nil {
			f.atEntry("correct the glob", "deployed files %q cannot be listed: %v", loc.Files, err)
			return nil, f.problems
		}
		if len(paths) == 0 {
			f.atEntry("correct the glob, or remove the location", "deployed files %q match no file", loc.Files)
			return nil, f.problems
		}
	}
	var misses []string // why files held nothing
	for _, rel := range paths {
		data, err := r.read(rel)
		if err != nil {
			f.atEntry(readHint(err), "deployed file %q cannot be read: %v", rel, readReason(err))
			continue
		}
		before := len(f.matches) + len(f.problems)
		var why string
		switch loc.Kind() {
		case "key":
			why = r.readKey(f, rel, data)
		case "image":
			why = r.readImage(f, rel, data)
		default:
			why = readPattern(f, rel, data)
		}
		if len(f.matches)+len(f.problems) == before && why != "" {
			misses = append(misses, why)
		}
	}
	if f.dropped {
		f.atEntry("narrow the location", "deployed %s finds more than %d values; the rest are not read", loc.Where(), MaxMatches)
	}
	if len(f.matches) == 0 && len(f.problems) == 0 {
		reason := "nothing"
		if len(misses) > 0 {
			reason = misses[0]
			if len(misses) > 1 {
				reason += fmt.Sprintf(" (and %d more files)", len(misses)-1)
			}
		}
		f.atEntry("correct the location, or remove it", "deployed location %s matches nothing: %s", describe(loc), reason)
	}
	return f.matches, f.problems
}

func describe(loc *Location) string {
	switch loc.Kind() {
	case "key":
		return fmt.Sprintf("%s key %q", quote(loc.Where()), loc.KeyRaw)
	case "image":
		return fmt.Sprintf("%s image %q", quote(loc.Where()), loc.ImageRaw)
	}
	return fmt.Sprintf("%s pattern %q", quote(loc.Where()), loc.Pattern.String())
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func readReason(err error) string {
	var tl *TooLargeError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.As(err, &tl):
		return fmt.Sprintf("it is %d bytes, over the %d-byte limit", tl.Size, tl.Limit)
	}
	return err.Error()
}

func readHint(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "correct the path (relative to the repository root), or remove the location"
	case errors.Is(err, repo.ErrOutside):
		return "name a file inside the repository"
	}
	return "make the file readable"
}

func (r *Reader) readKey(f *found, rel string, data []byte) string {
	format, err := configfile.FormatOf(rel)
	if err != nil {
		f.atEntry("a key location reads "+configfile.Extensions+"; use a pattern for other files", "deployed file %q: %v", rel, err)
		return ""
	}
	docs, err := r.parse(rel, format, data)
	if err != nil {
		var se *configfile.SyntaxError
		if errors.As(err, &se) {
			f.problem(Pos{rel, se.Line, se.Column}, "fix the file's syntax", "deployed file %q cannot be parsed: %s", rel, se.Msg)
		} else {
			f.atEntry("", "deployed file %q cannot be parsed: %v", rel, err)
		}
		return ""
	}
	hits, m := configfile.Find(docs, f.loc.Key)
	if !m.Found {
		return fmt.Sprintf("%q: %s", rel, m.Reason)
	}
	for _, h := range hits {
		v := yamldoc.Resolve(h.Value)
		if v == nil || v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			at := h.Key
			if v != nil {
				at = v
			}
			f.problem(Pos{rel, at.Line, at.Column}, "point the key at the value that holds the version",
				"deployed key %q in %q is %s, not a version", f.loc.KeyRaw, rel, yamldoc.Kind(v))
			continue
		}
		f.value(Pos{rel, v.Line, v.Column}, v.Value)
	}
	return ""
}

func readPattern(f *found, rel string, data []byte) string {
	re := f.loc.Pattern
	g := re.SubexpIndex(VersionGroup)
	var l *textpos.Lines
	for _, m := range re.FindAllSubmatchIndex(data, MaxMatches+1) {
		if m[2*g] < 0 {
			continue
		}
		if l == nil {
			l = textpos.New(data)
		}
		line, col := l.At(m[2*g])
		f.value(Pos{rel, line, col}, string(data[m[2*g]:m[2*g+1]]))
	}
	return fmt.Sprintf("%q has no text the pattern matches", rel)
}

// maxListed bounds the matches a disagreement lists.
const maxListed = 10

// State is what a component's locations found: the versions per
// environment and the problems.
type State struct {
	Matches  []Match
	Problems []Problem
	// versions holds the agreed version of each environment whose
	// matches all agree
	versions map[string]*Deployed
}

// Deployed is the version an environment deploys: the one all its matches
// agree on.
type Deployed struct {
	Environment string
	Version     *version.Version
	Matches     []Match // every match, the first one's position names it
}

// First is the first match, where messages point.
func (d *Deployed) First() Match { return d.Matches[0] }

// Scan reads every location of a component.
func Scan(f Files, locs []Location) *State {
	r := NewReader(f)
	s := &State{versions: map[string]*Deployed{}}
	for i := range locs {
		m, p := r.Read(&locs[i])
		s.Matches = append(s.Matches, m...)
		s.Problems = append(s.Problems, p...)
	}
	byEnv := map[string][]Match{}
	var envs []string
	for _, m := range s.Matches {
		if _, ok := byEnv[m.Environment]; !ok {
			envs = append(envs, m.Environment)
		}
		byEnv[m.Environment] = append(byEnv[m.Environment], m)
	}
	for _, env := range envs {
		ms := byEnv[env]
		var other *Match
		for i := range ms {
			if !ms[i].Parsed.Equal(ms[0].Parsed) {
				other = &ms[i]
				break
			}
		}
		if other == nil {
			s.versions[env] = &Deployed{Environment: env, Version: ms[0].Parsed, Matches: ms}
			continue
		}
		var list []string
		for i, m := range ms {
			if i == maxListed {
				list = append(list, fmt.Sprintf("and %d more", len(ms)-maxListed))
				break
			}
			list = append(list, fmt.Sprintf("%s at %s:%d", m.Version, m.File, m.Line))
		}
		s.Problems = append(s.Problems, Problem{Location: -1, Pos: other.Pos,
			Message: fmt.Sprintf("deployed versions of %s disagree: %s", env, strings.Join(list, ", ")),
			Hint:    "make every location of the environment deploy the same version, or give the odd one its own environment"})
	}
	return s
}

// Version is the version env deploys, nil when its locations found none or
// disagree.
func (s *State) Version(env string) *Deployed {
	if s == nil {
		return nil
	}
	return s.versions[env]
}

// Environments lists the environments with an agreed version, sorted.
func (s *State) Environments() []string {
	out := make([]string, 0, len(s.versions))
	for env := range s.versions {
		out = append(out, env)
	}
	sort.Strings(out)
	return out
}
