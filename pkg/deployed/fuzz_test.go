package deployed

import (
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/configfile"
)

// FuzzParseReference: any text is a reference or an error, never a panic;
// a reference keeps a tag and digest that parse again.
func FuzzParseReference(f *testing.F) {
	for _, s := range []string{"postgres", "postgres:13.16", "localhost:5000/a/b:1@sha256:0123456789abcdef0123456789abcdef",
		"[::1]:5000/a:1", "a//b", "A:b", "x@y@z", "registry.example.com/gitlab/webservice:v17.3.7-ee"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseReference(s)
		if err != nil {
			return
		}
		if r.Repository == "" || !strings.Contains(r.Repository, "/") {
			t.Fatalf("ParseReference(%q) = %+v: no repository", s, r)
		}
		again := r.Repository
		if r.Tag != "" {
			again += ":" + r.Tag
		}
		if r.Digest != "" {
			again += "@" + r.Digest
		}
		if r2, err := ParseReference(again); err != nil || r2 != r {
			t.Fatalf("ParseReference(%q) = %+v, but %q reads back as %+v, %v", s, r, again, r2, err)
		}
	})
}

// FuzzDockerfile: FROM images with ARG substitution never panic, stay
// bounded and have positions inside the file.
func FuzzDockerfile(f *testing.F) {
	for _, s := range []string{"ARG V=1\nFROM a:$V\n", "FROM ${A:-${B}}\\\n b\n", "# escape=`\nFROM a`\n:1\n", "ARG A=$A$A$A$A\nFROM $A\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Count(s, "\n") + 1
		for _, im := range DockerfileImages([]byte(s)) {
			if im.Line < 1 || im.Line > lines || im.Column < 1 {
				t.Fatalf("image %+v outside the file of %d lines", im, lines)
			}
			if len(im.Image) > maxExpansion {
				t.Fatalf("image of %d bytes, over %d", len(im.Image), maxExpansion)
			}
		}
	})
}

// FuzzKeySelector: a key path with selectors looked up in any YAML never
// panics, and every hit it reports has a position.
func FuzzKeySelector(f *testing.F) {
	f.Add("dependencies[name=gitlab].version", "dependencies:\n  - name: gitlab\n    version: 1\n")
	f.Add(`a["x=y"=b][0]`, "a: [{x=y: b}]\n")
	f.Add("a[k=v][k=v]", "a: &x [{k: v, a: *x}]\n")
	f.Fuzz(func(t *testing.T, key, doc string) {
		p, err := configfile.ParseKeyPath(key)
		if err != nil {
			return
		}
		if again, err := configfile.ParseKeyPath(p.String()); err != nil || again.String() != p.String() {
			t.Fatalf("%q: String %q does not read back: %v", key, p.String(), err)
		}
		docs, err := configfile.Nodes("f.yaml", configfile.YAML, []byte(doc))
		if err != nil {
			return
		}
		hits, m := configfile.Find(docs, p)
		if m.Found != (len(hits) > 0) {
			t.Fatalf("found %v with %d hits", m.Found, len(hits))
		}
		for _, h := range hits {
			if h.Key != nil && h.Key.Line < 1 {
				t.Fatalf("hit without a line: %+v", h.Key)
			}
		}
	})
}
