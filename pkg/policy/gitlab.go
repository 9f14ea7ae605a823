package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/upgradepath"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// FormatGitLabUpgradePath is the name of GitLab's upgrade path format.
const FormatGitLabUpgradePath = "gitlab-upgrade-path"

// ConditionalMarker in an entry's comments makes a GitLab stop conditional.
const ConditionalMarker = "Conditional stop"

// MaxGitLabStops bounds the entries of an upgrade_path.yml (GitLab's has
// about forty).
const MaxGitLabStops = 10_000

var yamlLine = regexp.MustCompile(`line (\d+)`)

// ReadGitLabUpgradePath reads GitLab's config/upgrade_path.yml (manifest
// v1 section 7): a list of {major, minor, comments}, each a required series
// stop MAJOR.MINOR, conditional when its comments contain "Conditional
// stop" (the comments are then the condition). Other fields are ignored, as
// GitLab may add some. A file that is not such a list is UG706 at the line
// where reading stopped; an entry without a major and minor is UG706 at it.
func ReadGitLabUpgradePath(file string, data []byte) (Rules, []finding.Finding) {
	var r Rules
	var fs []finding.Finding
	bad := func(line, col int, hint, format string, args ...any) {
		fs = append(fs, finding.New(rules.UG706, file, max(line, 1), max(col, 1), fmt.Sprintf(format, args...), hint))
	}
	const shape = "GitLab's upgrade path: a YAML list of {major, minor, comments}"
	const fix = "import GitLab's config/upgrade_path.yml (https://gitlab.com/gitlab-org/gitlab/-/raw/master/config/upgrade_path.yml)"
	if len(data) > MaxImportSize {
		bad(1, 1, fix, "upgrade path %q is %d bytes, over the limit of %d MiB", file, len(data), MaxImportSize>>20)
		return Rules{}, fs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
			line, _ = strconv.Atoi(m[1])
		}
		bad(line, 1, fix, "upgrade path %q is not YAML: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
		return Rules{}, fs
	}
	root := yamldoc.Content(&doc)
	if root == nil || root.Kind != yaml.SequenceNode {
		line, col := 1, 1
		what := "nothing"
		if root != nil {
			line, col, what = root.Line, root.Column, kindName(root)
		}
		bad(line, col, fix, "upgrade path %q holds %s, not %s", file, what, shape)
		return Rules{}, fs
	}
	if len(root.Content) > MaxGitLabStops {
		bad(root.Content[MaxGitLabStops].Line, root.Content[MaxGitLabStops].Column, fix,
			"upgrade path %q has %d entries, over the limit of %d", file, len(root.Content), MaxGitLabStops)
		return Rules{}, fs
	}
	for i, item := range root.Content {
		if item.Kind != yaml.MappingNode {
			bad(item.Line, item.Column, "each entry is a mapping such as {major: 17, minor: 3}", "entry %d of %q is %s, not {major, minor, comments}", i+1, file, kindName(item))
			continue
		}
		var major, minor *yaml.Node
		comments := ""
		for k := 0; k+1 < len(item.Content); k += 2 {
			key, val := item.Content[k], item.Content[k+1]
			switch key.Value {
			case "major":
				major = val
			case "minor":
				minor = val
			case "comments":
				if val.Kind == yaml.ScalarNode {
					comments = val.Value
				}
			}
		}
		num := func(n *yaml.Node, name string) (int, bool) {
			if n == nil {
				bad(item.Line, item.Column, "each entry has a major and a minor", "entry %d of %q has no %s", i+1, file, name)
				return 0, false
			}
			v, err := strconv.Atoi(n.Value)
			if n.Kind != yaml.ScalarNode || err != nil || v < 0 {
				bad(n.Line, n.Column, "write a whole number such as 17", "%s %q of entry %d of %q is not a whole number", name, n.Value, i+1, file)
				return 0, false
			}
			return v, true
		}
		maj, okMaj := num(major, "major")
		mi, okMin := num(minor, "minor")
		if !okMaj || !okMin {
			continue
		}
		raw := fmt.Sprintf("%d.%d", maj, mi)
		v, err := yamldoc.ParseVersion(raw)
		if err != nil { // cannot happen for two whole numbers; never a panic
			bad(item.Line, item.Column, "", "entry %d of %q: %v", i+1, file, err)
			continue
		}
		st := upgradepath.Stop{Version: v, Raw: raw, Series: true, Index: i, Pos: Pos{File: file, Line: item.Line, Column: item.Column}}
		if strings.Contains(strings.ToLower(comments), strings.ToLower(ConditionalMarker)) {
			st.Conditional = conditionText(comments)
		}
		r.RequiredStops = append(r.RequiredStops, st)
	}
	sortStops(r.RequiredStops)
	return r, fs
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\(([^)\s]*)\)`)

// conditionText turns a GitLab comment into a condition: markdown links
// become "text (url)", and white space is folded.
func conditionText(s string) string {
	s = mdLink.ReplaceAllString(s, "$1 ($2)")
	return strings.Join(strings.Fields(s), " ")
}

// kindName names what a vendor file holds where a list or a mapping was
// expected: the scalar quoted (vendor files hold no secrets), nothing for an
// empty file, else its kind.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.ScalarNode:
		return "the scalar " + yamldoc.Quote(n.Value)
	case 0:
		return "nothing"
	}
	return yamldoc.Kind(n)
}
