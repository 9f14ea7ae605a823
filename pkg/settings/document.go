package settings

import (
	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// File is the repository-relative file that may hold the Settings
// document; it is read only at the root, and an empty file (the root
// marker) stays valid.
const File = ".upgradegate.yaml"

// Kind is the Settings document's kind.
const Kind = "Settings"

// DocumentFields returns the known fields of the Settings document's
// mappings by path, for schemas and the indentation hints.
func DocumentFields() map[string][]string {
	return map[string][]string{
		"": yamldoc.TopFields, "metadata": yamldoc.MetadataFields, "spec": Fields,
		"spec.maintenance[]": PeriodFields, "spec.freezes[]": FreezeFields, "spec.approvals[]": ApprovalFields,
	}
}

var documentFields = DocumentFields()

// IsSettings reports whether a parsed document is a kind: Settings document.
func IsSettings(doc *yaml.Node) bool {
	return yamldoc.TopScalar(yamldoc.Content(doc), "kind") == Kind
}

// Read reads the Settings document of the root's .upgradegate.yaml (file
// names it in findings). A file without one (empty, comments only, or
// other documents, which discovery reads as any YAML file) gives nil
// settings and no findings; a second Settings document is UG004. The
// caller bounds the file's size.
func Read(file string, data []byte) (*Settings, []finding.Finding) {
	docs, syntax := yamldoc.Parse(file, data)
	if syntax != nil {
		return nil, []finding.Finding{*syntax}
	}
	var out *Settings
	var fs []finding.Finding
	for _, doc := range docs {
		if !IsSettings(doc) {
			continue
		}
		root := yamldoc.Content(doc)
		d := yamldoc.NewDecoder(file, root)
		d.Fields = documentFields
		if out != nil {
			d.Loc.Set("kind", yamldoc.Loc{Key: yamldoc.Pos{Line: root.Line, Column: root.Column}, Value: kindPos(root)})
			d.Invalid("kind", "keep one kind: Settings document in "+File, "a second kind: Settings document in %s", File)
			fs = append(fs, d.Findings...)
			continue
		}
		s := &Settings{}
		h, ok := d.Header(root, "settings document", manifest.APIVersion, Kind)
		if ok && h.Spec != nil {
			d.Mapping("spec", h.Spec, Fields, func(key, p string, v *yaml.Node) {
				Decode(d, s, key, p, v)
			})
		}
		out = s
		fs = append(fs, d.Findings...)
	}
	return out, fs
}

// kindPos is the position of a document's kind value.
func kindPos(root *yaml.Node) yamldoc.Pos {
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "kind" {
			return yamldoc.Pos{Line: root.Content[i+1].Line, Column: root.Content[i+1].Column}
		}
	}
	return yamldoc.Pos{Line: root.Line, Column: root.Column}
}
