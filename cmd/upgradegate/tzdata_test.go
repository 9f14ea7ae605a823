package main

import (
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// TestEmbedsZoneDatabase: the binary carries the IANA zone database
// (time/tzdata): the Action's container has no zoneinfo, and maintenance
// periods and freezes name their zones.
func TestEmbedsZoneDatabase(t *testing.T) {
	t.Parallel()
	f, err := parser.ParseFile(token.NewFileSet(), "main.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == "time/tzdata" {
			return
		}
	}
	t.Error(`main.go does not import _ "time/tzdata"`)
}
