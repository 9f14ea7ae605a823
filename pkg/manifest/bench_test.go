package manifest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// benchManifest is a manifest shaped like internal/gen's: every section
// filled in, 57 positions.
const benchManifest = `apiVersion: upgradegate/v1
kind: Upgrade
metadata:
  name: upgrade-1789
spec:
  component: comp1
  policy: ../../../policies/comp1.yaml
  from: 15.4.0
  to: 16.2.4
  path: [15.6.0, 16.2.3]
  owner: "@team-39"
  environment:
    postgresql: "16.5"
    kubernetes: "1.27.2"
  impact:
    releaseNotes: [https://example.com/comp1/releases/16.2.4]
    risks: ["cache rebuild"]
    downtime: 8m
    migrations: true
    window: {start: 2026-12-01T22:00:00Z, end: 2026-12-01T23:30:00Z}
  rollback:
    steps: ["restore the backup", "redeploy 15.4.0"]
    tested: false
    owner: "@oncall"
  stakeholders:
    notify: [end-users, it-operations]
    channel: "#comp1-upgrades"
  dryRun:
    environment: staging
    version: 16.2.4
    date: 2026-11-08
    result: passed
    evidence: https://ci.example.com/runs/1789
  healthChecks: ["curl -fsS https://comp1.example.com/ready"]
  postUpgrade: ["remove old images"]
  monitoring: [https://grafana.example.com/d/comp1]
  database:
    verify: [rowCounts, checksums]
  review: {owner: "@lead", due: 2026-12-08}
`

// BenchmarkDecode decodes parsed manifests (the parse is not timed): one
// op is one manifest, so allocs/op and B/op are per manifest. The
// manifests are those of the repository in $UPGRADEGATE_CORPUS when it is
// set (go run ./internal/gen -out DIR), else benchManifest.
func BenchmarkDecode(b *testing.B) {
	docs := benchDocs(b)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m, _ := Decode("m.yaml", 0, docs[i%len(docs)])
		if m.Spec.Component == "" {
			b.Fatal("no component decoded")
		}
	}
}

func benchDocs(b *testing.B) []*yaml.Node {
	b.Helper()
	var texts [][]byte
	if root := os.Getenv("UPGRADEGATE_CORPUS"); root != "" {
		err := filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() || filepath.Ext(path) != ".yaml" {
				return err
			}
			data, err := os.ReadFile(path)
			if err == nil && bytes.Contains(data, []byte("\nkind: Upgrade\n")) {
				texts = append(texts, data)
			}
			return err
		})
		if err != nil {
			b.Fatal(err)
		}
	} else {
		texts = [][]byte{[]byte(benchManifest)}
	}
	var docs []*yaml.Node
	for _, t := range texts {
		parsed, syntax := yamldoc.Parse("m.yaml", t)
		if syntax != nil {
			b.Fatal(syntax)
		}
		for _, d := range parsed {
			if IsManifest(d) {
				docs = append(docs, d)
			}
		}
	}
	if len(docs) == 0 {
		b.Fatal("no manifests")
	}
	return docs
}
