package rules

// The lifecycle and vendor-data rules (UG7xx, manifest v1 section 7):
// support windows from imported lifecycle data (endoflife.date) and the
// imported vendor files themselves. UG701–UG704 are checked in
// pkg/check/lifecycle.go, UG705 there too (per policy), UG706 where the
// files are read (pkg/workspace, the importers in pkg/policy).

// The lifecycle rules.
var (
	UG701 = ID{"UG701"}
	UG702 = ID{"UG702"}
	UG703 = ID{"UG703"}
	UG704 = ID{"UG704"}
	UG705 = ID{"UG705"}
	UG706 = ID{"UG706"}
)

var lifecycleRules = family{prefix: "UG7", tag: "lifecycle", title: "Lifecycle and vendor data (UG7xx)", rules: []Rule{
	{ID: UG701, Severity: Error, short: "TargetPastEndOfLife",
		Title:     "`to` is past its end of life at the window's start",
		Help:      "Choose a target whose release cycle is still maintained at the window's start; the hint names the newest maintained release. Intermediate stops are exempt.",
		Checklist: "Identify the scope of the upgrade",
		example: `# policy
spec:
  import:
    - {format: endoflife, file: vendor/eol/gitlab.json}   # 16.11: eolFrom 2025-05-15
---
spec:
  to: 16.11.10
  impact:
    window: {start: 2026-12-05T22:00:00Z, end: 2026-12-05T23:00:00Z}
`},
	{ID: UG702, Severity: Warning, short: "TargetSupportEndsSoon",
		Title:     "`to` reaches end of active support or end of life within `lifecycle.warnBefore`",
		Help:      "Plan the next upgrade now, or choose a newer target; lifecycle.warnBefore in the policy sets the horizon (default 90d).",
		Checklist: "Identify the scope of the upgrade",
		example: `# policy
spec:
  import:
    - {format: endoflife, file: vendor/eol/postgresql.json}   # 13: eolFrom 2025-11-13
  lifecycle: {warnBefore: 90d}
---
spec:
  to: "13.22"                # the window is on 2025-10-01: end of life in 43 days
`},
	{ID: UG703, Severity: Warning, short: "SourcePastEndOfLife",
		Title:     "`from` is already past its end of life",
		Help:      "The upgrade is overdue: production runs a release its vendor no longer fixes. Schedule it first.",
		Checklist: "Identify the scope of the upgrade",
		example: `# policy
spec:
  import:
    - {format: endoflife, file: vendor/eol/kubernetes.json}   # 1.29: eolFrom 2025-02-28
---
spec:
  from: 1.29.4
  to: 1.32.3
`},
	{ID: UG704, Severity: Warning, short: "EnvironmentPastEndOfLife",
		Title:     "an `environment` component is past its end of life",
		Help:      "Upgrade the infrastructure component; its own policy (with lifecycle data) says until when each release is maintained.",
		Checklist: "Consult the compatibility matrix",
		example: `# policy of postgresql
spec:
  component: postgresql
  import:
    - {format: endoflife, file: vendor/eol/postgresql.json}   # 13: eolFrom 2025-11-13
---
spec:
  environment:
    postgresql: "13.14"
`},
	{ID: UG705, Severity: Warning, short: "VendorCopyStale",
		Title:     "an imported copy is older than its `maxAge`",
		Help:      "Run `upgradegate vendor pull` (or the scheduled workflow) and commit the update; the age is FILE.source.json's fetched time, else the date the file carries.",
		Checklist: "Review the upgrade path",
		example: `# policy
spec:
  import:
    - format: endoflife
      file: vendor/eol/gitlab.json   # fetched 2026-09-01
      url: https://endoflife.date/api/v1/products/gitlab
      maxAge: 30d
`},
	{ID: UG706, Severity: Error, fixed: true, short: "VendorFileUnreadable",
		Title: "an imported file cannot be read or is not in its format",
		Help:  "Commit the vendor file at the repository path the import names, in its format (`upgradegate vendor pull` downloads it); the finding gives the line where reading stopped.",
		example: `# policy
spec:
  import:
    - {format: endoflife, file: vendor/eol/gitlab.json}   # the file is missing, or truncated
`},
}}
