package schema_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/schema"
)

// decode runs the gate's own decoder for the named schema ("upgrade" or
// "policy") on one YAML document and returns the document and the findings.
func decode(t testing.TB, name string, data []byte) (*yaml.Node, []finding.Finding) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var fs []finding.Finding
	if name == "upgrade" {
		_, fs = manifest.Decode("m.yaml", 0, &doc)
	} else {
		_, fs = policy.Decode("p.yaml", &doc)
	}
	return &doc, fs
}

// compile compiles the named schema with a real JSON Schema validator (which
// also checks the document against the draft 2020-12 meta-schema).
func compile(t testing.TB, name string) *jsonschema.Schema {
	t.Helper()
	data, err := schema.For(name)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("schema %s is not JSON: %v", name, err)
	}
	id, _ := doc.(map[string]any)["$id"].(string)
	c := jsonschema.NewCompiler()
	if err := c.AddResource(id, doc); err != nil {
		t.Fatalf("add schema %s: %v", name, err)
	}
	sch, err := c.Compile(id)
	if err != nil {
		t.Fatalf("compile schema %s: %v", name, err)
	}
	return sch
}

// schemaTree parses the named schema as YAML (JSON is YAML), which keeps the
// order of its keys.
func schemaTree(t testing.TB, name string) *yaml.Node {
	t.Helper()
	data, err := schema.For(name)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("parse schema %s: %v", name, err)
	}
	return doc.Content[0]
}

// get returns the value of key in mapping n, or nil.
func get(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// keys returns the keys of mapping n in order.
func keys(n *yaml.Node) []string {
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		out = append(out, n.Content[i].Value)
	}
	return out
}

// deref follows a local "$ref": "#/$defs/NAME" of n.
func deref(t testing.TB, root, n *yaml.Node) *yaml.Node {
	t.Helper()
	for {
		ref := get(n, "$ref")
		if ref == nil {
			return n
		}
		name, ok := strings.CutPrefix(ref.Value, "#/$defs/")
		def := get(get(root, "$defs"), name)
		if !ok || def == nil {
			t.Fatalf("unresolvable $ref %q", ref.Value)
		}
		n = def
	}
}

// at returns the subschema at a field path such as "spec.secrets[].store";
// "*" stands for any key of a free-form mapping (additionalProperties).
func at(t testing.TB, root *yaml.Node, path string) *yaml.Node {
	t.Helper()
	n := root
	for _, part := range strings.Split(path, ".") {
		list := strings.HasSuffix(part, "[]")
		part = strings.TrimSuffix(part, "[]")
		n = deref(t, root, n)
		if part == "*" {
			n = get(n, "additionalProperties")
		} else {
			n = get(get(n, "properties"), part)
		}
		if list {
			n = get(deref(t, root, n), "items")
		}
		if n == nil {
			t.Fatalf("schema has nothing at %q", path)
		}
	}
	return deref(t, root, n)
}

// toJSON turns a YAML node into the JSON value an editor's YAML language
// server sees (YAML 1.2 core schema: an unquoted date is a string).
func toJSON(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return toJSON(n.Content[0])
	case yaml.AliasNode:
		return toJSON(n.Alias)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind == yaml.AliasNode {
				k = k.Alias
			}
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: mapping key is not a scalar", k.Line)
			}
			v, err := toJSON(n.Content[i+1])
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		l := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := toJSON(c)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
		}
		return l, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return nil, nil
		case "!!bool", "!!int", "!!float":
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			if f, ok := v.(float64); ok && (math.IsInf(f, 0) || math.IsNaN(f)) {
				return nil, fmt.Errorf("line %d: %s has no JSON form", n.Line, n.Value)
			}
			return v, nil
		default: // !!str, !!timestamp, !!binary, custom tags
			return n.Value, nil
		}
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %d", n.Line, n.Kind)
}

// documents parses every YAML document of data.
func documents(data []byte) ([]*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*yaml.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		docs = append(docs, &doc)
	}
}

// kindOf returns the top-level kind of a document, or "".
func kindOf(doc *yaml.Node) string {
	if len(doc.Content) == 0 {
		return ""
	}
	if k := get(doc.Content[0], "kind"); k != nil {
		return k.Value
	}
	return ""
}
