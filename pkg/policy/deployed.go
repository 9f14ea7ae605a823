package policy

import (
	"path"
	"regexp"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/configfile"
	"github.com/upgradegate/upgradegate/pkg/deployed"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

var deployedFields = []string{"file", "files", "key", "image", "pattern", "match", "environment"}

// MaxRegexLength bounds a deployed location's pattern and match.
const MaxRegexLength = 4096

// decodeDeployed reads spec.deployed (manifest v1 section 6): every entry
// with its position; an entry that cannot be read is a finding at its
// field and is left out.
func decodeDeployed(d *yamldoc.Decoder, p *Policy, kp string, v *yaml.Node) {
	d.Sequence(kp, v, func(i int, ip string, v *yaml.Node) {
		pos := d.Loc.Locate(ip)
		loc := deployed.Location{Index: i, Pos: deployed.Pos{File: d.File, Line: pos.Line, Column: pos.Column}}
		ok := true
		var finders []string
		d.Mapping(ip, v, deployedFields, func(key, fp string, v *yaml.Node) {
			s, has := d.String(fp, v)
			if !has {
				d.Invalid(fp, "", "%s is empty", fp)
				ok = false
				return
			}
			switch key {
			case "file", "files":
				if !repositoryPath(d, fp, key, s) {
					ok = false
					return
				}
				if key == "file" {
					loc.File = s
				} else if !deployed.ValidGlob(s) {
					d.Invalid(fp, "write a glob such as \"k8s/**/*.yaml\"", "files %q is not a valid glob", s)
					ok = false
				} else {
					loc.Files = s
				}
			case "key":
				finders = append(finders, key)
				kpath, err := configfile.ParseKeyPath(s)
				if err != nil {
					d.Invalid(fp, "write a dotted path such as global.gitlabVersion or dependencies[name=gitlab].version", "%v", err)
					ok = false
					return
				}
				loc.Key, loc.KeyRaw = kpath, s
			case "image":
				finders = append(finders, key)
				repo, err := deployed.NormalizeRepository(s)
				if err != nil {
					d.Invalid(fp, "write the image repository, such as registry.example.com/gitlab/webservice", "%v", err)
					ok = false
					return
				}
				loc.Image, loc.ImageRaw = repo, s
			case "pattern", "match":
				if key == "pattern" {
					finders = append(finders, key)
				}
				re := versionRegex(d, fp, key, s)
				if re == nil {
					ok = false
				} else if key == "pattern" {
					loc.Pattern = re
				} else {
					loc.Match = re
				}
			case "environment":
				loc.Environment = s
			}
		})
		if yamldoc.IsNull(v) || yamldoc.Resolve(v).Kind != yaml.MappingNode {
			return // reported by Mapping, or empty
		}
		switch {
		case loc.File == "" && loc.Files == "" && !d.Loc.Has(yamldoc.Join(ip, "file")) && !d.Loc.Has(yamldoc.Join(ip, "files")):
			d.Missing(yamldoc.Join(ip, "file"), "say where the version is written: file (one path) or files (a glob)")
			ok = false
		case d.Loc.Has(yamldoc.Join(ip, "file")) && d.Loc.Has(yamldoc.Join(ip, "files")):
			d.Invalid(yamldoc.Join(ip, "files"), "keep file (one path) or files (a glob), not both", "a deployed location has both file and files")
			ok = false
		}
		switch len(finders) {
		case 0:
			if !d.Loc.Has(yamldoc.Join(ip, "key")) && !d.Loc.Has(yamldoc.Join(ip, "image")) && !d.Loc.Has(yamldoc.Join(ip, "pattern")) {
				d.Missing(yamldoc.Join(ip, "key"), "say how to find the version: key (a key path), image (an image repository) or pattern (a regex)")
			}
			ok = false
		case 1:
		default:
			d.Invalid(yamldoc.Join(ip, finders[1]), "give one of key, image or pattern per location",
				"a deployed location has both %s and %s", finders[0], finders[1])
			ok = false
		}
		if ok {
			p.Deployed = append(p.Deployed, loc)
		}
	})
}

// repositoryPath reports whether s is a path inside the repository, written
// relative to its root; else it is UG006.
func repositoryPath(d *yamldoc.Decoder, fp, key, s string) bool {
	clean := path.Clean(strings.ReplaceAll(s, `\`, "/"))
	if path.IsAbs(clean) || clean == ".." || strings.HasPrefix(clean, "../") || len(s) > 1 && s[1] == ':' {
		d.Report(rules.UG006, fp, "write a path relative to the repository root", "deployed %s %q leaves the repository", key, s)
		return false
	}
	return true
}

// versionRegex compiles a pattern or match, which must have the named group
// version.
func versionRegex(d *yamldoc.Decoder, fp, key, s string) *regexp.Regexp {
	if len(s) > MaxRegexLength {
		d.Invalid(fp, "write a shorter regex", "%s is %d bytes, over the %d-byte limit", key, len(s), MaxRegexLength)
		return nil
	}
	re, err := regexp.Compile(s)
	if err != nil {
		d.Invalid(fp, "write a Go regular expression (RE2 syntax)", "%s %q is not a valid regex: %v", key, s, err)
		return nil
	}
	if !deployed.HasVersionGroup(re) {
		d.Invalid(fp, "name the part that holds the version (?P<version>...), as in "+deployed.DefaultMatch,
			"%s %q has no group named version", key, s)
		return nil
	}
	return re
}
