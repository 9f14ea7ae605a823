package yamldoc

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// Decoder walks one document, recording the position of every field it reads
// and a finding for every problem. Its zero value is not usable: use NewDecoder.
type Decoder struct {
	File     string
	Loc      Locations
	Findings []finding.Finding
	// Shadowed holds the paths of fields a decoding finding is already about:
	// values that are invalid (UG004) and known names an unknown key was
	// probably meant to be (UG002 "did you mean"). A rule that would say the
	// same field is missing or wrong would only repeat it. It is nil
	// until a finding shadows a field.
	Shadowed map[string]bool
	// Fields holds the known fields of every mapping of the document's
	// schema by path ("spec.impact", "spec.config[]"), when the caller sets
	// it: an unknown field that the schema knows at a nearby path is
	// probably mis-indented, and its finding says where it belongs.
	Fields map[string][]string
}

// NewDecoder starts decoding the document whose top node is root.
func NewDecoder(file string, root *yaml.Node) *Decoder {
	return NewDecoderSized(file, root, fields(root))
}

// NewDecoderSized is NewDecoder with Loc sized for n positions: for a
// caller that records fewer than Positions(root) (it reads a long list
// itself).
func NewDecoderSized(file string, root *yaml.Node, n int) *Decoder {
	d := &Decoder{File: file, Loc: NewLocations(n)}
	if root != nil {
		d.Loc.Set("", Loc{Key: pos(root), Value: pos(root)})
	}
	return d
}

// fields returns the number of positions a decoder records at most for
// the document under root: one per list item and mapping value, and the
// root's. Sizing Loc for them spares its growth (a policy of 20,000
// releases has 20,000).
func fields(root *yaml.Node) int {
	if root == nil {
		return 0
	}
	n := 1
	var room [32]*yaml.Node // the stack of a manifest's size, without an allocation
	stack := append(room[:0], root)
	for len(stack) > 0 {
		c := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch c.Kind {
		case yaml.SequenceNode:
			n += len(c.Content)
		case yaml.MappingNode:
			n += len(c.Content) / 2
		}
		for _, ch := range c.Content {
			if len(ch.Content) > 0 { // a node without children adds nothing (20,000 scalar releases)
				stack = append(stack, ch)
			}
		}
	}
	return n
}

// Positions returns the number of positions a decoder records at most
// for the document under root (see fields).
func Positions(root *yaml.Node) int { return fields(root) }

// NodePos is the position the decoder records for the node n: its line
// and column, or line 1, column 1 for a node without one.
func NodePos(n *yaml.Node) Pos { return pos(n) }

func pos(n *yaml.Node) Pos {
	if n == nil || n.Line == 0 {
		return Pos{1, 1}
	}
	return Pos{n.Line, n.Column}
}

// Report adds a finding about the field at path (see Locations.Locate).
func (d *Decoder) Report(rule rules.ID, path, hint, format string, args ...any) {
	p := d.Loc.Locate(path)
	d.add(rule, p, path, fmt.Sprintf(format, args...), hint)
	if rule == rules.UG004 {
		d.shadow(path)
	}
}

// shadow adds path to d.Shadowed, making the map on the first.
func (d *Decoder) shadow(path string) {
	if d.Shadowed == nil {
		d.Shadowed = map[string]bool{}
	}
	d.Shadowed[path] = true
}

// ReportInValue adds a finding about the field at path that points offset
// bytes into its scalar value n (a part of a constraint, say): the column
// of that character when the value is written on one line, plain or
// quoted; else the value's own position.
func (d *Decoder) ReportInValue(rule rules.ID, path string, n *yaml.Node, offset int, hint, format string, args ...any) {
	p := d.Loc.Locate(path)
	if n != nil && n.Kind == yaml.ScalarNode && offset > 0 && offset <= len(n.Value) && !strings.ContainsAny(n.Value, "\n\\") &&
		n.Line == p.Line && n.Column == p.Column {
		switch n.Style {
		case 0, yaml.FlowStyle:
			p.Column += utf8.RuneCountInString(n.Value[:offset])
		case yaml.DoubleQuotedStyle, yaml.SingleQuotedStyle:
			if !strings.Contains(n.Value, "'") { // '' is one ' in a single-quoted value
				p.Column += 1 + utf8.RuneCountInString(n.Value[:offset])
			}
		}
	}
	d.add(rule, p, path, fmt.Sprintf(format, args...), hint)
}

