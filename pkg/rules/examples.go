package rules

// examples holds, per rule, a short manifest (or policy) fragment that
// triggers it, shown in docs/rules.md and by upgradegate explain. Fragments
// show only what matters to the rule; "# policy" marks the policy's part.
var examples = map[string]string{
	"UG001": `kind: Upgrade
spec:
  component: gitlab
  component: gitaly          # duplicate mapping key
`,
	"UG002": `spec:
  compnent: gitlab           # unknown field: did you mean "component"?
`,
	"UG003": `apiVersion: upgradegate/v1
kind: Upgrade
metadata:
  name: gitlab-17-3
spec:
  component: gitlab
  from: 16.3.2               # spec.to is missing
`,
	"UG004": `spec:
  impact:
    downtime: 45 minutes     # not a duration: write 45m
`,
	"UG005": `spec:
  policy: ../policies/gitlab.yaml   # no such file, or not a valid kind: Policy
`,
	"UG006": `spec:
  policy: /etc/upgradegate/gitlab.yaml   # absolute path
`,
	"UG101": `spec:
  from: 16.3.2
  to: seventeen              # not a version
`,
	"UG102": `spec:
  from: 17.3.7
  to: 16.11.10               # older than from
`,
	"UG103": `spec:
  from: 16.3.2
  to: 17.3.7
  path: [16.11.10, 16.7.10]  # not ascending
`,
	"UG104": `# policy
spec:
  releases: [16.3.2, 16.3.9, 16.7.10, 16.11.10, 17.3.7]
---
spec:
  from: 16.3.2
  to: 17.3.7
  path: [16.3.9, 16.7.9, 16.11.10]   # 16.7.9 is not among the releases
`,
	"UG105": `# policy
spec:
  compatibility:
    - versions: ">= 17.0 and < 18.0"   # not a constraint: write ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9"
`,
	"UG201": `# policy
spec:
  requiredStops:
    - version: 16.3.9
---
spec:
  from: 16.3.2
  to: 17.3.7                 # the hop 16.3.2 -> 17.3.7 crosses the required stop 16.3.9
`,
	"UG202": `# policy
spec:
  maxStep: {major: 1}
---
spec:
  from: 15.11.13
  to: 17.3.7                 # one hop raises the major by 2
`,
	"UG203": `# policy
spec:
  blocked:
    - from: ">= 4.10.0, < 4.10.16"
      to: ">= 4.11.0"
      reason: "etcd corruption on upgrade"
---
spec:
  from: 4.10.3
  to: 4.11.2                 # the hop 4.10.3 -> 4.11.2 is blocked
`,
	"UG204": `# policy
spec:
  releases: [16.3.2, 16.3.9, 16.7.10, 16.11.10, 17.3.7]
  requiredStops: [{version: 16.3.9}, {version: 16.7.10}, {version: 16.11.10}]
---
spec:
  from: 16.3.2
  to: 17.3.7                 # no spec.path: suggested 16.3.9, 16.7.10, 16.11.10
`,
	"UG205": `# policy
spec:
  releases: [16.3.2, 16.11.10, 17.3.7]
  blocked:
    - from: ">= 16.0"
      to: ">= 17.0"
      reason: "no supported route from 16 to 17"
---
spec:
  from: 16.3.2
  to: 17.3.7                 # every hop into 17 is blocked
`,
	"UG301": `# policy
spec:
  compatibility:
    - versions: ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9, < 17"
---
spec:
  to: 17.3.7
  environment:
    postgresql: "13.14"      # 17.3.7 needs PostgreSQL >= 14.9
`,
	"UG302": `# policy
spec:
  compatibility:
    - versions: ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9, < 17"
---
spec:
  to: 17.3.7
  environment:
    kubernetes: "1.29.4"     # postgresql is missing
`,
	"UG303": `# policy
spec:
  compatibility:
    - versions: ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9"
---
spec:
  from: 17.3.7
  to: 18.0.1                 # no row covers 18.0.1
`,
	"UG401": `spec:
  config:
    - file: deploy/values.yaml   # not in the repository
      key: global.psql.pool
`,
	"UG402": `spec:
  config:
    - file: deploy/values.yaml   # exists, but has no global.psql.pool
      key: global.psql.pool
`,
	"UG403": `spec:
  config:
    - file: deploy/app.toml      # not valid TOML
      key: server.port
`,
	"UG411": `spec:
  secrets:
    - name: DB_ROOT_PASSWORD
      store: env                 # unset or empty in the gate's environment
`,
	"UG412": `spec:
  secrets:
    - name: DB_ROOT_PASSWORD
      store: github              # the token may not list the repository's secret names
`,
	"UG421": `spec:
  docs: [docs/runbooks/gitlab.md]   # no such file
`,
	"UG422": `spec:
  docs: [docs/runbooks/gitlab.md]   # exists, but the pull request does not change it
`,
	"UG501": `spec:
  rollback:
    tested: true               # no steps
`,
	"UG502": `spec:
  rollback:
    steps: ["restore the 16.3.2 backup"]
    tested: false
`,
	"UG503": `spec:
  from: 16.3.2
  to: 17.3.7                 # no spec.dryRun
`,
	"UG504": `spec:
  dryRun:
    environment: staging
    version: 17.3.7
    date: 2026-11-18
    result: failed
`,
	"UG505": `# policy
spec:
  dryRunMaxAge: 14d
---
spec:                        # checked on 2026-12-01
  dryRun:
    environment: staging
    version: 17.3.7
    date: 2026-10-02         # 60 days old
    result: passed
`,
	"UG506": `spec:
  to: 17.3.7
  dryRun:
    environment: staging
    version: 17.3.6          # not the target
    date: 2026-11-18
    result: passed
`,
	"UG507": `spec:                        # policy downtimeWindow: both (the default)
  from: 16.3.2
  to: 17.3.7                 # a major version change
  impact:
    downtime: 45m            # no window
`,
	"UG508": `spec:
  impact:
    downtime: none           # no releaseNotes
`,
	"UG509": `spec:
  stakeholders:
    notify: [it-operations]  # no channel
`,
	"UG510": `spec:
  component: gitlab          # no spec.owner
  from: 16.3.2
  to: 17.3.7
`,
	"UG511": `spec:
  healthChecks: []
`,
	"UG512": `spec:
  impact:
    migrations: true         # no spec.database.verify
`,
	"UG513": `spec:
  postUpgrade: ["wait for background migrations"]   # no spec.review
`,
	"UG514": `spec:
  impact:
    window: {start: 2026-12-01T23:30:00Z, end: 2026-12-01T22:00:00Z}
`,
	"UG901": `spec:                        # checked on 2026-12-20
  exceptions:
    - rule: UG502
      reason: rollback rehearsal scheduled after the window
      approvedBy: "@cto"
      expires: 2026-12-15
`,
	"UG902": `spec:
  rollback:
    steps: ["restore the 16.3.2 backup"]
    tested: true
  exceptions:
    - rule: UG502              # the rollback is tested: nothing to except
      reason: rollback rehearsal scheduled after the window
      approvedBy: "@cto"
      expires: 2026-12-15
`,
	"UG903": `spec:
  exceptions:
    - rule: UG502
      reason: rollback rehearsal scheduled after the window   # no approvedBy, no expires
`,
}
