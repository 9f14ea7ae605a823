// Command gen writes a synthetic repository for measuring the gate on a
// realistic scale: policies with long release lists, many upgrade manifests
// and many YAML files of other tools (Kubernetes objects, Helm values, CI
// configs), some of which mention "Upgrade" so that discovery cannot skip
// them by a byte search alone.
//
//	go run ./internal/gen -out /tmp/corpus -manifests 2000 -other 5000
//	go run ./cmd/upgradegate check /tmp/corpus
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	out := flag.String("out", "", "directory to create (must not exist)")
	manifests := flag.Int("manifests", 2000, "upgrade manifests")
	other := flag.Int("other", 5000, "YAML files of other tools")
	policies := flag.Int("policies", 8, "policies")
	releases := flag.Int("releases", 400, "releases per policy")
	seed := flag.Int64("seed", 1, "random seed")
	plan := flag.Bool("plan", false, "one plan: each policy's manifests chain (each starts where the one before ends), every tenth names a manifest of another component in after, and all declare the same environment")
	withDeployed := flag.Bool("deployed", true, "give each policy deployed locations (a Helm key, an image in a Deployment, a pattern in Terraform) and write those files; -deployed=false writes the same corpus without them")
	flag.Parse()
	if *out == "" {
		fmt.Fprintln(os.Stderr, "usage: gen -out DIR [-manifests N] [-other N] [-policies N] [-releases N]")
		os.Exit(2)
	}
	if _, err := os.Stat(*out); err == nil {
		fmt.Fprintf(os.Stderr, "gen: %s exists; choose a new directory\n", *out)
		os.Exit(2)
	}
	deployedLocations = *withDeployed
	if err := generate(*out, *manifests, *other, *policies, *releases, *plan, rand.New(rand.NewSource(*seed))); err != nil {
		fmt.Fprintf(os.Stderr, "gen: %v\n", err)
		os.Exit(1)
	}
}

type ver struct{ major, minor, patch int }

func (v ver) String() string { return fmt.Sprintf("%d.%d.%d", v.major, v.minor, v.patch) }