func (d *Decoder) add(rule rules.ID, p Pos, path, message, hint string) {
	f := finding.New(rule, d.File, p.Line, p.Column, message, hint)
	f.Node = path
	d.Findings = append(d.Findings, f)
}

// IsShadowed reports whether path, or a field above it, is in shadowed.
func IsShadowed(shadowed map[string]bool, path string) bool {
	if len(shadowed) == 0 {
		return false
	}
	for p := path; p != ""; p = parent(p) {
		if shadowed[p] {
			return true
		}
	}
	return false
}

// Invalid reports a UG004 about the field at path.
func (d *Decoder) Invalid(path, hint, format string, args ...any) {
	d.Report(rules.UG004, path, hint, format, args...)
}

// Join builds a child path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index builds a list element's path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// IsNull reports whether n is absent or an explicit null.
func IsNull(n *yaml.Node) bool {
	n = Resolve(n)
	return n == nil || n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// Mapping walks a mapping node at path. Keys not in known are UG002 with the
// nearest known name; duplicate keys are UG001; for every known key it
// records the key's and value's positions and calls fn. A non-mapping is UG004.
// known is best a package-level list: the fields' paths are kept per list
// and path (paths.go), so a list made per call only fills that cache.
func (d *Decoder) Mapping(path string, n *yaml.Node, known []string, fn func(key, path string, v *yaml.Node)) bool {
	n = Resolve(n)
	if n == nil || IsNull(n) {
		return false
	}
	if n.Kind != yaml.MappingNode {
		d.Invalid(path, "write key: value pairs, indented under the key (or {key: value})",
			"%s must be a mapping, not %s", label(path), KindName(n))
		return false
	}
	var seen map[string]int // a big mapping's keys -> line; a small one's are looked up in n
	if len(n.Content) > 2*smallMapping {
		seen = make(map[string]int, len(n.Content)/2)
	}
	var paths []string // Join(path, known[j]) for each j, made once per run
	if len(known) > 0 {
		paths = fieldPaths.get(fieldsKey{path, &known[0], len(known)}, func() []string {
			out := make([]string, len(known))
			for j, f := range known {
				out[j] = Join(path, f)
			}
			return out
		})
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := Resolve(n.Content[i]), n.Content[i+1]
		key := k.Value
		at := -1 // key's index in known
		if known != nil && k.Kind == yaml.ScalarNode {
			at = index(known, key)
		}
		var child string
		switch {
		case at >= 0 && paths != nil:
			child = paths[at]
		case known == nil && k.Kind == yaml.ScalarNode:
			child = keyPath(path, key)
		default:
			child = Join(path, key)
		}
		if k.Kind != yaml.ScalarNode {
			d.Loc.Set(child, Loc{pos(k), pos(k)})
			d.Report(rules.UG004, child, "write the key as a plain name", "keys must be plain names, not %s", KindName(k))
			d.Loc.Delete(child)
			continue
		}
		first, dup := seen[key]
		if seen == nil {
			first, dup = firstKey(n, i)
		}
		if dup {
			d.add(rules.UG001, pos(k), child, fmt.Sprintf("duplicate key %q (first defined at line %d)", key, first),
				"remove one of the two keys: YAML tools disagree on which one wins")
			continue
		}
		if seen != nil {
			seen[key] = k.Line
		}
		if known != nil && at < 0 {
			msg := fmt.Sprintf("unknown field %q in %s", key, label(path))
			hint := "expected one of " + strings.Join(known, ", ")
			if key == "<<" {
				hint = "merge keys are not supported: write the fields out"
			} else if at, ok := d.elsewhere(path, key); ok {
				msg += fmt.Sprintf("; did you mean %s (check the indentation)?", at)
				hint = fmt.Sprintf("move %s: to the top level of the document", key)
				if up := strings.TrimSuffix(strings.TrimSuffix(at, key), "."); up != "" {
					hint = fmt.Sprintf("move %s: under %s", key, up)
				}
				if !strings.Contains(at, "[]") {
					d.shadow(at)
				}
			} else if near, ok := Nearest(key, known); ok {
				msg += fmt.Sprintf("; did you mean %q?", near)
				d.shadow(Join(path, near))
			}
			d.add(rules.UG002, pos(k), child, msg, hint)
			continue
		}
		rv := Resolve(v)
		d.Loc.Set(child, Loc{Key: pos(k), Value: pos(rv)})
		if fn != nil {
			fn(key, child, rv)
		}
	}
	return true
}

// smallMapping is the size up to which Mapping finds a duplicate key by
// looking back over the keys instead of building a map.
const smallMapping = 16

// firstKey returns the line of the first scalar key of mapping n before
// index i (a key's index in n.Content) that is the same as the key at i.
func firstKey(n *yaml.Node, i int) (int, bool) {
	key := Resolve(n.Content[i]).Value
	for j := 0; j < i; j += 2 {
		if k := Resolve(n.Content[j]); k.Kind == yaml.ScalarNode && k.Value == key {
			return k.Line, true
		}
	}
	return 0, false
}

// elsewhere returns the path where the schema (d.Fields) knows key, in a
// mapping above or below the one at path (the same branch of the
// document): a key indented one level too far out (into a mapping just
// below, never into list elements) or too far in (any mapping above). Of
// several, the one nearest in depth wins, then the first by path.
func (d *Decoder) elsewhere(path, key string) (string, bool) {
	here := schemaPath(path)
	best, bestDist := "", 0
	for p, fields := range d.Fields {
		if p == here || !contains(fields, key) {
			continue
		}
		var dist int
		switch {
		case here == "" || strings.HasPrefix(p, here+".") || strings.HasPrefix(p, here+"[]."):
			dist = depth(p) - depth(here)
			if dist > 1 {
				continue // deeper than one level, or into list elements: a guess, not a fix
			}
		case p == "" || strings.HasPrefix(here, p+".") || strings.HasPrefix(here, p+"[]."):
			dist = depth(here) - depth(p)
		default:
			continue // another branch: a field of the same name, not this one
		}
		at := Join(p, key)
		if best == "" || dist < bestDist || dist == bestDist && at < best {
			best, bestDist = at, dist
		}
	}
	return best, best != ""
}

// schemaPath turns a document path into its schema's: list indexes become
// "[]" ("spec.config[2]" is "spec.config[]").
func schemaPath(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		if path[i] == '[' {
			if j := strings.IndexByte(path[i:], ']'); j > 0 {
				b.WriteString("[]")
				i += j
				continue
			}
		}
		b.WriteByte(path[i])
	}
	return b.String()
}

