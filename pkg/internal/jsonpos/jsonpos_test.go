package jsonpos

import (
	"errors"
	"strings"
	"testing"
)

func TestPositions(t *testing.T) {
	t.Parallel()
	n, err := Parse([]byte("{\n  \"a\": [1, \"é\", true],\n  \"b\": {\"c\": null}\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n.Kind != Object || n.Pos != (Pos{1, 1}) {
		t.Fatalf("root = %+v", n)
	}
	a := n.Get("a")
	if a.Kind != Array || a.Pos != (Pos{2, 8}) || n.Fields[0].KeyPos != (Pos{2, 3}) {
		t.Errorf("a = %+v at %+v", a.Pos, n.Fields[0].KeyPos)
	}
	if it := a.Items[2]; it.Kind != Bool || it.Str != "true" || it.Pos != (Pos{2, 17}) {
		t.Errorf("a[2] = %+v", it)
	}
	if c := n.Get("b").Get("c"); c == nil || c.Kind != Null || c.Pos != (Pos{3, 14}) {
		t.Errorf("b.c = %+v", c)
	}
	if n.Get("missing") != nil || a.Get("x") != nil {
		t.Error("Get of a missing key or on an array is not nil")
	}
}

func TestErrorsAreLocated(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name, in string
		want     Pos
		msg      string
	}{
		{"truncated", "{\n  \"a\": [1,", Pos{2, 11}, "truncated"},
		{"syntax", "{\n  \"a\" 1}", Pos{2, 7}, "invalid character"},
		{"trailing", "{}\n{}", Pos{2, 1}, "data after"},
		{"utf8", "{\"a\": \"\xff\"}", Pos{1, 8}, "UTF-8"},
		{"deep", strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), Pos{1, MaxDepth + 1}, "nested deeper"},
		{"empty", "", Pos{1, 1}, "end of file"},
		{"not JSON", "<html>", Pos{1, 1}, "invalid character '<'"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.in))
			var je *Error
			if !errors.As(err, &je) || je.Pos != tt.want || !strings.Contains(je.Msg, tt.msg) {
				t.Errorf("Parse(%q) error = %v, want %q at %+v", tt.in, err, tt.msg, tt.want)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"result": {"releases": [{"name": "17.3"}]}}`))
	f.Add([]byte("[1, 2"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := Parse(data)
		if (n == nil) == (err == nil) {
			t.Fatalf("Parse() = %v, %v: want exactly one", n, err)
		}
		var je *Error
		if err != nil && (!errors.As(err, &je) || je.Pos.Line < 1 || je.Pos.Column < 1) {
			t.Fatalf("error %v is not located", err)
		}
	})
}
