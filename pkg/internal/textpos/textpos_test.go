package textpos

import "testing"

func TestAt(t *testing.T) {
	t.Parallel()
	data := []byte("ab\nçé x\n\nlast")
	for _, tc := range []struct{ off, line, col int }{
		{0, 1, 1}, {1, 1, 2}, {2, 1, 3}, // the newline ends line 1
		{3, 2, 1}, {5, 2, 2}, {7, 2, 3}, {8, 2, 4}, // ç and é are two bytes each, one column
		{9, 2, 5}, {10, 3, 1}, {11, 4, 1}, {15, 4, 5}, // an empty line; the end of the text
		{-3, 1, 1}, {99, 4, 5}, // outside: its start, its end
	} {
		line, col := New(data).At(tc.off)
		if line != tc.line || col != tc.col {
			t.Errorf("At(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
		if line, col := Of(data, tc.off); line != tc.line || col != tc.col {
			t.Errorf("Of(%d) = %d:%d, want %d:%d", tc.off, line, col, tc.line, tc.col)
		}
	}
	if line, col := New(nil).At(0); line != 1 || col != 1 {
		t.Errorf("empty text: At(0) = %d:%d, want 1:1", line, col)
	}
}

func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		data string
		want int
	}{
		{"", 0}, {"plain", 5}, {"çé", 4},
		{"ab\xffcd", 2}, {"é\xc3", 2}, // a truncated sequence
		{"\xed\xa0\x80", 0}, // a surrogate is not UTF-8
	} {
		if got := InvalidUTF8([]byte(tc.data)); got != tc.want {
			t.Errorf("InvalidUTF8(%q) = %d, want %d", tc.data, got, tc.want)
		}
	}
}

func FuzzAt(f *testing.F) {
	f.Add([]byte("a\nb\xffc\n"), 4)
	f.Fuzz(func(t *testing.T, data []byte, off int) {
		l1, c1 := New(data).At(off)
		l2, c2 := Of(data, off)
		if l1 != l2 || c1 != c2 || l1 < 1 || c1 < 1 {
			t.Fatalf("At(%d) = %d:%d, Of = %d:%d", off, l1, c1, l2, c2)
		}
	})
}
