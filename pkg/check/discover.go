package check

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

// candidate is a file that may hold manifests.
type candidate struct {
	rel      string // repository-relative
	explicit bool   // named on the command line
	walkErr  error  // the search could not read this directory
}

// skipDirs are never searched: version control and dependency trees.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true, ".terraform": true}

// discover lists the YAML files under the given paths, in order, without
// duplicates. A path outside the repository or one that does not exist is an
// error (bad usage).
func discover(r *repo.Repo, paths []string) ([]candidate, error) {
	if len(paths) == 0 {
		paths = []string{r.Root()}
	}
	seen := map[string]bool{}
	var out []candidate
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("path %q: %w", p, err)
		}
		rel, err := r.Rel(p)
		if err != nil {
			return nil, fmt.Errorf("path %q is outside the repository root %q (set --root)", p, r.Root())
		}
		if !st.IsDir() {
			if !seen[rel] {
				seen[rel] = true
				out = append(out, candidate{rel: rel, explicit: true})
			}
			continue
		}
		var found []candidate
		err = filepath.WalkDir(r.Abs(rel), func(fp string, de fs.DirEntry, err error) error {
			if err != nil {
				if de != nil && de.IsDir() && fp != r.Abs(rel) {
					// an unreadable directory may hold manifests: report it
					if fr, rerr := filepath.Rel(r.Root(), fp); rerr == nil {
						found = append(found, candidate{rel: filepath.ToSlash(fr), walkErr: err})
					}
					return fs.SkipDir
				}
				return err
			}
			if de.IsDir() {
				if skipDirs[de.Name()] && fp != r.Abs(rel) {
					return fs.SkipDir
				}
				return nil
			}
			if !de.Type().IsRegular() {
				return nil // symlinks are not followed by discovery
			}
			name := de.Name()
			if strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml") {
				fr, err := filepath.Rel(r.Root(), fp)
				if err == nil {
					found = append(found, candidate{rel: filepath.ToSlash(fr)})
				}
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("search %q: %w", p, err)
		}
		sort.Slice(found, func(i, j int) bool { return found[i].rel < found[j].rel })
		for _, c := range found {
			if !seen[c.rel] {
				seen[c.rel] = true
				out = append(out, c)
			}
		}
	}
	return out, nil
}

var kindUpgradeLine = regexp.MustCompile(`(?m)^\s*kind\s*:\s*["']?Upgrade["']?\s*(#.*)?$`)

// mayHoldManifest is the cheap test that lets discovery skip the YAML of
// other tools without parsing it.
func mayHoldManifest(data []byte) bool {
	return bytes.Contains(data, []byte("Upgrade")) || bytes.Contains(data, []byte("upgradegate/"))
}

// looksLikeManifest reports whether a file that does not parse should be
// reported: it has a line kind: Upgrade.
func looksLikeManifest(data []byte) bool {
	return kindUpgradeLine.Match(data)
}
