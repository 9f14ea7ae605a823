package workspace

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/manifest"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/settings"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// File is what one candidate file holds, its documents sorted by kind.
type File struct {
	// Findings are about the file itself: unreadable, too large, not YAML,
	// a document of an unknown kind, no manifest in a file named.
	Findings  []finding.Finding
	Manifests []*manifest.Manifest
	// Decoded are the decoding findings of each manifest, like Manifests.
	Decoded [][]finding.Finding
	// Policies holds the file's name when it holds a policy: a policy is
	// validated whether a manifest names it or not.
	Policies []string
}

// Read reads a candidate and sorts its documents: manifests are decoded,
// a policy is noted (Policy loads it), and a file that cannot hold what it
// should is a finding. A file found by the search that shows no sign of
// this gate's documents is skipped without parsing. What Index read of the
// file is used instead of reading it again (until Release).
func (w *Workspace) Read(c Candidate) File {
	var res File
	fileFinding := func(rule rules.ID, msg, hint string) {
		res.Findings = append(res.Findings, finding.New(rule, c.Rel, 1, 1, msg, hint))
	}
	var data []byte
	var size int64
	var pre *parsed // what the index parsed of the file
	err := c.WalkErr
	if err == nil {
		f, ok := w.held.get(c.Rel)
		data, size, pre = f.data, f.size, f.parsed
		if !ok || data == nil && c.Explicit {
			data, size, err = w.repo.ReadPrefix(c.Rel, MaxFileSize+1)
			pre = nil
		}
	}
	if err != nil {
		// an unreadable file may hold manifests: the gate cannot pass it unseen
		fileFinding(rules.UG004, fmt.Sprintf("cannot read %q: %v", c.Rel, cleanErr(err)),
			"make it readable by the gate, or leave it out of the paths checked")
		return res
	}
	if !c.Explicit && !mayHoldManifest(data) {
		return res
	}
	if size > MaxFileSize {
		if c.Explicit || looksLikeManifest(data[:MaxFileSize]) {
			fileFinding(rules.UG004, fmt.Sprintf("manifest file is %d bytes, over the 1 MiB limit", size),
				"split the file: one manifest per planned upgrade")
		}
		return res
	}
	if pre == nil {
		docs, syntax := yamldoc.Parse(c.Rel, data)
		pre = &parsed{docs: docs, syntax: syntax}
	}
	docs, syntax := pre.docs, pre.syntax
	if syntax != nil {
		if c.Explicit || looksLikeManifest(data) {
			res.Findings = append(res.Findings, *syntax)
		}
		return res
	}
	isPolicy, isSettings := false, false
	var notMapping *yaml.Node // a document that is not a mapping, for the message
	for i, doc := range docs {
		top := yamldoc.Content(doc)
		switch {
		case manifest.IsManifest(doc):
			m, fs := manifest.Decode(c.Rel, i, doc)
			res.Manifests = append(res.Manifests, m)
			res.Decoded = append(res.Decoded, fs)
		case yamldoc.TopScalar(top, "kind") == policy.Kind:
			isPolicy = true
		case settings.IsSettings(doc):
			isSettings = true
			if c.Rel != settings.File {
				f := finding.New(rules.UG004, c.Rel, top.Line, top.Column,
					fmt.Sprintf("a kind: %s document is read only from %s at the repository root, not from %q", settings.Kind, settings.File, c.Rel),
					"move it to the root's "+settings.File+", or make it a policy's spec")
				f.Node = "kind"
				res.Findings = append(res.Findings, f)
			}
		case strings.HasPrefix(yamldoc.TopScalar(top, "apiVersion"), "upgradegate/"):
			res.Findings = append(res.Findings, unknownKind(c.Rel, top))
		case top != nil && top.Kind != yaml.MappingNode && notMapping == nil:
			notMapping = top
		}
	}
	switch {
	case isPolicy:
		// a policy is validated whether named or found: a broken policy
		// in the tree is a finding even before a manifest uses it
		res.Policies = append(res.Policies, c.Rel)
	case !c.Explicit || len(res.Manifests) > 0 || isSettings:
	case notMapping != nil:
		res.Findings = append(res.Findings, finding.New(rules.UG004, c.Rel, notMapping.Line, notMapping.Column,
			fmt.Sprintf("%q holds no kind: Upgrade document: its document is %s, not a mapping", c.Rel, yamldoc.KindName(notMapping)),
			"a manifest is a mapping with apiVersion, kind: Upgrade, metadata and spec"))
	default:
		fileFinding(rules.UG003, fmt.Sprintf("%q holds no kind: Upgrade document", c.Rel),
			"a manifest has kind: Upgrade; name a manifest, a policy or a directory")
	}
	return res
}

// unknownKind reports a document of this gate's apiVersion whose kind is
// neither Upgrade, Policy nor Settings: most likely a misspelt manifest, which would
// otherwise be skipped without a word.
func unknownKind(file string, top *yaml.Node) finding.Finding {
	kind := yamldoc.TopScalar(top, "kind")
	line, col := top.Line, top.Column
	for i := 0; i+1 < len(top.Content); i += 2 {
		if top.Content[i].Value == "kind" {
			line, col = top.Content[i+1].Line, top.Content[i+1].Column
		}
	}
	msg := fmt.Sprintf("kind %s is neither %q, %q nor %q", yamldoc.Quote(kind), manifest.Kind, policy.Kind, settings.Kind)
	if kind == "" {
		msg = fmt.Sprintf("document has apiVersion %s but no kind", yamldoc.Quote(yamldoc.TopScalar(top, "apiVersion")))
	} else if near, ok := yamldoc.Nearest(kind, []string{manifest.Kind, policy.Kind, settings.Kind}); ok {
		msg += fmt.Sprintf("; did you mean %q?", near)
	}
	f := finding.New(rules.UG004, file, line, col, msg, "upgradegate/v1 documents are kind: Upgrade (a manifest), kind: Policy or kind: Settings (in the root's "+settings.File+")")
	f.Node = "kind"
	return f
}
