package workspace

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/policy"
	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/rules"
)

// MaxProvenanceSize bounds FILE.source.json.
const MaxProvenanceSize = 64 << 10

// ProvenanceSuffix names the provenance file `vendor pull` writes beside a
// vendor file: FILE + ProvenanceSuffix.
const ProvenanceSuffix = ".source.json"

// Provenance is FILE.source.json: where a vendor file was downloaded from,
// when, and its SHA-256.
type Provenance struct {
	URL     string `json:"url"`
	Fetched string `json:"fetched"` // RFC 3339
	SHA256  string `json:"sha256"`
}

// loadImports reads every spec.import of p through r, with its format's
// Source, and adds the rules to the policy's: the file is a repository path
// (confined by r: UG006), bounded (MaxImportSize), and a file that cannot
// be read or is not in its format is UG706. The network is never used.
func loadImports(r *repo.Repo, p *policy.Policy) []finding.Finding {
	var out []finding.Finding
	at := func(rule rules.ID, im *policy.Import, node string, msg, hint string) {
		pos := p.Loc.Locate(node)
		f := finding.New(rule, p.File, pos.Line, pos.Column, msg, hint)
		f.Node = node
		out = append(out, f)
	}
	for i := range p.Imports {
		im := &p.Imports[i]
		node := im.Path + ".file"
		if r == nil {
			at(rules.UG706, im, node, fmt.Sprintf("%s cannot be read: imports are read from a repository, and policy %q is outside one", im, p.File),
				"run the command inside the repository that holds the policy and its vendor files")
			continue
		}
		rel, err := r.Resolve("", im.File)
		if err != nil {
			if errors.Is(err, repo.ErrOutside) {
				at(rules.UG006, im, node, fmt.Sprintf("import file %v", err), "name a vendor file inside the repository, relative to its root")
			} else {
				at(rules.UG706, im, node, fmt.Sprintf("%s cannot be read: %v", im, err), "")
			}
			continue
		}
		im.Rel = rel
		data, size, err := r.ReadPrefix(rel, policy.MaxImportSize+1)
		switch {
		case err != nil:
			hint := "commit the vendor file at that repository path"
			if im.URL != "" {
				hint = "run `upgradegate vendor pull " + p.File + "` and commit the file it writes"
			}
			at(rules.UG706, im, node, fmt.Sprintf("%s cannot be read: %v", im, cleanErr(err)), hint)
			continue
		case size > policy.MaxImportSize:
			at(rules.UG706, im, node, fmt.Sprintf("%s is %d bytes, over the limit of %d MiB for a vendor file", im, size, policy.MaxImportSize>>20),
				"import a smaller file (one channel of a graph, one product of endoflife.date)")
			continue
		}
		src, err := policy.DefaultSources.For(im.Format)
		if err != nil { // the decoder refused it already
			continue
		}
		got, fs := src.Read(rel, data)
		out = append(out, fs...)
		im.Dated = got.Dated
		p.Add(got)
		out = append(out, readProvenance(r, im)...)
	}
	return out
}

// readProvenance reads FILE.source.json beside an import's file, when there
// is one, into im.Fetched. One that is there but unreadable is UG706 at it.
func readProvenance(r *repo.Repo, im *policy.Import) []finding.Finding {
	rel := im.Rel + ProvenanceSuffix
	if !r.Exists(rel) {
		return nil
	}
	bad := func(format string, args ...any) []finding.Finding {
		return []finding.Finding{finding.New(rules.UG706, rel, 1, 1, fmt.Sprintf(format, args...),
			"run `upgradegate vendor pull` again to rewrite it, or delete it")}
	}
	data, size, err := r.ReadPrefix(rel, MaxProvenanceSize+1)
	switch {
	case err != nil:
		return bad("provenance %q cannot be read: %v", rel, cleanErr(err))
	case size > MaxProvenanceSize:
		return bad("provenance %q is %d bytes, over the limit of %d KiB", rel, size, MaxProvenanceSize>>10)
	}
	var pv Provenance
	if err := json.Unmarshal(data, &pv); err != nil {
		return bad("provenance %q is not JSON of the form {\"url\", \"fetched\", \"sha256\"}: %v", rel, err)
	}
	t, err := time.Parse(time.RFC3339, pv.Fetched)
	if err != nil {
		return bad("provenance %q: fetched %q is not an RFC 3339 time", rel, pv.Fetched)
	}
	im.Fetched, im.FetchedFrom = t, rel
	return nil
}
