// Package configfile reads the configuration files that upgrade manifests
// point at (YAML, JSON, TOML and .env) and answers whether a key path is set
// in them. Values are never returned: the gate only needs to know whether a
// key is there, and config files hold passwords.
package configfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	toml "github.com/pelletier/go-toml/v2"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/internal/textpos"
	"github.com/upgradegate/upgradegate/pkg/internal/typo"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Format is a config file's syntax.
type Format string

// The formats the gate reads.
const (
	YAML   Format = "yaml"
	JSON   Format = "json"
	TOML   Format = "toml"
	Dotenv Format = "dotenv"
)

// MaxFileSize is the largest config file the gate parses (UG403 past it).
const MaxFileSize = 8 << 20

// ErrUnsupported is wrapped by FormatOf's error for a file whose name does not
// say which syntax it uses.
var ErrUnsupported = errors.New("unsupported config file type")

// Extensions lists what FormatOf recognises, for hints.
const Extensions = ".yaml, .yml, .json, .toml or .env (also .env.NAME)"

// FormatOf picks the syntax from a file name: .yaml/.yml, .json, .toml, and
// .env files (".env", ".env.production", "app.env").
func FormatOf(name string) (Format, error) {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	lower := strings.ToLower(base)
	switch ext := path.Ext(lower); {
	case ext == ".yaml" || ext == ".yml":
		return YAML, nil
	case ext == ".json":
		return JSON, nil
	case ext == ".toml":
		return TOML, nil
	case ext == ".env" || strings.HasPrefix(lower, ".env."):
		return Dotenv, nil
	}
	return "", fmt.Errorf("%w %q: expected %s", ErrUnsupported, base, Extensions)
}

// SyntaxError is a config file that does not parse, with the 1-based line and
// column of the problem. Msg never quotes more than a character of the file.
type SyntaxError struct {
	File         string
	Format       Format
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// File is a parsed config file.
type File struct {
	Name   string // repository-relative
	Format Format

	yaml   []*yaml.Node         // YAML: every document
	tree   any                  // JSON and TOML: the decoded value
	dotenv map[string]dotenvVar // .env
}

// Parse parses data in the format its name implies.
func Parse(name string, data []byte) (*File, error) {
	format, err := FormatOf(name)
	if err != nil {
		return nil, err
	}
	return ParseAs(name, format, data)
}

// ParseAs parses data in the given format. A syntax error is a *SyntaxError.
func ParseAs(name string, format Format, data []byte) (*File, error) {
	f := &File{Name: name, Format: format}
	fail := func(err error) (*File, error) {
		var se *SyntaxError
		if errors.As(err, &se) {
			se.File, se.Format = name, format
		}
		return nil, err
	}
	if len(data) > MaxFileSize {
		return fail(tooLarge(int64(len(data))))
	}
	var err error
	switch format {
	case YAML:
		f.yaml, err = parseYAML(name, data)
	case JSON:
		f.tree, err = parseJSON(data)
	case TOML:
		f.tree, err = parseTOML(data)
	case Dotenv:
		f.dotenv, err = parseDotenv(data)
	default:
		return nil, fmt.Errorf("%w: format %q", ErrUnsupported, format)
	}
	if err != nil {
		return fail(err)
	}
	return f, nil
}

func tooLarge(size int64) *SyntaxError {
	return &SyntaxError{Line: 1, Column: 1,
		Msg: fmt.Sprintf("the file is %d bytes, over the %d MiB limit", size, MaxFileSize>>20)}
}

// YAMLDocuments returns a YAML file's documents (nil for other formats).
// Callers must not modify them.
func (f *File) YAMLDocuments() []*yaml.Node { return f.yaml }

func parseYAML(name string, data []byte) ([]*yaml.Node, error) {
	docs, bad := yamldoc.Parse(name, data)
	if bad != nil {
		msg := strings.TrimPrefix(bad.Message, "YAML syntax error: ")
		return nil, &SyntaxError{Line: bad.Line, Column: bad.Column, Msg: msg}
	}
	return docs, nil
}

func parseJSON(data []byte) (any, error) {
	if !utf8.Valid(data) {
		line, col := invalidUTF8(data)
		return nil, &SyntaxError{Line: line, Column: col, Msg: "the file is not valid UTF-8"}
	}
	body := bytes.TrimPrefix(data, []byte("\ufeff"))
	skipped := len(data) - len(body)
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &SyntaxError{Line: 1, Column: 1, Msg: "the file is empty: expected a JSON value"}
		}
		return nil, jsonError(data, skipped, err)
	}
	// one value per file: anything but blanks after it is an error
	rest := body[dec.InputOffset():]
	if trimmed := bytes.TrimLeft(rest, " \t\r\n"); len(trimmed) > 0 {
		line, col := textpos.Of(data, len(data)-len(trimmed))
		return nil, &SyntaxError{Line: line, Column: col, Msg: "unexpected data after the top-level JSON value"}
	}
	return v, nil
}

