package configfile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/repo"
)

func TestFormatOf(t *testing.T) {
	t.Parallel()
	tests := map[string]Format{
		"deploy/values.yaml": YAML, "a.YML": YAML, "x/config.json": JSON, "Cargo.toml": TOML,
		".env": Dotenv, "deploy/.env.production": Dotenv, "app.env": Dotenv,
	}
	for name, want := range tests {
		if got, err := FormatOf(name); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	for _, name := range []string{"config.ini", "values.yaml.tpl", "Makefile", "env"} {
		if _, err := FormatOf(name); !errors.Is(err, ErrUnsupported) {
			t.Errorf("FormatOf(%q) = %v, want ErrUnsupported", name, err)
		}
	}
}

const valuesYAML = `# GitLab chart values
global:
  psql:
    host: db.internal
    pool: 25
  hosts:
    domain: example.com
  annotations:
    app.kubernetes.io/name: gitlab
  empty:
  nulled: null
defaults: &defaults
  timeout: 30
runner:
  <<: *defaults
  concurrent: 4
servers:
  - name: a
    port: 8080
  - name: b
`

func TestLookup(t *testing.T) {
	t.Parallel()
	files := map[string]string{
		"values.yaml": valuesYAML,
		"multi.yaml":  "a: 1\n---\nb:\n  c: 2\n",
		"config.json": `{"global": {"psql": {"pool": 25}, "annotations": {"app.kubernetes.io/name": "x"}}, "servers": [{"port": 1}], "nulled": null}`,
		"list.json":   `[{"name": "a"}]`,
		"config.toml": "title = \"x\"\n[database]\npool = 10\n\"app.name\" = \"y\"\n[[servers]]\nport = 1\n[[servers]]\nport = 2\n",
		".env":        "# settings\nexport DB_HOST=db.internal\nDB_PORT=5432\nEMPTY=\n",
	}
	tests := []struct {
		file, key string
		found     bool
		line      int
		reason    string // substring of Reason when not found
	}{
		{"values.yaml", "global.psql.pool", true, 5, ""},
		{"values.yaml", "global.psql", true, 3, ""},
		{"values.yaml", `global.annotations."app.kubernetes.io/name"`, true, 9, ""},
		{"values.yaml", "global.empty", true, 10, ""},
		{"values.yaml", "global.nulled", true, 11, ""},
		{"values.yaml", "runner.timeout", true, 13, ""}, // through the merge key, at the anchor's line
		{"values.yaml", "runner.concurrent", true, 16, ""},
		{"values.yaml", "servers[0].port", true, 19, ""},
		{"values.yaml", "servers[1].name", true, 20, ""},
		{"values.yaml", "global.psql.pol", false, 0, `"global.psql" is a mapping without that key, so it has no key "pol"; did you mean "pool"?`},
		{"values.yaml", "global.psql.pool.size", false, 0, `"global.psql.pool" is a single value`},
		{"values.yaml", "servers[2].port", false, 0, `"servers" is a list of 2, so it has no item [2]`},
		{"values.yaml", "servers.0.port", false, 0, "index a list with [0]"},
		{"values.yaml", "global[0]", false, 0, `"global" is a mapping`},
		{"values.yaml", "global.empty.x", false, 0, `"global.empty" is null`},
		{"values.yaml", "nope", false, 0, "the top level is a mapping without that key"},
		{"multi.yaml", "b.c", true, 4, ""},
		{"multi.yaml", "a", true, 1, ""},
		{"multi.yaml", "c", false, 0, "in any of the 2 documents"},
		{"config.json", "global.psql.pool", true, 0, ""},
		{"config.json", `global.annotations."app.kubernetes.io/name"`, true, 0, ""},
		{"config.json", "servers[0].port", true, 0, ""},
		{"config.json", "nulled", true, 0, ""},
		{"config.json", "global.psql.host", false, 0, `"global.psql" is a mapping without that key`},
		{"config.json", "servers[1]", false, 0, "is a list of 1"},
		{"list.json", "[0].name", true, 0, ""},
		{"list.json", "name", false, 0, "the top level is a list"},
		{"config.toml", "database.pool", true, 0, ""},
		{"config.toml", `database."app.name"`, true, 0, ""},
		{"config.toml", "servers[1].port", true, 0, ""},
		{"config.toml", "database.max_connections", false, 0, `"database" is a mapping without that key`},
		{".env", "DB_HOST", true, 2, ""},
		{".env", "EMPTY", true, 4, ""},
		{".env", "DB_HOTS", false, 0, `no variable "DB_HOTS" is set; did you mean "DB_HOST"?`},
		{".env", "db.host", false, 0, "a .env file has no nested keys"},
	}
	for _, tt := range tests {
		t.Run(tt.file+"/"+tt.key, func(t *testing.T) {
			t.Parallel()
			f, err := Parse(tt.file, []byte(files[tt.file]))
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.file, err)
			}
			p, err := ParseKeyPath(tt.key)
			if err != nil {
				t.Fatal(err)
			}
			m := f.Lookup(p)
			if m.Found != tt.found || m.Line != tt.line {
				t.Errorf("Lookup(%q) = found %t line %d (%s); want found %t line %d", tt.key, m.Found, m.Line, m.Reason, tt.found, tt.line)
			}
			if !tt.found && !strings.Contains(m.Reason, tt.reason) {
				t.Errorf("Lookup(%q).Reason = %q; want it to contain %q", tt.key, m.Reason, tt.reason)
			}
		})
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	keys := []string{"pool", "port", "PG_OLD_BINDIR", "DB_HOST", "maxConnections"}
	for key, want := range map[string]string{
		"pol": "pool", "DB_HOTS": "DB_HOST", "db_host": "DB_HOST", "maxConection": "maxConnections",
		"host": "", "PG_NEW_BINDIR": "", "poolSize": "", "max": "",
	} {
		got := suggest(Match{}, key, append([]string(nil), keys...)).Reason
		if want == "" && got != "" || want != "" && got != fmt.Sprintf("; did you mean %q?", want) {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestQuotedDotenvNameIsInvalid: .env names are not quoted.
func TestQuotedDotenvNameIsInvalid(t *testing.T) {
	t.Parallel()
	_, err := Parse(".env", []byte("\"QUOTED\"=1\n"))
	var se *SyntaxError
	if !errors.As(err, &se) || se.Line != 1 || se.Column != 1 {
		t.Fatalf("got %v, want a syntax error at 1:1", err)
	}
}

func TestSyntaxErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, data string
		line, column     int
		msg              string
	}{
		{"yaml bad indent", "v.yaml", "a:\n  b: 1\n c: 2\n", 3, 2, "did not find expected key"},
		{"yaml unclosed quote", "v.yml", "a: \"x\nb: 1\n", 3, 1, "found unexpected end of stream"},
		{"yaml tab", "v.yaml", "a:\n\tb: 1\n", 2, 1, "a tab character in the indentation"},
		{"yaml bad utf8", "v.yaml", "a: 1\nb: \xff\n", 2, 4, "UTF-8"},
		{"json missing comma", "c.json", "{\n  \"a\": 1\n  \"b\": 2\n}\n", 3, 3, "invalid character"},
		{"json unexpected end", "c.json", "{\"a\": [1, 2", 1, 12, "unexpected end"},
		{"json trailing data", "c.json", "{\"a\": 1}\n{\"b\": 2}\n", 2, 1, "after the top-level"},
		{"json empty", "c.json", "", 1, 1, "empty"},
		{"json unicode column", "c.json", "{\"é\": x}", 1, 7, "invalid character 'x'"},
		{"toml missing equals", "c.toml", "[db]\npool 10\n", 2, 6, "expected '='"},
		{"toml duplicate key", "c.toml", "a = 1\na = 2\n", 2, 1, "already"},
		{"env missing equals", ".env", "A=1\nB\n", 2, 2, "expected '=' after the variable name"},
		{"env bad name", ".env", "A=1\n  1B=2\n", 2, 3, "cannot start with '1'"},
		{"env unclosed quote", ".env", "A=1\nB=\"abc\nC=2\n", 2, 3, "never closed"},
		{"env text after quote", ".env", "A='x' y\n", 1, 7, "after the closing quote"},
		{"env space in name", ".env", "MY VAR=1\n", 1, 4, "unexpected 'V' in a variable name"},
		{"env bad utf8", ".env", "A=\xff\n", 1, 3, "UTF-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(tt.file, []byte(tt.data))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("Parse = %v, want a *SyntaxError", err)
			}
			if se.Line != tt.line || se.Column != tt.column || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("got %d:%d %q; want %d:%d containing %q", se.Line, se.Column, se.Msg, tt.line, tt.column, tt.msg)
			}
			if se.File != tt.file {
				t.Errorf("File = %q, want %q", se.File, tt.file)
			}
		})
	}
}

