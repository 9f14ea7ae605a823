package rules

// The checklist rules (UG5xx): the production-upgrade checklist (rollback,
// dry run, impact, stakeholders, owner, health checks, database, review),
// then change management (UG515–UG518: maintenance periods, freezes, a
// window already past, approvals) and what is due after the upgrade
// (UG519–UG522, applied by upgradegate audit). Their checks are in
// pkg/check/checklist.go and pkg/check/aftercare.go.

// The checklist rules.
var (
	UG501 = ID{"UG501"}
	UG502 = ID{"UG502"}
	UG503 = ID{"UG503"}
	UG504 = ID{"UG504"}
	UG505 = ID{"UG505"}
	UG506 = ID{"UG506"}
	UG507 = ID{"UG507"}
	UG508 = ID{"UG508"}
	UG509 = ID{"UG509"}
	UG510 = ID{"UG510"}
	UG511 = ID{"UG511"}
	UG512 = ID{"UG512"}
	UG513 = ID{"UG513"}
	UG514 = ID{"UG514"}
	UG515 = ID{"UG515"}
	UG516 = ID{"UG516"}
	UG517 = ID{"UG517"}
	UG518 = ID{"UG518"}
	UG519 = ID{"UG519"}
	UG520 = ID{"UG520"}
	UG521 = ID{"UG521"}
	UG522 = ID{"UG522"}
)

