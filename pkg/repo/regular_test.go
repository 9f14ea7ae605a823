package repo

import (
	"errors"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadAtMost: the buffer is sized by what the file says, and the read
// is still whole (a file that grew) and still bounded.
func TestReadAtMost(t *testing.T) {
	t.Parallel()
	text := strings.Repeat("0123456789", 100)
	for _, c := range []struct {
		size, n int64
		want    int
	}{
		{1000, 2000, 1000}, // the size the file says
		{10, 2000, 1000},   // it grew after the stat
		{0, 2000, 1000},    // a size of 0 (a /proc file)
		{1000, 100, 100},   // the bound
		{10, 100, 100},     // the bound, grown
		{1000, 0, 0},
	} {
		data, err := readAtMost(iotest.OneByteReader(strings.NewReader(text)), c.n, c.size)
		if err != nil || string(data) != text[:c.want] {
			t.Errorf("readAtMost(size %d, n %d) = %d bytes, %v; want the first %d", c.size, c.n, len(data), err, c.want)
		}
	}
	if _, err := readAtMost(iotest.ErrReader(errors.New("disk")), 10, 10); err == nil {
		t.Error("readAtMost(failing reader) succeeded, want its error")
	}
}
