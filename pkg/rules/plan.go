package rules

// The plan rules (UG8xx): several manifests in order, the environment
// changing along the way (manifest v1 section 8). The plan is built in
// pkg/plan from every manifest the run sees; UG802 at a stop is found by the
// compatibility checks in pkg/check/compat.go, with the plan's providers.

// The plan rules.
var (
	UG801 = ID{"UG801"}
	UG802 = ID{"UG802"}
	UG803 = ID{"UG803"}
)

var planRules = family{prefix: "UG8", tag: "plan", title: "Plans (UG8xx)", rules: []Rule{
	{ID: UG801, Severity: Error, short: "ManifestsContradict",
		Title: "manifests contradict each other: an `environment` value no upgrade in between explains, or a component's manifests that overlap or leave a gap",
		Help: "Write each environment as it is when that upgrade starts, and let each manifest of a component start where the one before it ends " +
			"(a failed or rolled-back attempt, marked by its outcome, is out of the chain).",
		Checklist: "Plan the order of the upgrades",
		example: `metadata:
  name: gitlab-17
spec:
  component: gitlab
  from: 16.11.10
  to: 17.11.7
  environment:
    postgresql: "14.14"
---
metadata:
  name: gitlab-18
spec:
  component: gitlab
  after: [gitlab-17]
  from: 17.11.7
  to: 18.2.8
  environment:
    postgresql: "16.9"       # nothing ordered in between upgrades PostgreSQL
`},
	{ID: UG802, Severity: Error, short: "ProviderNotOrderedBefore",
		Title:     "a stop needs an environment version that another manifest of the plan provides, but that manifest is not ordered before it with `after`",
		Help:      "Add the manifest that provides the version to spec.after, so that the plan runs it first.",
		Checklist: "Plan the order of the upgrades",
		example: `metadata:
  name: postgres-16
spec:
  component: postgresql
  from: "14.14"
  to: "16.9"
---
metadata:
  name: gitlab-18
spec:
  component: gitlab
  from: 17.11.7
  to: 18.2.8                 # needs PostgreSQL >= 16.5: add after: [postgres-16]
  environment:
    postgresql: "16.9"
`},
	{ID: UG803, Severity: Error, short: "BrokenOrder", fixed: true,
		fixedWhy:  "without a known order there is no plan: the environment along it and every other plan rule depend on the order",
		Title:     "`after` names no manifest, or the order has a cycle (the cycle is listed)",
		Help:      "Name an existing manifest's metadata.name in spec.after, and break the cycle: one of the manifests must come first.",
		Checklist: "Plan the order of the upgrades",
		example: `metadata:
  name: gitlab-18
spec:
  after: [postgres-16]       # no manifest is named postgres-16
`},
}}