func jsonError(data []byte, skipped int, err error) error {
	var se *json.SyntaxError
	off := len(data)
	msg := err.Error()
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the offending one included
		off = skipped + int(se.Offset) - 1
	case errors.Is(err, io.ErrUnexpectedEOF):
		msg = "unexpected end of the file"
	}
	line, col := textpos.Of(data, off)
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

func parseTOML(data []byte) (any, error) {
	var v map[string]any
	if err := toml.Unmarshal(data, &v); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			line, col := de.Position()
			return nil, &SyntaxError{Line: max(line, 1), Column: max(col, 1), Msg: tomlMessage(de.Error())}
		}
		return nil, &SyntaxError{Line: 1, Column: 1, Msg: tomlMessage(err.Error())}
	}
	return v, nil
}

// strconvQuote matches the quoted input that strconv's errors repeat
// (`strconv.ParseFloat: parsing "1e99999": value out of range`).
var strconvQuote = regexp.MustCompile(`strconv\.\w+: parsing "(?:[^"\\]|\\.)*"(?:: )?`)

// tomlMessage is go-toml's error text without its "toml: " prefix and
// without the values that strconv errors quote: a value may be a password.
func tomlMessage(msg string) string {
	msg = strings.TrimPrefix(msg, "toml: ")
	return strconvQuote.ReplaceAllString(msg, "")
}

// invalidUTF8 is the position of the first byte that is not UTF-8.
func invalidUTF8(data []byte) (line, col int) { return textpos.Of(data, textpos.InvalidUTF8(data)) }

// Match is the answer to a lookup: whether the key is set and, when it is not,
// how far the path got.
type Match struct {
	Found bool
	// Line is the 1-based line of the key in the file, 0 when the format
	// does not keep positions (JSON, TOML).
	Line int
	// Reason says where the path stopped when the key is not found, e.g.
	// `"global.psql" has no key "pool"`.
	Reason string
	// IntoValue is set when the path ran into a value (a string, a number)
	// before its end: the file cannot tell whether the key is set inside
	// it, so "absent" cannot be concluded either.
	IntoValue bool
}

// maxMerges bounds the YAML merge keys (<<) one step of a lookup follows, so
// that merges of aliases of merges cannot make a lookup explode.
const maxMerges = 256

// Lookup reports whether the key path is set in the file: in any document of
// a multi-document YAML file. A key whose value is null or empty is set.
func (f *File) Lookup(p KeyPath) Match {
	if len(p) == 0 {
		return Match{Reason: "the key is empty"}
	}
	switch f.Format {
	case Dotenv:
		if len(p) != 1 || p[0].IsIndex {
			return Match{Reason: "a .env file has no nested keys: write the variable name, quoted if it contains dots"}
		}
		if v, ok := f.dotenv[p[0].Key]; ok {
			return Match{Found: true, Line: v.Line}
		}
		names := make([]string, 0, len(f.dotenv))
		for k := range f.dotenv {
			names = append(names, k)
		}
		return suggest(Match{Reason: fmt.Sprintf("no variable %q is set", p[0].Key)}, p[0].Key, names)
	case YAML:
		if len(f.yaml) == 0 {
			return Match{Reason: "the file has no YAML documents"}
		}
		var best Match
		for _, doc := range f.yaml {
			m := lookupYAML(yamldoc.Content(doc), p)
			if m.Found {
				return m
			}
			if best.Reason == "" {
				best = m
			}
		}
		if len(f.yaml) > 1 {
			best.Reason += fmt.Sprintf(" (in any of the %d documents)", len(f.yaml))
		}
		return best
	default:
		return lookupTree(f.tree, p)
	}
}

// miss explains a missing segment at position i of p.
func miss(p KeyPath, i int, what string) Match {
	where := "the top level"
	if i > 0 {
		where = fmt.Sprintf("%q", p[:i].String())
	}
	seg := p[i]
	if seg.IsIndex {
		return Match{Reason: fmt.Sprintf("%s %s, so it has no item [%d]", where, what, seg.Index)}
	}
	if seg.IsSelector {
		if strings.HasPrefix(what, "is a list of") {
			return Match{Reason: fmt.Sprintf("%s %s", where, what)}
		}
		return Match{Reason: fmt.Sprintf("%s %s, so it has no item [%s=%s]", where, what, quoteSelector(seg.Field), quoteSelector(seg.Value))}
	}
	return Match{Reason: fmt.Sprintf("%s %s, so it has no key %q", where, what, seg.Key)}
}

func lookupYAML(n *yaml.Node, p KeyPath) Match {
	w := &yamlWalk{p: p, budget: maxVisits, one: true}
	w.walk(n, 0, nil)
	if len(w.hits) > 0 {
		return Match{Found: true, Line: w.hits[0].Key.Line}
	}
	return w.missed()
}

