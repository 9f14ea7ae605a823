package deployed

import (
	"fmt"
	"path"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// imageRef is one image reference found in a file, before it is compared
// with the location's repository.
type imageRef struct {
	pos  Pos
	text string // the reference as the gate reads it (args substituted)
	// a Helm values or kustomization entry gives repository and tag apart
	repository string
	tag        string
	digest     string
	split      bool
	tagPos     Pos
}

// containerLists are the keys of a Kubernetes pod spec that hold containers.
var containerLists = map[string]bool{"containers": true, "initContainers": true, "ephemeralContainers": true}

func (r *Reader) readImage(f *found, rel string, data []byte) string {
	var refs []imageRef
	switch format, _ := configfile.FormatOf(rel); {
	case IsDockerfile(rel):
		for _, im := range DockerfileImages(data) {
			refs = append(refs, imageRef{pos: Pos{rel, im.Line, im.Column}, text: im.Image})
		}
	case format == configfile.YAML:
		docs, err := r.parse(rel, format, data)
		if err != nil {
			if se, ok := err.(*configfile.SyntaxError); ok {
				f.problem(Pos{rel, se.Line, se.Column}, "fix the file's syntax", "deployed file %q cannot be parsed: %s", rel, se.Msg)
			} else {
				f.atEntry("", "deployed file %q cannot be parsed: %v", rel, err)
			}
			return ""
		}
		kustomization := strings.HasPrefix(strings.ToLower(path.Base(rel)), "kustomization.")
		for _, doc := range docs {
			refs = yamlImages(rel, yamldoc.Content(doc), kustomization, refs)
		}
	default:
		if f.loc.Files == "" {
			f.atEntry("an image location reads Kubernetes, compose, kustomization and Helm values YAML and Dockerfiles; use a pattern for other files",
				"deployed file %q is neither YAML nor a Dockerfile", rel)
			return ""
		}
		return fmt.Sprintf("%q is neither YAML nor a Dockerfile", rel)
	}
	n := 0
	for _, ref := range refs {
		var repo, tag, digest string
		tagPos := ref.pos
		if ref.split {
			name, err := normalizeName(ref.repository)
			if err != nil {
				continue // not an image repository: some other {repository, tag}
			}
			repo, tag, digest, tagPos = name, ref.tag, ref.digest, ref.tagPos
		} else {
			pr, err := ParseReference(ref.text)
			if err != nil {
				if strings.Contains(ref.text, f.loc.ImageRaw) {
					f.problem(ref.pos, "write the reference as REPOSITORY:TAG", "%v", err)
				}
				continue
			}
			repo, tag, digest = pr.Repository, pr.Tag, pr.Digest
		}
		if repo != f.loc.Image {
			continue
		}
		n++
		switch {
		case tag == "" && digest != "":
			f.problem(tagPos, "pin a tag beside the digest (REPOSITORY:TAG@DIGEST) so that the version can be read",
				"image %q is pinned by digest only: it does not give a version", f.loc.ImageRaw)
		case tag == "":
			f.problem(tagPos, "pin the version with a tag", "image %q has no tag: it does not give a version", f.loc.ImageRaw)
		default:
			f.value(tagPos, tag)
		}
	}
	if n == 0 {
		return fmt.Sprintf("%q has no reference to image %q", rel, f.loc.ImageRaw)
	}
	return ""
}

func scalarChild(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			if v := yamldoc.Resolve(m.Content[i+1]); v != nil && v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
				return v
			}
			return nil
		}
	}
	return nil
}

func child(m *yaml.Node, key string) *yaml.Node {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := m.Content[i]; k.Kind == yaml.ScalarNode && k.Value == key {
			return yamldoc.Resolve(m.Content[i+1])
		}
	}
	return nil
}

func posOf(rel string, n *yaml.Node) Pos { return Pos{rel, n.Line, n.Column} }

// maxImageNodes bounds the nodes one document's image search visits (aliases
// can repeat a tree many times over).
const maxImageNodes = 1 << 18

// yamlImages finds the image references of one YAML document: containers of
// Kubernetes workloads (any depth, so CronJob and Deployment templates
// alike), compose services.*.image, a kustomization's images[], and Helm
// values mappings {repository, tag} with an optional registry.
func yamlImages(rel string, root *yaml.Node, kustomization bool, refs []imageRef) []imageRef {
	if root == nil || root.Kind != yaml.MappingNode {
		return refs
	}
	kind := scalarChild(root, "kind")
	if kind != nil && kind.Value == "Kustomization" || kustomization && kind == nil {
		if images := child(root, "images"); images != nil && images.Kind == yaml.SequenceNode {
			for _, it := range images.Content {
				it = yamldoc.Resolve(it)
				name := scalarChild(it, "name")
				if name == nil {
					continue
				}
				repo := name
				if nn := scalarChild(it, "newName"); nn != nil {
					repo = nn
				}
				ref := imageRef{pos: posOf(rel, repo), repository: repo.Value, split: true, tagPos: posOf(rel, it)}
				if t := scalarChild(it, "newTag"); t != nil {
					ref.tag, ref.tagPos = t.Value, posOf(rel, t)
				}
				if d := scalarChild(it, "digest"); d != nil {
					ref.digest = d.Value
					if ref.tag == "" {
						ref.tagPos = posOf(rel, d)
					}
				}
				refs = append(refs, ref)
			}
		}
	}
	if services := child(root, "services"); kind == nil && services != nil && services.Kind == yaml.MappingNode {
		for i := 1; i < len(services.Content); i += 2 {
			if im := scalarChild(yamldoc.Resolve(services.Content[i]), "image"); im != nil {
				refs = append(refs, imageRef{pos: posOf(rel, im), text: im.Value})
			}
		}
	}
	budget := maxImageNodes
	var walk func(n *yaml.Node)
	walk = func(n *yaml.Node) {
		if n = yamldoc.Resolve(n); n == nil || budget <= 0 {
			return
		}
		budget--
		switch n.Kind {
		case yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c)
			}
		case yaml.MappingNode:
			if repo, tag := scalarChild(n, "repository"), child(n, "tag"); repo != nil && child(n, "tag") != nil || repo != nil && scalarChild(n, "digest") != nil {
				name := repo.Value
				if reg := scalarChild(n, "registry"); reg != nil && reg.Value != "" {
					name = reg.Value + "/" + name
				}
				ref := imageRef{pos: posOf(rel, repo), repository: name, split: true, tagPos: posOf(rel, repo)}
				if tag != nil && tag.Kind == yaml.ScalarNode {
					ref.tag, ref.tagPos = tag.Value, posOf(rel, tag)
				}
				if d := scalarChild(n, "digest"); d != nil && ref.tag == "" {
					ref.digest, ref.tagPos = d.Value, posOf(rel, d)
				}
				refs = append(refs, ref)
			}
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], yamldoc.Resolve(n.Content[i+1])
				if kind != nil && k.Kind == yaml.ScalarNode && containerLists[k.Value] && v != nil && v.Kind == yaml.SequenceNode {
					for _, c := range v.Content {
						if im := scalarChild(yamldoc.Resolve(c), "image"); im != nil {
							refs = append(refs, imageRef{pos: posOf(rel, im), text: im.Value})
						}
					}
				}
				walk(v)
			}
		}
	}
	walk(root)
	return refs
}
