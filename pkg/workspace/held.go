package workspace

import "sync"

// MaxHeld bounds the bytes of the files the policy index keeps for Read
// (Index): past it, Read reads a file again. A repository of thousands of
// manifests holds a few MiB of them.
const MaxHeld = 16 << 20

// held is what the index read of each file, by repository-relative path,
// until Release: the bytes of a file that may hold a manifest, or that a
// file shows no sign of one (nil data).
type held struct {
	mu    sync.Mutex
	files map[string]heldFile
	bytes int64
}

type heldFile struct {
	data []byte // nil: the file shows no sign of this gate's documents
	size int64
}

// put keeps what Read needs of a file: nothing but its size when it shows
// no sign of this gate's documents, its bytes while the budget allows.
func (h *held) put(rel string, data []byte, size int64) {
	if !mayHoldManifest(data) {
		data = nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if data != nil && h.bytes+int64(len(data)) > MaxHeld {
		return
	}
	if h.files == nil {
		h.files = map[string]heldFile{}
	}
	h.files[rel] = heldFile{data: data, size: size}
	h.bytes += int64(len(data))
}

// get returns what is held of a file; ok is false when nothing is.
func (h *held) get(rel string) (data []byte, size int64, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok := h.files[rel]
	return f.data, f.size, ok
}

// Release drops what the workspace holds of a file (Index): the caller
// reads it no more, or Read reads it again from the disk.
func (w *Workspace) Release(rel string) {
	h := &w.held
	h.mu.Lock()
	defer h.mu.Unlock()
	if f, ok := h.files[rel]; ok {
		h.bytes -= int64(len(f.data))
		delete(h.files, rel)
	}
}
