package workspace

import (
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/finding"
)

// MaxHeld bounds the bytes of the files the policy index keeps for Read
// (Index): past it, Read reads a file again. A repository of thousands of
// manifests holds a few MiB of them.
const MaxHeld = 16 << 20

// MaxHeldParsed bounds the bytes of the files whose parsed documents the
// index keeps for Read (the policy files it parsed): past it, Read parses
// a file again. A node tree takes several times its file's size.
const MaxHeldParsed = 4 << 20

// held is what the index read of each file, by repository-relative path,
// until Release: the bytes of a file that may hold a manifest, or that a
// file shows no sign of one (nil data), and the documents of a file the
// index parsed.
type held struct {
	mu          sync.Mutex
	files       map[string]heldFile
	bytes       int64
	parsedBytes int64
}

type heldFile struct {
	data []byte // nil: the file shows no sign of this gate's documents
	size int64
	// parsed is what yamldoc.Parse gave for data (nil: Read parses it)
	parsed *parsed
}

// parsed is what yamldoc.Parse returned for a file: its documents, or
// the syntax finding.
type parsed struct {
	docs   []*yaml.Node
	syntax *finding.Finding
}

// put keeps what Read needs of a file: nothing but its size when it shows
// no sign of this gate's documents, its bytes while the budget allows, and
// what parsing it gave (pre, when the caller parsed it) while that budget
// allows.
func (h *held) put(rel string, data []byte, size int64, pre *parsed) {
	if !mayHoldManifest(data) {
		data, pre = nil, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if data != nil && h.bytes+int64(len(data)) > MaxHeld {
		return
	}
	if pre != nil && h.parsedBytes+int64(len(data)) > MaxHeldParsed {
		pre = nil
	}
	if h.files == nil {
		h.files = map[string]heldFile{}
	}
	h.files[rel] = heldFile{data: data, size: size, parsed: pre}
	h.bytes += int64(len(data))
	if pre != nil {
		h.parsedBytes += int64(len(data))
	}
}

// get returns what is held of a file; ok is false when nothing is.
func (h *held) get(rel string) (f heldFile, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f, ok = h.files[rel]
	return f, ok
}

// Release drops what the workspace holds of a file (Index): the caller
// reads it no more, or Read reads it again from the disk.
func (w *Workspace) Release(rel string) {
	h := &w.held
	h.mu.Lock()
	defer h.mu.Unlock()
	if f, ok := h.files[rel]; ok {
		h.bytes -= int64(len(f.data))
		if f.parsed != nil {
			h.parsedBytes -= int64(len(f.data))
		}
		delete(h.files, rel)
	}
}
