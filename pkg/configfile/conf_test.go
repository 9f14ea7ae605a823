package configfile

import (
	"strings"
	"testing"
)

const mycnf = `db:
  my.cnf: |
    ; MySQL settings
    skip-name-resolve = 1
    [mysqld]
    max_connections=100
    sql_mode = "STRICT_ALL_TABLES"  # strict
    [client]
    port 3306
  motd: "welcome"
  script: |
    echo hi
    exit 0
`

func TestLookupGoesIntoNameValueStrings(t *testing.T) {
	f, err := ParseAs("values.yaml", YAML, []byte(mycnf))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		key       string
		found     bool
		line      int
		intoValue bool
	}{
		{`db."my.cnf".skip-name-resolve`, true, 4, false},
		{`db."my.cnf".mysqld.max_connections`, true, 6, false},
		{`db."my.cnf".mysqld.sql_mode`, true, 7, false},
		{`db."my.cnf".client.port`, true, 9, false},
		{`db."my.cnf".mysqld.port`, false, 0, false}, // a mapping without that key: absent
		{`db.motd.x`, false, 0, true},                // a one-line string
		{`db.script.echo`, false, 0, true},           // no name = value line: a script
	} {
		p, err := ParseKeyPath(tc.key)
		if err != nil {
			t.Fatal(err)
		}
		m := f.Lookup(p)
		if m.Found != tc.found || (tc.found && m.Line != tc.line) || m.IntoValue != tc.intoValue {
			t.Errorf("Lookup(%s) = %+v, want found %v line %d intoValue %v", tc.key, m, tc.found, tc.line, tc.intoValue)
		}
	}
	docs, err := Nodes("values.yaml", YAML, []byte(mycnf))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParseKeyPath(`db."my.cnf".mysqld.sql_mode`)
	hits, _ := Find(docs, p)
	if len(hits) != 1 || hits[0].Value.Value != "STRICT_ALL_TABLES" || hits[0].Key.Line != 7 || hits[0].Key.Column != 5 {
		t.Errorf("Find(sql_mode) = %+v", hits)
	}
}

func TestLookupIntoValueInJSONAndNull(t *testing.T) {
	f, err := ParseAs("c.json", JSON, []byte(`{"a": "text", "n": null, "l": [1]}`))
	if err != nil {
		t.Fatal(err)
	}
	for key, into := range map[string]bool{"a.b": true, "n.b": false, "l.b": false} {
		p, _ := ParseKeyPath(key)
		if m := f.Lookup(p); m.Found || m.IntoValue != into {
			t.Errorf("JSON Lookup(%s) = %+v, want intoValue %v", key, m, into)
		}
	}
	y, err := ParseAs("c.yaml", YAML, []byte("a: ~\n"))
	if err != nil {
		t.Fatal(err)
	}
	p, _ := ParseKeyPath("a.b")
	if m := y.Lookup(p); m.Found || m.IntoValue {
		t.Errorf("YAML Lookup(a.b) under null = %+v: a key under null is absent", m)
	}
}

func FuzzConfNode(f *testing.F) {
	f.Add("a = 1\n[s]\nb c\n")
	f.Add("; c\n[x\n")
	f.Add("k = 'v' # c\n\n[]\n")
	f.Fuzz(func(t *testing.T, s string) {
		doc := "k: |\n  " + strings.ReplaceAll(s, "\n", "\n  ") + "\n"
		docs, err := Nodes("f.yaml", YAML, []byte(doc))
		if err != nil {
			return
		}
		for _, key := range []string{"k.a", "k.s.b", "k.x.y.z"} {
			p, _ := ParseKeyPath(key)
			hits, m := Find(docs, p)
			for _, h := range hits {
				if h.Key == nil || h.Key.Line < 1 || h.Key.Column < 1 {
					t.Fatalf("hit without a position: %+v", h)
				}
			}
			if len(hits) == 0 && m.Reason == "" {
				t.Fatalf("no hit and no reason for %s", key)
			}
		}
	})
}