var checklistRules = family{prefix: "UG5", tag: "checklist", title: "Upgrade checklist (UG5xx)", rules: []Rule{
	{ID: UG501, Severity: Error,
		Title:     "rollback plan missing",
		Help:      "Add spec.rollback.steps: how to return to the current version if the upgrade fails.",
		Checklist: "Develop a rollback plan",
		example: `spec:
  rollback:
    tested: true               # no steps
`},
	{ID: UG502, Severity: Warning,
		Title:     "rollback not tested",
		Help:      "Rehearse the rollback and set spec.rollback.tested: true.",
		Checklist: "Develop a rollback plan",
		example: `spec:
  rollback:
    steps: ["restore the 16.3.2 backup"]
    tested: false
`},
	{ID: UG503, Severity: Error,
		Title:     "dry run missing",
		Help:      "Run the upgrade in a non-production environment and record it in spec.dryRun.",
		Checklist: "Conduct a dry run",
		example: `spec:
  from: 16.3.2
  to: 17.3.7                 # no spec.dryRun
`},
	{ID: UG504, Severity: Error,
		Title:     "dry run failed",
		Help:      "Fix what failed and repeat the dry run.",
		Checklist: "Conduct a dry run",
		example: `spec:
  dryRun:
    environment: staging
    version: 17.3.7
    date: 2026-11-18
    result: failed
`},
	{ID: UG505, Severity: Error,
		Title:     "dry run older than `dryRunMaxAge`",
		Help:      "Repeat the dry run: the policy requires a recent one.",
		Checklist: "Conduct a dry run",
		example: `# policy
spec:
  dryRunMaxAge: 14d
---
spec:                        # checked on 2026-12-01
  dryRun:
    environment: staging
    version: 17.3.7
    date: 2026-10-02         # 60 days old
    result: passed
`},
	{ID: UG506, Severity: Error, short: "DryRunVersionMismatch",
		Title:     "dry run tested another version than `to`",
		Help:      "Dry-run the version you are upgrading to.",
		Checklist: "Conduct a dry run",
		example: `spec:
  to: 17.3.7
  dryRun:
    environment: staging
    version: 17.3.6          # not the target
    date: 2026-11-18
    result: passed
`},
	{ID: UG507, Severity: Error, short: "DowntimeWindowMissing",
		Title:     "downtime window required but missing",
		Help:      "Schedule a downtime window in spec.impact.window (start and end, RFC 3339).",
		Checklist: "Assess the impact",
		example: `spec:                        # policy downtimeWindow: both (the default)
  from: 16.3.2
  to: 17.3.7                 # a major version change
  impact:
    downtime: 45m            # no window
`},
	{ID: UG508, Severity: Error,
		Title:     "release notes missing",
		Help:      "Link the release notes you reviewed in spec.impact.releaseNotes.",
		Checklist: "Assess the impact",
		example: `spec:
  impact:
    downtime: none           # no releaseNotes
`},
	{ID: UG509, Severity: Warning,
		Title:     "stakeholders or channel missing",
		Help:      "List who is notified in spec.stakeholders.notify and the real-time channel in spec.stakeholders.channel.",
		Checklist: "Notify stakeholders",
		example: `spec:
  stakeholders:
    notify: [it-operations]  # no channel
`},
	{ID: UG510, Severity: Error,
		Title:     "owner (person in charge) missing",
		Help:      "Name the person in charge in spec.owner.",
		Checklist: "Notify stakeholders: assign a person in charge",
		example: `spec:
  component: gitlab          # no spec.owner
  from: 16.3.2
  to: 17.3.7
`},
	{ID: UG511, Severity: Error,
		Title:     "health checks missing",
		Help:      "List the checks that prove the system healthy after the upgrade in spec.healthChecks.",
		Checklist: "Health check",
		example: `spec:
  healthChecks: []
`},
	{ID: UG512, Severity: Error, short: "DatabaseVerificationMissing",
		Title:     "database verification missing while `impact.migrations` is true",
		Help:      "List the checks in spec.database.verify (rowCounts, checksums, sorting, hashing).",
		Checklist: "Database upgrades: verify the data",
		example: `spec:
  impact:
    migrations: true         # no spec.database.verify
`},
	{ID: UG513, Severity: Notice, short: "ReviewNotPlanned",
		Title:     "post-implementation review not planned",
		Help:      "Plan a review in spec.review (owner and due date).",
		Checklist: "Conduct a post-implementation review",
		example: `spec:
  postUpgrade: ["wait for background migrations"]   # no spec.review
`},
	{ID: UG514, Severity: Error,
		Title:     "window ends before it starts",
		Help:      "Correct spec.impact.window: end must be after start.",
		Checklist: "Assess the impact",
		example: `spec:
  impact:
    window: {start: 2026-12-01T23:30:00Z, end: 2026-12-01T22:00:00Z}
`},
	{ID: UG515, Severity: Error, short: "OutsideMaintenance",
		Title:     "window not inside a maintenance period",
		Help:      "Move spec.impact.window into one occurrence of a maintenance period (times are compared in the period's time zone, DST included).",
		Checklist: "Assess the impact: schedule downtime",
		example: `# policy
spec:
  maintenance:
    - {days: [sat], start: "22:00", end: "04:00", timeZone: Europe/Berlin}
---
spec:
  impact:                    # a Wednesday
    window: {start: 2026-12-02T21:00:00Z, end: 2026-12-02T22:00:00Z}
`},
	{ID: UG516, Severity: Error, short: "WindowInFreeze",
		Title:     "window overlaps a freeze",
		Help:      "Move spec.impact.window out of the freeze (its dates include both days, in the freeze's time zone).",
		Checklist: "Assess the impact: schedule downtime",
		example: `# policy
spec:
  freezes:
    - {start: 2026-12-18, end: 2027-01-04, timeZone: America/New_York, reason: "year-end freeze"}
---
spec:
  impact:
    window: {start: 2026-12-19T03:00:00Z, end: 2026-12-19T04:00:00Z}
`},
	{ID: UG517, Severity: Error, short: "WindowPassed",
		Title:     "window already ended and no outcome recorded",
		Help:      "Reschedule spec.impact.window before merging, or record spec.outcome if the upgrade ran.",
		Checklist: "Execute the upgrade",
		example: `spec:                        # checked on 2026-12-01
  impact:
    window: {start: 2026-11-20T22:00:00Z, end: 2026-11-20T23:30:00Z}   # no spec.outcome
`},
	{ID: UG518, Severity: Error, short: "ApprovalsMissing",
		Title: "required approvals missing",
		Help: "Ask the people or teams the approvals list for an approving review of the pull request " +
			"(the author's own never counts); where reviews cannot be read this is a warning that says why.",
		Checklist: "Notify stakeholders: get the approvals",
		example: `# policy
spec:
  approvals:
    - {when: migrations, from: ["@alice", "@example-org/dba"], count: 1}
---
spec:
  impact:
    migrations: true         # nobody of those approved the pull request
`},
	{ID: UG519, Severity: Error, short: "OutcomeMissing",
		Title:     "window ended more than `outcomeWithin` ago and no outcome recorded",
		Help:      "Record spec.outcome (date, result, healthChecks, evidence) of the upgrade, or reschedule the window if it did not run.",
		Checklist: "Health check",
		example: `# policy
spec:
  outcomeWithin: 7d
---
spec:                        # audited on 2026-12-01
  impact:
    window: {start: 2026-11-10T22:00:00Z, end: 2026-11-10T23:30:00Z}   # no spec.outcome
`},
	{ID: UG520, Severity: Error, short: "ReviewOverdue",
		Title:     "post-implementation review overdue",
		Help:      "Hold the review and record spec.review.done (and its notes), or move spec.review.due.",
		Checklist: "Conduct a post-implementation review",
		example: `spec:                        # audited on 2026-12-10
  review: {owner: "@carol", due: 2026-12-08}   # no done
`},
	{ID: UG521, Severity: Error, short: "FailedUpgradeNotFollowedUp",
		Title:     "failed or rolled-back upgrade not followed up",
		Help:      "Add a manifest that retries the upgrade (same from) or names this one in spec.after, or link the follow-up in spec.outcome.followUp.",
		Checklist: "Health check: raise a production issue",
		example: `spec:
  outcome:
    date: 2026-12-02
    result: rolled-back      # no followUp, and no manifest retries it
`},
	{ID: UG522, Severity: Warning, short: "AftercareIncomplete",
		Title:     "outcome recorded but the after-upgrade items are incomplete",
		Help:      "Complete the record: docsUpdated: true, outcome.verified with every spec.database.verify check, outcome.postUpgradeDone: true, outcome.monitoredUntil.",
		Checklist: "Update documentation",
		example: `spec:
  database: {verify: [rowCounts, checksums]}
  outcome:
    date: 2026-12-02
    result: succeeded
    verified: [rowCounts]    # checksums missing; and docsUpdated is not true
`},
}}
