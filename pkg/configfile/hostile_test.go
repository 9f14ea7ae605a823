package configfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

// TestCacheHugeFile: a file far over MaxFileSize is a *SyntaxError with its
// real size, read no further than the limit (a sparse 4 GiB file here).
func TestCacheHugeFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "huge.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(4 << 30); err != nil {
		f.Close()
		t.Skipf("sparse file: %v", err)
	}
	f.Close()
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var c Cache
	_, err = c.Load(r, "huge.json")
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("Load = %v, want a *SyntaxError", err)
	}
	want := SyntaxError{File: "huge.json", Format: JSON, Line: 1, Column: 1, Msg: "the file is 4294967296 bytes, over the 8 MiB limit"}
	if *se != want {
		t.Errorf("Load = %#v, want %#v", *se, want)
	}
}

// TestTOMLErrorsQuoteNoValue: go-toml repeats strconv's errors, which quote
// the value; the message must not.
func TestTOMLErrorsQuoteNoValue(t *testing.T) {
	t.Parallel()
	for _, data := range []string{"pin = 7319284e99999\n", "pin = -7319284e99999\n", "a = { pin = 7319284e99999 }\n"} {
		_, err := Parse("x.toml", []byte(data))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", data, err)
			continue
		}
		if strings.Contains(se.Error(), "7319284") || strings.Contains(se.Error(), "strconv") {
			t.Errorf("Parse(%q): the message quotes the value: %q", data, se.Error())
		}
	}
}