func depth(schemaPath string) int {
	if schemaPath == "" {
		return 0
	}
	return strings.Count(schemaPath, ".") + strings.Count(schemaPath, "[]") + 1
}

func contains(list []string, s string) bool { return index(list, s) >= 0 }

func index(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

func label(path string) string {
	if path == "" {
		return "the document"
	}
	return path
}

// String reads a scalar. Null and empty values give "" and false; a mapping
// or list is UG004.
func (d *Decoder) String(path string, n *yaml.Node) (string, bool) {
	n = Resolve(n)
	if IsNull(n) {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		d.Invalid(path, "write one value on the key's line", "%s must be a single value, not %s", path, KindName(n))
		return "", false
	}
	if strings.TrimSpace(n.Value) == "" {
		return "", false
	}
	return n.Value, true
}

// Bool reads true or false.
func (d *Decoder) Bool(path string, n *yaml.Node) (value, ok bool) {
	n = Resolve(n)
	if IsNull(n) {
		return false, false
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!bool" {
		switch strings.ToLower(n.Value) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	d.Invalid(path, "write true or false", "%s must be true or false, not %s", path, KindName(n))
	return false, false
}

// Int reads an integer.
func (d *Decoder) Int(path string, n *yaml.Node) (int, bool) {
	n = Resolve(n)
	if IsNull(n) {
		return 0, false
	}
	var v int
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" || n.Decode(&v) != nil {
		d.Invalid(path, "write a whole number like 1", "%s must be a whole number, not %s", path, KindName(n))
		return 0, false
	}
	return v, true
}

// Strings reads a list of scalars; each element's position is recorded as
// path[i]. A single scalar is accepted as a list of one. Empty elements are UG004.
func (d *Decoder) Strings(path string, n *yaml.Node) []string {
	n = Resolve(n)
	if IsNull(n) {
		return nil
	}
	if n.Kind == yaml.ScalarNode {
		if strings.TrimSpace(n.Value) == "" {
			return nil
		}
		d.Loc.Set(itemPath(listPaths(path, 1), path, 0), Loc{pos(n), pos(n)})
		return []string{n.Value}
	}
	var out []string
	if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
		out = make([]string, 0, len(n.Content)) // most lists have no empty entry
	}
	d.Sequence(path, n, func(i int, p string, v *yaml.Node) {
		if s, ok := d.String(p, v); ok {
			out = append(out, s)
		} else if IsNull(v) || v.Kind == yaml.ScalarNode {
			d.Invalid(p, "remove the empty entry", "%s is empty", p)
		}
	})
	if len(out) == 0 {
		return nil // as before the room was made: no entry is no list
	}
	return out
}

