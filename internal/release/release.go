// Package release holds what the release workflow
// (.github/workflows/release.yml) does besides GoReleaser: pinning the
// prebuilt image in action.yml for the release commit. Its tests keep
// .goreleaser.yaml, the workflow and action.yml in agreement.
package release

import (
	"bytes"
	"fmt"
	"regexp"
)

// Image is the container image GoReleaser pushes and the released action.yml
// pulls.
const Image = "ghcr.io/upgradegate/upgradegate"

// tagPattern is the form of a release tag (the workflow runs on these only).
var tagPattern = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+$`)

// builtLine is action.yml's image line on main: built from the Dockerfile.
var builtLine = regexp.MustCompile(`(?m)^(\s+)image: Dockerfile[ \t]*$`)

// PinImage returns action.yml with its `image: Dockerfile` line replaced by
// the prebuilt image of tag, `image: docker://ghcr.io/upgradegate/upgradegate:TAG`.
// It refuses a tag that is not vMAJOR.MINOR.PATCH and a file without exactly
// one such line (already pinned, or changed so the pin would be a guess).
func PinImage(actionYML []byte, tag string) ([]byte, error) {
	if !tagPattern.MatchString(tag) {
		return nil, fmt.Errorf("release tag %q is not of the form vMAJOR.MINOR.PATCH", tag)
	}
	lines := builtLine.FindAllIndex(actionYML, -1)
	if len(lines) != 1 {
		return nil, fmt.Errorf("action.yml has %d lines \"image: Dockerfile\" under runs, want exactly 1", len(lines))
	}
	out := builtLine.ReplaceAll(actionYML, []byte("${1}image: docker://"+Image+":"+tag))
	if bytes.Equal(out, actionYML) {
		return nil, fmt.Errorf("action.yml did not change")
	}
	return out, nil
}

// MajorMinor returns the moving tags a release updates: v1 and v1.2 for v1.2.3.
func MajorMinor(tag string) (major, minor string, err error) {
	m := regexp.MustCompile(`^(v[0-9]+)\.([0-9]+)\.[0-9]+$`).FindStringSubmatch(tag)
	if m == nil {
		return "", "", fmt.Errorf("release tag %q is not of the form vMAJOR.MINOR.PATCH", tag)
	}
	return m[1], m[1] + "." + m[2], nil
}