func generate(dir string, nManifests, nOther, nPolicies, nReleases int, plan bool, rng *rand.Rand) error {
	write := func(rel, text string) error {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(text), 0o644)
	}
	if err := write(".upgradegate.yaml", "# repository root marker for upgradegate\n"); err != nil {
		return err
	}
	releases := make([][]ver, nPolicies)
	for p := 0; p < nPolicies; p++ {
		var rs []ver
		var stops []ver
		v := ver{1, 0, 0}
		for len(rs) < nReleases {
			rs = append(rs, v)
			switch r := rng.Intn(10); {
			case r == 0:
				v = ver{v.major + 1, 0, 0}
			case r < 4:
				v = ver{v.major, v.minor + 1, 0}
			default:
				v.patch++
			}
		}
		for i := 40; i < len(rs); i += 40 + rng.Intn(20) {
			stops = append(stops, rs[i])
		}
		releases[p] = rs
		var b strings.Builder
		fmt.Fprintf(&b, "apiVersion: upgradegate/v1\nkind: Policy\nmetadata:\n  name: comp%d\nspec:\n  component: comp%d\n  releases:\n", p, p)
		for _, r := range rs {
			fmt.Fprintf(&b, "    - %s\n", r)
		}
		b.WriteString("  requiredStops:\n")
		for i, s := range stops {
			fmt.Fprintf(&b, "    - version: %s\n", s)
			if i%5 == 4 {
				b.WriteString("      conditional: \"only with large tables\"\n")
			}
		}
		b.WriteString("  maxStep: {major: 1}\n")
		fmt.Fprintf(&b, "  blocked:\n    - from: \">= %d.0, < %d.1\"\n      to: \">= %d.0\"\n      reason: \"corrupts the cache\"\n",
			rs[len(rs)/2].major, rs[len(rs)/2].major, rs[len(rs)/2].major+1)
		b.WriteString("  compatibility:\n")
		for m := 1; m <= rs[len(rs)-1].major; m++ {
			fmt.Fprintf(&b, "    - versions: \">= %d.0, < %d.0\"\n      requires:\n        postgresql: \">= %d, < 18\"\n        kubernetes: \">= 1.2%d\"\n", m, m+1, 11+m%4, m%8)
		}
		b.WriteString("  dryRunMaxAge: 30d\n")
		if deployedLocations {
			if err := writeDeployed(write, &b, p, rs[0]); err != nil {
				return err
			}
		}
		if err := write(fmt.Sprintf("policies/comp%d.yaml", p), b.String()); err != nil {
			return err
		}
	}
	cursor := make([]int, nPolicies) // -plan: where each policy's chain has got to
	last := make([]int, nPolicies)   // -plan: the last manifest of each policy's chain, -1 before the first
	for i := range last {
		last[i] = -1
	}
	for i := 0; i < nManifests; i++ {
		p := rng.Intn(nPolicies)
		rs := releases[p]
		a := rng.Intn(len(rs) - 20)
		z := a + 1 + rng.Intn(min(60, len(rs)-a-1))
		afterLine := ""
		if plan {
			// the chain goes on where it stopped; it wraps into a fresh
			// component name when the releases run out
			if cursor[p] >= len(rs)-1 {
				cursor[p] = 0
			}
			a, z = cursor[p], cursor[p]+1
			cursor[p] = z
			if o := rng.Intn(nPolicies); i%10 == 9 && o != p && last[o] >= 0 {
				afterLine = fmt.Sprintf("  after: [upgrade-%d]\n", last[o])
			}
			last[p] = i
		}
		var path []string
		for j := a + 1; j < z; j++ {
			if rng.Intn(8) == 0 {
				path = append(path, rs[j].String())
			}
		}
		pg, pgMinor, k8s := 12+rng.Intn(6), rng.Intn(10), 24+rng.Intn(8)
		if plan {
			pg, pgMinor, k8s = 15, 4, 29 // one production: every manifest sees the same environment
		}
		pathLine := ""
		if rng.Intn(3) > 0 {
			pathLine = fmt.Sprintf("  path: [%s]\n", strings.Join(path, ", "))
		}
		text := fmt.Sprintf(`apiVersion: upgradegate/v1
kind: Upgrade
metadata:
  name: upgrade-%d
spec:
  component: comp%d
  policy: ../../../policies/comp%d.yaml
  from: %s
  to: %s
%s%s  owner: "@team-%d"
  environment:
    postgresql: "%d.%d"
    kubernetes: "1.%d.2"
  impact:
    releaseNotes: [https://example.com/comp%d/releases/%s]
    risks: ["cache rebuild"]
    downtime: %dm
    migrations: %v
    window: {start: 2026-12-01T22:00:00Z, end: 2026-12-01T23:30:00Z}
  rollback:
    steps: ["restore the backup", "redeploy %s"]
    tested: %v
    owner: "@oncall"
  stakeholders:
    notify: [end-users, it-operations]
    channel: "#comp%d-upgrades"
  dryRun:
    environment: staging
    version: %s
    date: 2026-11-%02d
    result: passed
    evidence: https://ci.example.com/runs/%d
  healthChecks: ["curl -fsS https://comp%d.example.com/ready"]
  postUpgrade: ["remove old images"]
  monitoring: [https://grafana.example.com/d/comp%d]
  database:
    verify: [rowCounts, checksums]
  review: {owner: "@lead", due: 2026-12-08}
`, i, p, p, rs[a], rs[z], pathLine, afterLine, i%50, pg, pgMinor, k8s, p, rs[z],
			rng.Intn(120), rng.Intn(2) == 0, rs[a], rng.Intn(4) > 0, p, rs[z], 1+rng.Intn(21), i, p, p)
		if err := write(fmt.Sprintf("services/svc%d/upgrades/upgrade-%d.yaml", i%200, i), text); err != nil {
			return err
		}
	}
	for i := 0; i < nOther; i++ {
		var text string
		switch i % 4 {
		case 0:
			text = fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-%d\n  labels: {app: app-%d}\nspec:\n  replicas: %d\n  selector: {matchLabels: {app: app-%d}}\n  template:\n    metadata: {labels: {app: app-%d}}\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/app:%d.%d.%d\n          ports: [{containerPort: 8080}]\n          env:\n            - {name: MODE, value: production}\n          resources: {limits: {cpu: 500m, memory: 256Mi}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: app-%d}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n", i, i, 1+i%5, i, i, i%9, i%7, i%5, i)
		case 1:
			text = fmt.Sprintf("# Helm values for release %d\nreplicaCount: %d\nimage:\n  repository: registry.example.com/web\n  tag: \"%d.%d\"\nstrategy:\n  type: RollingUpdate   # Upgrade strategy: surge one pod at a time\ningress:\n  enabled: true\n  hosts: [web-%d.example.com]\nresources:\n  limits: {cpu: 1, memory: 512Mi}\n", i, 2+i%3, i%4, i%10, i)
		case 2:
			text = fmt.Sprintf("name: ci-%d\non:\n  push: {branches: [main]}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n      - run: make build VERSION=%d\n", i, i)
		default:
			text = fmt.Sprintf("apiVersion: upgrade.cattle.io/v1\nkind: Plan\nmetadata:\n  name: k3s-server-%d\nspec:\n  concurrency: 1\n  version: v1.%d.%d+k3s1\n  serviceAccountName: system-upgrade\n  upgrade:\n    image: rancher/k3s-upgrade\n", i, 25+i%6, i%9)
		}
		if err := write(fmt.Sprintf("deploy/team%d/app-%d.yaml", i%100, i), text); err != nil {
			return err
		}
	}
	return nil
}