// yamlChild finds key in a mapping, following merge keys (<<) after the
// mapping's own keys, as YAML's merge semantics say.
func yamlChild(n *yaml.Node, key string, budget *int) (k, v *yaml.Node) {
	n = yamldoc.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode || *budget <= 0 {
		return nil, nil
	}
	*budget--
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := yamldoc.Resolve(n.Content[i])
		if kn == nil || kn.Kind != yaml.ScalarNode {
			continue
		}
		if kn.Tag == "!!merge" || (kn.Value == "<<" && kn.Style == 0) {
			merges = append(merges, n.Content[i+1])
			continue
		}
		if kn.Value == key {
			return kn, n.Content[i+1]
		}
	}
	for _, m := range merges {
		m = yamldoc.Resolve(m)
		srcs := []*yaml.Node{m}
		if m != nil && m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, src := range srcs {
			if k, v := yamlChild(src, key, budget); v != nil {
				return k, v
			}
		}
	}
	return nil, nil
}

// suggest adds the existing key that looks like a typo of key: one edit
// away (two for keys of 8 characters or more), case ignored. Short or merely
// similar names ("host" and "port") are not suggested.
func suggest(m Match, key string, keys []string) Match {
	sort.Strings(keys)
	best, bestD := "", 3
	for _, k := range keys {
		if d := typo.Distance(strings.ToLower(key), strings.ToLower(k)); k != key && d < bestD {
			best, bestD = k, d
		}
	}
	if best != "" && (bestD <= 1 || len(key) >= 8) {
		m.Reason += fmt.Sprintf("; did you mean %q?", best)
	}
	return m
}

// yamlKeys lists a mapping's own scalar keys.
func yamlKeys(n *yaml.Node) []string {
	var keys []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		if k := yamldoc.Resolve(n.Content[i]); k != nil && k.Kind == yaml.ScalarNode {
			keys = append(keys, k.Value)
		}
	}
	return keys
}

func lookupTree(v any, p KeyPath) Match {
	budget := maxVisits
	var best *Match
	if walkTree(v, p, 0, &budget, &best) {
		return Match{Found: true}
	}
	if best == nil {
		return Match{Reason: "the file is too large to search for the key"}
	}
	return *best
}

// walkTree reports whether p[i:] is set under v, trying every list item a
// selector matches; best keeps the first miss for the explanation.
func walkTree(v any, p KeyPath, i int, budget *int, best **Match) bool {
	note := func(m Match) bool {
		if *best == nil {
			*best = &m
		}
		return false
	}
	if *budget--; *budget < 0 {
		return false
	}
	if i == len(p) {
		return true
	}
	seg := p[i]
	switch {
	case seg.IsIndex:
		list, ok := v.([]any)
		if !ok {
			return note(miss(p, i, "is "+treeKind(v)))
		}
		if seg.Index >= len(list) {
			return note(miss(p, i, fmt.Sprintf("is a list of %d", len(list))))
		}
		return walkTree(list[seg.Index], p, i+1, budget, best)
	case seg.IsSelector:
		list, ok := v.([]any)
		if !ok {
			return note(miss(p, i, "is "+treeKind(v)))
		}
		selected := false
		for _, item := range list {
			obj, ok := item.(map[string]any)
			if !ok || !scalarEquals(obj[seg.Field], seg.Value) {
				continue
			}
			selected = true
			if walkTree(item, p, i+1, budget, best) {
				return true
			}
		}
		if !selected {
			return note(miss(p, i, fmt.Sprintf("is a list of %d without an item whose %q is %q", len(list), seg.Field, seg.Value)))
		}
		return false
	}
	obj, ok := v.(map[string]any)
	if !ok {
		m := miss(p, i, "is "+treeKind(v))
		_, isList := v.([]any)
		if isList && isDigits(seg.Key) {
			m.Reason += fmt.Sprintf("; index a list with [%s]", seg.Key)
		}
		m.IntoValue = !isList && v != nil // a string, a number, a boolean, a date
		return note(m)
	}
	child, ok := obj[seg.Key]
	if !ok {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		return note(suggest(miss(p, i, "is a mapping without that key"), seg.Key, keys))
	}
	return walkTree(child, p, i+1, budget, best)
}

// scalarEquals reports whether a decoded JSON or TOML value is the scalar
// written as s.
func scalarEquals(v any, s string) bool {
	switch x := v.(type) {
	case string:
		return x == s
	case json.Number:
		return x.String() == s
	case bool, int64, float64:
		return fmt.Sprint(x) == s
	}
	return false
}

func treeKind(v any) string {
	switch v.(type) {
	case map[string]any:
		return "a mapping"
	case []any:
		return "a list"
	case nil:
		return "null"
	}
	return "a single value"
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
