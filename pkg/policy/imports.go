package policy

import (
	"fmt"
	"path"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// DefaultWarnBefore is the UG702 horizon when a policy sets no
// lifecycle.warnBefore.
const DefaultWarnBefore = 90 * 24 * time.Hour

// MaxImportSize bounds one imported vendor file: past it the file is a
// UG706 finding and none of it is read.
const MaxImportSize = 16 << 20

var (
	importFields    = []string{"format", "file", "url", "maxAge"}
	lifecycleFields = []string{"warnBefore"}
)

// Import is one entry of spec.import (manifest v1 section 7): a vendor file
// in the repository, the format its Source reads, and where `vendor pull`
// downloads it from.
type Import struct {
	Index  int    // 0-based, in spec.import
	Path   string // "spec.import[0]", for findings at the entry
	Pos    Pos    // the entry
	Format string
	// File is the vendor file, a repository path (relative to the root,
	// like spec.config[].file), as written.
	File    string
	FilePos Pos
	URL     string
	// MaxAge is the age past which the copy is stale (UG705); zero: never.
	MaxAge time.Duration

	// Set when the workspace has read the file:
	// Rel is the repository-relative file; "" when it could not be resolved.
	Rel string
	// Dated is the date the vendor file carries itself (endoflife.date's
	// generated_at), for UG705 without provenance; zero when none.
	Dated time.Time
	// Fetched is the `fetched` time of FILE.source.json; zero when there is
	// no readable provenance.
	Fetched time.Time
	// FetchedFrom is where Fetched was read: FILE.source.json's path.
	FetchedFrom string
}

// Lifecycle is spec.lifecycle: how support windows are judged.
type Lifecycle struct {
	// WarnBefore is the UG702 horizon: a target reaching its end of active
	// support or end of life this soon after the window's start warns.
	WarnBefore time.Duration
}

func decodeImports(d *yamldoc.Decoder, p *Policy, kp string, v *yaml.Node) {
	d.Sequence(kp, v, func(i int, ip string, v *yaml.Node) {
		im := Import{Index: i, Path: ip, Pos: at(d, ip)}
		isMap := d.Mapping(ip, v, importFields, func(key, fp string, v *yaml.Node) {
			s, ok := d.String(fp, v)
			switch key {
			case "format":
				if !ok {
					return
				}
				if _, err := DefaultSources.For(s); err != nil {
					d.Invalid(fp, formatHint(), "%v", err)
					return
				}
				im.Format = s
			case "file":
				if !ok {
					return
				}
				if msg := repoPathProblem(s); msg != "" {
					d.Invalid(fp, "write a path relative to the repository root, like vendor/gitlab/upgrade_path.yml", "import file %q %s", s, msg)
					return
				}
				im.File, im.FilePos = s, at(d, fp)
			case "url":
				if !ok {
					return
				}
				if err := yamldoc.ParseURL(s); err != nil {
					d.Invalid(fp, "write an http(s):// URL", "%v", err)
					return
				}
				im.URL = s
			case "maxAge":
				if !ok {
					return
				}
				dur, err := yamldoc.ParseDuration(s)
				if err != nil || dur <= 0 {
					d.Invalid(fp, "write a duration like 30d or 2w", "maxAge %q is not a positive duration", s)
					return
				}
				im.MaxAge = dur
			}
		})
		if !isMap {
			return
		}
		if im.Format == "" && !d.Shadowed[yamldoc.Join(ip, "format")] {
			d.Missing(yamldoc.Join(ip, "format"), formatHint())
		}
		if im.File == "" && !d.Shadowed[yamldoc.Join(ip, "file")] {
			d.Missing(yamldoc.Join(ip, "file"), "name the vendor file, a repository path such as vendor/eol/gitlab.json")
		}
		if im.Format != "" && im.File != "" {
			p.Imports = append(p.Imports, im)
		}
	})
}

func decodeLifecycle(d *yamldoc.Decoder, p *Policy, kp string, v *yaml.Node) {
	d.Mapping(kp, v, lifecycleFields, func(key, fp string, v *yaml.Node) {
		if key != "warnBefore" {
			return
		}
		s, ok := d.String(fp, v)
		if !ok {
			return
		}
		dur, err := yamldoc.ParseDuration(s)
		if err != nil || dur < 0 {
			d.Invalid(fp, "write a duration like 90d or 12w", "lifecycle.warnBefore %q is not a duration", s)
			return
		}
		p.Lifecycle.WarnBefore = dur
	})
}

// formatHint lists the import formats, as the schema's enum does.
func formatHint() string {
	return "expected one of " + strings.Join(DefaultSources.Names(), ", ")
}

// repoPathProblem says why s cannot be a repository path before it is
// resolved (an absolute path, a NUL byte); "" when it may be one. Climbing
// out and symlinks are the repository's to refuse (UG006).
func repoPathProblem(s string) string {
	switch {
	case strings.ContainsRune(s, 0):
		return "contains a NUL byte"
	case strings.HasSuffix(s, "/"):
		return "names a directory"
	case path.Clean(strings.ReplaceAll(s, `\`, "/")) == ".":
		return "names the repository root"
	}
	return ""
}

// String names the import for messages: `endoflife import "vendor/eol/gitlab.json"`.
func (im Import) String() string {
	return fmt.Sprintf("%s import %q", im.Format, im.File)
}