func TestDotenvAccepts(t *testing.T) {
	t.Parallel()
	data := "\ufeff# comment\n\n  export A=1\nB = two words # comment\nC=\"multi\nline \\\" quote\" # trailing\nD='single # not a comment'\r\nE=#literal\nF=a#b\nG.H-I=dots\n  \t\nexport=1\n"
	f, err := Parse("x.env", []byte(data))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := map[string]int{"A": 3, "B": 4, "C": 5, "D": 7, "E": 8, "F": 9, "G.H-I": 10, "export": 12}
	for name, line := range want {
		if m := f.Lookup(KeyPath{{Key: name}}); !m.Found || m.Line != line {
			t.Errorf("Lookup(%q) = %+v, want found at line %d", name, m, line)
		}
	}
	if len(f.dotenv) != len(want) {
		t.Errorf("parsed %d variables, want %d", len(f.dotenv), len(want))
	}
}

func TestTooLarge(t *testing.T) {
	t.Parallel()
	_, err := Parse("big.json", make([]byte, MaxFileSize+1))
	var se *SyntaxError
	if !errors.As(err, &se) || !strings.Contains(se.Msg, "over the 8 MiB limit") {
		t.Fatalf("got %v, want a size error", err)
	}
}

// TestCacheParsesOnce: concurrent loads of one file share one parse.
func TestCacheParsesOnce(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "values.yaml"), []byte(valuesYAML), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := repo.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var c Cache
	got := make([]*File, 16)
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := c.Load(r, "values.yaml")
			if err != nil {
				t.Error(err)
			}
			got[i] = f
		}()
	}
	wg.Wait()
	for _, f := range got[1:] {
		if f != got[0] {
			t.Fatal("the file was parsed more than once")
		}
	}
	if f, _ := c.LoadAs(r, "values.yaml", YAML); f != got[0] {
		t.Error("LoadAs with the file's own format parsed it again")
	}
	if _, err := c.Load(r, "missing.yaml"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want ErrNotExist", err)
	}
}

