package configfile

import (
	"github.com/upgradegate/upgradegate/pkg/internal/memo"
	"github.com/upgradegate/upgradegate/pkg/repo"
)

// Cache reads and parses each repository file once per run, however many
// manifests refer to it. It is safe for concurrent use; the zero value is
// ready to use.
type Cache struct {
	files memo.Map[cacheKey, *File]
}

type cacheKey struct {
	root, rel string
	format    Format
}

// Load reads a repository-relative file of r and parses it in the format its
// name implies. Errors are those of repo.ReadFile (a missing file wraps
// fs.ErrNotExist, a symlink out is a *repo.OutsideError), FormatOf's
// ErrUnsupported, or a *SyntaxError.
func (c *Cache) Load(r *repo.Repo, rel string) (*File, error) {
	return c.load(r, rel, "")
}

// LoadAs is Load with a fixed format.
func (c *Cache) LoadAs(r *repo.Repo, rel string, format Format) (*File, error) {
	return c.load(r, rel, format)
}

func (c *Cache) load(r *repo.Repo, rel string, format Format) (*File, error) {
	if format == "" {
		var err error
		if format, err = FormatOf(rel); err != nil {
			return nil, err
		}
	}
	return c.files.Get(cacheKey{r.Root(), rel, format}, func() (*File, error) {
		data, size, err := read(r, rel)
		if err != nil {
			return nil, err
		}
		if size > MaxFileSize {
			se := tooLarge(size)
			se.File, se.Format = rel, format
			return nil, se
		}
		return ParseAs(rel, format, data)
	})
}

// read reads at most MaxFileSize+1 bytes of a repository file, so that a
// huge file is never held in memory, and returns them with the file's size.
// Only regular files are read (repo.ReadPrefix): a FIFO, a device or a
// socket is a *fs.PathError wrapping repo.ErrNotRegular.
func read(r *repo.Repo, rel string) ([]byte, int64, error) {
	// refuse a symlink out before looking at what it points to
	if _, err := r.Resolve("", rel); err != nil {
		return nil, 0, err
	}
	return r.ReadPrefix(rel, MaxFileSize+1)
}