// Sequence walks a list, recording each element's position as path[i].
func (d *Decoder) Sequence(path string, n *yaml.Node, fn func(i int, path string, v *yaml.Node)) bool {
	n = Resolve(n)
	if IsNull(n) {
		return false
	}
	if n.Kind != yaml.SequenceNode {
		d.Invalid(path, "write a list: [a, b], or one \"- item\" line per entry", "%s must be a list, not %s", path, KindName(n))
		return false
	}
	items := listPaths(path, len(n.Content))
	for i, v := range n.Content {
		rv := Resolve(v)
		p := itemPath(items, path, i)
		d.Loc.Set(p, Loc{pos(rv), pos(rv)})
		fn(i, p, rv)
	}
	return true
}

// Missing reports a required field (UG003) at its parent's key: "PATH is
// missing", or "PATH is empty" when the key is there without a value.
func (d *Decoder) Missing(path, hint string) {
	what := "missing"
	if d.Loc.Has(path) {
		what = "empty"
	}
	d.Report(rules.UG003, path, hint, "%s is %s", path, what)
}

// TopFields and MetadataFields are the top-level and metadata fields every
// upgradegate document has.
var (
	TopFields      = []string{"apiVersion", "kind", "metadata", "spec"}
	MetadataFields = []string{"name", "labels", "annotations"}
)

// Header is what every upgradegate document has besides its spec.
type Header struct {
	APIVersion string
	Kind       string
	Name       string     // metadata.name
	Spec       *yaml.Node // nil when missing
}

// Header walks a document's top-level mapping (apiVersion, kind, metadata,
// spec) and reports a missing or unsupported apiVersion or kind. what names
// the document in messages ("manifest", "policy"). ok is false when root is
// not a mapping (reported as UG004).
func (d *Decoder) Header(root *yaml.Node, what, apiVersion, kind string) (h Header, ok bool) {
	if root == nil || root.Kind != yaml.MappingNode {
		got := "empty"
		if root != nil {
			got = KindName(root)
		}
		d.Invalid("", "a "+what+" is a mapping with apiVersion, kind, metadata and spec",
			"%s must be a mapping, not %s", what, got)
		return h, false
	}
	d.Mapping("", root, TopFields, func(key, p string, v *yaml.Node) {
		switch key {
		case "apiVersion":
			h.APIVersion, _ = d.String(p, v)
		case "kind":
			h.Kind, _ = d.String(p, v)
		case "metadata":
			d.Mapping(p, v, MetadataFields, func(key, p string, v *yaml.Node) {
				if key == "name" {
					h.Name, _ = d.String(p, v)
				} else {
					d.Mapping(p, v, nil, func(_, p string, v *yaml.Node) { d.String(p, v) })
				}
			})
		case "spec":
			if !IsNull(v) {
				h.Spec = v
			}
		}
	})
	switch {
	case h.APIVersion == "":
		d.Missing("apiVersion", "add apiVersion: "+apiVersion)
	case h.APIVersion != apiVersion:
		d.Invalid("apiVersion", "this gate reads apiVersion: "+apiVersion,
			"apiVersion %q is not supported: expected %q", h.APIVersion, apiVersion)
	}
	switch {
	case h.Kind == "":
		d.Missing("kind", "add kind: "+kind)
	case h.Kind != kind:
		d.Invalid("kind", "write kind: "+kind, "kind %q is not %q", h.Kind, kind)
	}
	return h, true
}