func FuzzDotenv(f *testing.F) {
	for _, s := range []string{"A=1\n", "export B='x'\n", "C=\"a\\\"b\nc\" # x\n", "# c\n\nD=e #f\r\n", "E", "=1", "F='"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vars, err := parseDotenv([]byte(s))
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 || se.Line > strings.Count(s, "\n")+strings.Count(s, "\r")+1 {
				t.Fatalf("parseDotenv(%q): bad error %#v", s, err)
			}
			return
		}
		for name, v := range vars {
			if name == "" || v.Line < 1 || v.Column < 1 {
				t.Fatalf("parseDotenv(%q): bad variable %q at %d:%d", s, name, v.Line, v.Column)
			}
		}
	})
}

// FuzzLookup parses arbitrary files in every format and looks keys up: no
// panic, and a found key never comes with a reason.
func FuzzLookup(f *testing.F) {
	f.Add("values.yaml", valuesYAML, "global.psql.pool")
	f.Add("c.json", `{"a": [{"b": 1}]}`, "a[0].b")
	f.Add("c.toml", "[a]\nb = [1, 2]\n", "a.b[1]")
	f.Add(".env", "A=1\n", "A")
	f.Add("v.yaml", "a: &x {b: *x}\n", "a.b.b.b")
	f.Add("v.yaml", "a: &a [*a, *a]\nb: {<<: [*a]}\n", "b.c")
	f.Add("c.json", `{"d": [{"name": "x", "v": "1"}, {"name": "y", "v": 2}]}`, "d[name=y].v")
	f.Add("c.toml", "[[d]]\nname = \"y\"\nv = \"1\"\n", "d[name=y].v")
	f.Fuzz(func(t *testing.T, name, data, key string) {
		if _, err := FormatOf(name); err != nil {
			return
		}
		file, err := Parse(name, []byte(data))
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 || se.Column < 1 {
				t.Fatalf("Parse(%q, %q): bad error %#v", name, data, err)
			}
			return
		}
		p, err := ParseKeyPath(key)
		if err != nil {
			return
		}
		m := file.Lookup(p)
		if m.Found == (m.Reason != "") {
			t.Fatalf("Lookup(%q) in %q = %+v: found and reason disagree", key, data, m)
		}
		// the positioned trees of the deployed readers agree on the file
		docs, err := Nodes(name, file.Format, []byte(data))
		if err != nil {
			t.Fatalf("Parse accepted %q but Nodes did not: %v", data, err)
		}
		hits, fm := Find(docs, p)
		if fm.Found != (len(hits) > 0) {
			t.Fatalf("Find(%q) found %v with %d hits", key, fm.Found, len(hits))
		}
		if file.Format != Dotenv && fm.Found != m.Found {
			t.Fatalf("Lookup(%q) = %v but Find = %v in %q", key, m.Found, fm.Found, data)
		}
		for _, h := range hits {
			if v := h.Value; v != nil && v.Line < 1 {
				t.Fatalf("Find(%q) hit without a position in %q", key, data)
			}
		}
	})
}
