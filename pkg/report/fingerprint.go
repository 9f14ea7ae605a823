package report

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// Fingerprint kinds: each format hashes the same basis under its own name, so
// the strings differ between formats while identifying the same findings.
const (
	sarifFingerprintKey = "upgradegateNode/v1"
	gitlabFingerprintV1 = "upgradegate-gitlab/v1"
)

// fingerprints returns, for each finding of fs (in that order), the hex
// SHA-256 of kind, file, rule and the YAML node's path (Finding.Node): what
// identifies a finding, never its line, so that an edit above it does not
// make it a new alert. Messages are left out too: they quote versions and
// values that change while the problem stays the same.
//
// Findings that share file, rule and node (two stops skipped at spec.path, a
// file with two syntax errors and no node) are told apart by their rank among
// themselves in fs, which is sorted by place: the n-th one (n >= 2) hashes
// "#n" as well, so the first keeps the plain hash. Both code scanning and
// GitLab treat equal fingerprints in one report as one finding.
func fingerprints(fs []finding.Finding, kind string) []string {
	type basis struct{ file, rule, node string }
	seen := make(map[basis]int, len(fs))
	out := make([]string, len(fs))
	for i, f := range fs {
		b := basis{f.File, f.Rule.String(), f.Node}
		seen[b]++
		h := sha256.New()
		for _, part := range []string{kind, f.File, f.Rule.String(), f.Node} {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
		if n := seen[b]; n > 1 {
			h.Write([]byte("#" + strconv.Itoa(n)))
		}
		out[i] = hex.EncodeToString(h.Sum(nil))
	}
	return out
}
