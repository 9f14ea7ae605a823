package cli

import (
	"bytes"
	"sync"

	"github.com/upgradegate/upgradegate/pkg/repo"
	"github.com/upgradegate/upgradegate/pkg/workspace"
)

// excerpts returns the source-line reader of the reports that show excerpts:
// each file is read once, through the repository's confinement (regular
// files inside the root only) and at most workspace.MaxFileSize bytes of it;
// a file it cannot read, or a line past what it read, gives no excerpt.
func excerpts(root string) func(file string, line int) (string, bool) {
	r, err := repo.Open(root)
	if err != nil {
		return nil
	}
	var mu sync.Mutex
	lines := map[string][][]byte{}
	return func(file string, line int) (string, bool) {
		mu.Lock()
		defer mu.Unlock()
		ls, ok := lines[file]
		if !ok {
			data, _, err := r.ReadPrefix(file, workspace.MaxFileSize)
			if err == nil {
				ls = bytes.Split(data, []byte("\n"))
			}
			lines[file] = ls
		}
		if line < 1 || line > len(ls) {
			return "", false
		}
		return string(bytes.TrimSuffix(ls[line-1], []byte("\r"))), true
	}
}
