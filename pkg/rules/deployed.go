package rules

// The deployed rules (UG6xx): what the repository deploys (a policy's
// spec.deployed, manifest v1 section 6), compared with the component's
// manifests and, with a base, with the change itself. pkg/deployed reads the
// locations; pkg/check applies the rules.

// The deployed rules.
var (
	UG601 = ID{"UG601"}
	UG602 = ID{"UG602"}
	UG603 = ID{"UG603"}
	UG604 = ID{"UG604"}
	UG605 = ID{"UG605"}
	UG606 = ID{"UG606"}
	UG607 = ID{"UG607"}
	UG608 = ID{"UG608"}
)

var deployedRules = family{prefix: "UG6", tag: "deployed", title: "Deployed versions (UG6xx)", rules: []Rule{
	{ID: UG601, Severity: Error, short: "DeployedOffChain",
		Title:     "the repository deploys a version that is not on the component's chain although it lies within it, or is older than the chain's first `from`",
		Help:      "Add the manifest that brings production to the chain's first from, correct the manifests' from and to, or correct the deployed value.",
		Checklist: "Know what production runs",
		example: `# policy
spec:
  component: gitlab
  deployed:
    - file: deploy/gitlab/values.yaml   # global.gitlabVersion: 16.5.0
      key: global.gitlabVersion
# manifest
spec:
  component: gitlab
  from: 16.3.2                          # the chain is 16.3.2 -> 17.3.7: 16.5.0 is not on it
  to: 17.3.7
`},
	{ID: UG602, Severity: Error, short: "DeployedMoreThanOneStop",
		Title:     "the pull request changes the deployed version by more than one step of the route (old and new are on the chain but not consecutive): one change deploys one stop",
		Help:      "Deploy the next stop of the route in this pull request and the others in the pull requests that follow, so that each stop runs (and its migrations finish) before the next.",
		Checklist: "Follow the upgrade path: no required stop skipped",
		example: `# base: deploy/gitlab/values.yaml  image.tag: "15.4.6"
# head: deploy/gitlab/values.yaml  image.tag: "16.3.9"
# manifest
spec:
  from: 15.4.6
  path: [15.11.13]                      # 15.4.6 -> 15.11.13 -> 16.3.9: the change skips 15.11.13
  to: 16.3.9
`},
	{ID: UG603, Severity: Error, short: "DeployedWithoutManifest",
		Title:     "the pull request changes the deployed version and no manifest covers the change (an upgrade without a manifest); the hint gives the `upgradegate init` command and the next legal stop",
		Help:      "Add the manifest the hint's upgradegate init command writes (or correct the deployed value), and deploy the next legal stop first when the change skips a required one.",
		Checklist: "Plan the upgrade before carrying it out",
		example: `# base: deploy/gitlab/values.yaml  image.tag: "16.3.2"
# head: deploy/gitlab/values.yaml  image.tag: "17.3.7"   # a bot's bump: no manifest upgrades 16.3.2 -> 17.3.7
`},
	{ID: UG604, Severity: Error, fixed: true, short: "DeployedUnreadable",
		Title:     "a `deployed` location cannot be read, matches nothing, or its matches disagree (each one named with file:line)",
		Help:      "Correct the location in the policy, or the deployed file, so that every location of an environment gives the same version.",
		Checklist: "Know what production runs",
		example: `# policy
spec:
  deployed:
    - files: "k8s/**/*.yaml"
      image: registry.example.com/gitlab/webservice   # pinned by digest only: no version
`},
	{ID: UG605, Severity: Error, short: "EnvironmentNotDeployed",
		Title:     "a manifest that starts the plan has an `environment` value that matches neither the version the repository deploys for that component at the base nor the one at the head",
		Help:      "Write in environment the version the repository deploys for that component (or correct the deployed value).",
		Checklist: "Know what production runs",
		example: `# policy of postgresql
spec:
  component: postgresql
  deployed:
    - file: deploy/postgresql/values.yaml   # imageName: ghcr.io/cloudnative-pg/postgresql:13.16
      key: imageName
      match: ':(?P<version>[0-9.]+)$'
# manifest
spec:
  environment:
    postgresql: "14.11"                     # the repository deploys 13.16
`},
	{ID: UG606, Severity: Notice, short: "DeployedRollback",
		Title:     "the change goes back one step of the route: a rollback (covered by that manifest's rollback plan: no UG603)",
		Help:      "Follow the manifest's rollback plan, and record the outcome (outcome.result: rolled-back) once it is done.",
		Checklist: "Have a tested rollback plan",
		example: `# base: deploy/gitlab/values.yaml  image.tag: "16.3.9"
# head: deploy/gitlab/values.yaml  image.tag: "16.3.2"   # the route is 16.3.2 -> 16.3.9 -> ...
`},
	{ID: UG607, Severity: Error, fixed: true, short: "PolicyRelaxed",
		Title: "the pull request relaxes a policy it is checked against (compared with the base)",
		Help: "Have the policy's owners review the relaxation; to merge it, add an exception to the manifest approved by one of them. " +
			"The message lists each relaxation.",
		Checklist: "Consult the upgrade policy",
		example: `# policy at the base
spec:
  requiredStops:
    - version: 16.3.9
  checklist:
    UG502: error
---
# policy in the pull request
spec:
  requiredStops: []          # required stop 16.3.9 removed
  checklist:
    UG502: off               # UG502 turned off
`},
	{ID: UG608, Severity: Warning, fixed: true, short: "BaseUnreadable",
		Title:     "the base cannot be read",
		Help:      "Make the base readable: give actions/checkout fetch-depth: 2, or the job permissions: contents: read (the message says which).",
		Checklist: "Consult the upgrade policy",
		example: `# .github/workflows/upgradegate.yml
jobs:
  gate:
    steps:
      - uses: actions/checkout@v4     # fetch-depth 1: the merge commit's parent is missing
      - uses: upgradegate/upgradegate@v1
# and the job has no permissions: contents: read
`},
}}
