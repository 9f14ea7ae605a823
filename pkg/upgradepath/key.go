package upgradepath

import version "github.com/hashicorp/go-version"

// Key is a version's order, its segments read once: Compare reads (and
// copies) both versions' segments on every call, which a sort of many
// versions pays on every comparison.
type Key struct{ k key }

// KeyOf returns v's Key; v must not be nil.
func KeyOf(v *version.Version) Key { return Key{keyOf(v)} }

// CompareKeys orders the versions of a and b exactly as Compare does.
func CompareKeys(a, b *Key) int { return compareKeys(&a.k, &b.k) }
