package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/upgradegate/upgradegate/pkg/schema"
)

func TestSchemaCommand(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		out  string // the whole of stdout
		err  string // substring of stderr
	}{
		{"default is upgrade", []string{"schema"}, ExitOK, string(schema.Upgrade()), ""},
		{"upgrade", []string{"schema", "upgrade"}, ExitOK, string(schema.Upgrade()), ""},
		{"policy", []string{"schema", "policy"}, ExitOK, string(schema.Policy()), ""},
		{"unknown name", []string{"schema", "manifest"}, ExitError, "", `upgradegate schema: unknown schema "manifest": expected one of upgrade, policy`},
		{"two names", []string{"schema", "upgrade", "policy"}, ExitError, "", "usage: upgradegate schema [upgrade|policy]"},
		{"help", []string{"schema", "-h"}, ExitOK, "", "usage: upgradegate schema [upgrade|policy]"},
		{"unknown flag", []string{"schema", "--draft", "7"}, ExitError, "", "flag provided but not defined: -draft"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, out, errOut := run(t, tt.args...)
			if code != tt.code {
				t.Errorf("exit code = %d, want %d\nstderr: %s", code, tt.code, errOut)
			}
			if diff := cmp.Diff(tt.out, out); diff != "" {
				t.Errorf("stdout (-want +got):\n%s", diff)
			}
			if !strings.Contains(errOut, tt.err) {
				t.Errorf("stderr lacks %q:\n%s", tt.err, errOut)
			}
		})
	}
}

func TestSchemaCommandPrintsJSONSchema(t *testing.T) {
	t.Parallel()
	for _, name := range schema.Names() {
		code, out, errOut := run(t, "schema", name)
		if code != ExitOK {
			t.Fatalf("schema %s: exit %d: %s", name, code, errOut)
		}
		var doc struct {
			Schema string `json:"$schema"`
			ID     string `json:"$id"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("schema %s: stdout is not JSON: %v", name, err)
		}
		want := "https://upgradegate.dev/schema/v1/" + name + ".json"
		if doc.Schema != "https://json-schema.org/draft/2020-12/schema" || doc.ID != want {
			t.Errorf("schema %s: $schema %q, $id %q; want draft 2020-12 and %q", name, doc.Schema, doc.ID, want)
		}
	}
}
