package upgradepath

import version "github.com/hashicorp/go-version"

// key holds what ordering a version needs, read once so that comparisons
// neither allocate nor re-render the version.
type key struct {
	v    *version.Version // the version, for a key of a go-version version
	rv   *Version         // the release, for a key of one (relKey)
	segs []int64
	pre  string
}

func keyOf(v *version.Version) key {
	return key{v: v, segs: v.Segments64(), pre: v.Prerelease()}
}

// relKey is the key of a release, its segments shared (nothing is
// allocated, no go-version version made).
func relKey(v *Version) key {
	return key{rv: v, segs: v.segments(), pre: v.pre}
}

// goVersion returns the key's version as go-version's.
func (k *key) goVersion() *version.Version {
	if k.v != nil {
		return k.v
	}
	return k.rv.Go()
}

// Compare orders a and b exactly as go-version's a.Compare(b) does (-1, 0
// or 1) without formatting either as a string, which go-version's Compare
// does on every call: for loops over many versions (a policy's releases).
func Compare(a, b *version.Version) int {
	ka, kb := keyOf(a), keyOf(b)
	return compareKeys(&ka, &kb)
}

// series returns the version's MAJOR and MINOR (missing segments are 0).
func series(k *key) (major, minor int64) {
	if len(k.segs) > 0 {
		major = k.segs[0]
	}
	if len(k.segs) > 1 {
		minor = k.segs[1]
	}
	return major, minor
}

// compareKeys orders versions exactly like (*version.Version).Compare: equal
// segment lists are ordered by pre-release (a release after its
// pre-releases); otherwise the segments decide, missing ones counting as 0.
func compareKeys(a, b *key) int {
	if len(a.segs) == len(b.segs) {
		for i, x := range a.segs {
			if y := b.segs[i]; x != y {
				if x < y {
					return -1
				}
				return 1
			}
		}
		switch {
		case a.pre == b.pre:
			return 0
		case a.pre == "":
			return 1
		case b.pre == "":
			return -1
		}
		return a.goVersion().Compare(b.goVersion()) // two different pre-releases: rare
	}
	n := max(len(a.segs), len(b.segs))
	for i := range n {
		var x, y int64
		if i < len(a.segs) {
			x = a.segs[i]
		}
		if i < len(b.segs) {
			y = b.segs[i]
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
