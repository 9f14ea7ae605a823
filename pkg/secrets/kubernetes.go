package secrets

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

var kubernetesKind = Kind{
	Name: "kubernetes",
	Fields: []Field{{Name: "file", Required: true, RepoFile: true, Hint: "name the repository file that defines the Secret"},
		{Name: "namespace"}},
	New: func(c Config) (Store, []string) { return Kubernetes{Files: c.Files}, nil },
	MissingHint: func(e Entry) string {
		return fmt.Sprintf("define a Secret, SealedSecret or ExternalSecret named %s in %s", e.Name, e.Field("file"))
	},
}

// maxListDepth bounds nested kind: List documents.
const maxListDepth = 8

// Kubernetes checks that a repository file defines a Secret (v1), a
// SealedSecret (bitnami.com) or an ExternalSecret (external-secrets.io) named
// ref.Name. The file may hold several YAML documents and kind: List objects.
// An ExternalSecret counts under its own name and under the name of the
// Secret it creates (spec.target.name). With ref.Namespace, an object in
// another namespace does not count; one without metadata.namespace does (its
// namespace is chosen when it is applied).
type Kubernetes struct {
	// Files parses each file once per run, shared with the config checks.
	Files *configfile.Cache
}

// Check reads ref.File from ref.Repo. A missing file is a missing secret; a
// file that does not parse is a *configfile.SyntaxError; a symlink out of the
// repository is a *repo.OutsideError.
func (k Kubernetes) Check(_ context.Context, ref Ref) (Result, error) {
	if ref.Repo == nil {
		return Result{}, unavailable("kubernetes", "", "no repository to read %q from", ref.File)
	}
	files := k.Files
	if files == nil {
		files = &configfile.Cache{}
	}
	f, err := files.LoadAs(ref.Repo, ref.File, configfile.YAML)
	if errors.Is(err, fs.ErrNotExist) {
		return Result{Detail: fmt.Sprintf("file %q, which should define it, does not exist", ref.File)}, nil
	}
	if err != nil {
		return Result{}, err
	}
	var objs []k8sObject
	seen := map[*yaml.Node]bool{}
	for _, doc := range f.YAMLDocuments() {
		objs = collect(objs, yamldoc.Content(doc), 0, seen)
	}
	var elsewhere []string
	for _, o := range objs {
		if !o.secretLike() || !o.named(ref.Name) {
			continue
		}
		if ref.Namespace == "" || o.namespace == "" || o.namespace == ref.Namespace {
			return Result{Exists: true, Detail: fmt.Sprintf("%s %q is defined in %q at line %d", o.kind, o.name, ref.File, o.line)}, nil
		}
		elsewhere = append(elsewhere, fmt.Sprintf("%s %q in namespace %q at line %d", o.kind, o.name, o.namespace, o.line))
	}
	where := fmt.Sprintf("no Secret, SealedSecret or ExternalSecret named %q", ref.Name)
	if ref.Namespace != "" {
		where += fmt.Sprintf(" in namespace %q", ref.Namespace)
	}
	where += fmt.Sprintf(" is defined in %q", ref.File)
	if len(elsewhere) > 0 {
		where += " (found " + strings.Join(elsewhere, ", ") + ")"
	}
	return Result{Detail: where}, nil
}

// k8sObject is what the check needs of one object: never its data.
type k8sObject struct {
	apiVersion, kind string
	name, namespace  string
	targetName       string // ExternalSecret spec.target.name
	line             int
}

func (o k8sObject) secretLike() bool {
	group, _, _ := strings.Cut(o.apiVersion, "/")
	switch o.kind {
	case "Secret":
		return o.apiVersion == "v1"
	case "SealedSecret":
		return group == "bitnami.com"
	case "ExternalSecret":
		return group == "external-secrets.io"
	}
	return false
}

func (o k8sObject) named(name string) bool {
	return o.name == name || (o.kind == "ExternalSecret" && o.targetName == name)
}

// collect appends the objects of one document, opening kind: List items.
// Each node is looked at once, however many aliases lead to it: lists of
// aliases of lists would otherwise multiply into billions of visits.
func collect(out []k8sObject, n *yaml.Node, depth int, seen map[*yaml.Node]bool) []k8sObject {
	if n == nil || n.Kind != yaml.MappingNode || depth > maxListDepth || seen[n] {
		return out
	}
	seen[n] = true
	kind := yamldoc.TopScalar(n, "kind")
	if kind == "List" || strings.HasSuffix(kind, "List") && child(n, "items") != nil {
		if items := child(n, "items"); items != nil && items.Kind == yaml.SequenceNode {
			for _, it := range items.Content {
				out = collect(out, yamldoc.Resolve(it), depth+1, seen)
			}
		}
		return out
	}
	meta := child(n, "metadata")
	o := k8sObject{
		apiVersion: yamldoc.TopScalar(n, "apiVersion"),
		kind:       kind,
		name:       yamldoc.TopScalar(meta, "name"),
		namespace:  yamldoc.TopScalar(meta, "namespace"),
		targetName: yamldoc.TopScalar(child(child(n, "spec"), "target"), "name"),
		line:       n.Line,
	}
	return append(out, o)
}

// child returns a mapping's value for key, aliases resolved.
func child(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return yamldoc.Resolve(n.Content[i+1])
		}
	}
	return nil
}