// deployedLocations gives the policies spec.deployed locations (manifest v1
// section 6); it draws nothing from the random source, so the corpus is the
// same with and without them but for these files.
var deployedLocations = true

// writeDeployed adds three locations to policy p's text and writes what
// they read: Helm values with a dependency list (a key with a selector), a
// Deployment (an image found by a ** glob) and a Terraform file (a
// pattern), all deploying v, the oldest release.
func writeDeployed(write func(rel, text string) error, b *strings.Builder, p int, v ver) error {
	fmt.Fprintf(b, `  deployed:
    - file: releases/comp%[1]d/values.yaml
      key: dependencies[name=comp%[1]d].version
    - files: "releases/comp%[1]d/**/*.yaml"
      image: registry.example.com/comp%[1]d
    - file: releases/comp%[1]d/main.tf
      pattern: 'comp%[1]d_version\s*=\s*"(?P<version>[^"]+)"'
`, p)
	values := fmt.Sprintf("# Helm values of comp%[1]d\nreplicaCount: 2\ndependencies:\n  - name: redis\n    version: 7.2.4\n  - name: comp%[1]d\n    version: %[2]s\nimage:\n  repository: registry.example.com/comp%[1]d\n  tag: \"%[2]s\"\n", p, v)
	deployment := fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: comp%[1]d\nspec:\n  template:\n    spec:\n      initContainers:\n        - name: migrate\n          image: registry.example.com/comp%[1]d:%[2]s\n      containers:\n        - name: app\n          image: registry.example.com/comp%[1]d:%[2]s\n        - name: proxy\n          image: envoyproxy/envoy:v1.31.2\n", p, v)
	tf := fmt.Sprintf("module \"comp%[1]d\" {\n  source = \"./modules/comp\"\n  comp%[1]d_version = \"%[2]s\"\n}\n", p, v)
	for rel, text := range map[string]string{"values.yaml": values, "k8s/deployment.yaml": deployment, "main.tf": tf} {
		if err := write(fmt.Sprintf("releases/comp%d/%s", p, rel), text); err != nil {
			return err
		}
	}
	return nil
}
