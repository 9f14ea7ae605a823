package rules

// The deployed rules (UG6xx): what the repository deploys (a policy's
// spec.deployed, manifest v1 section 6), compared with the component's
// manifests and, with a base, with the change itself. pkg/deployed reads the
// locations; pkg/check applies the rules.

// The deployed rules.
var (
	UG601 = ID{"UG601"}
	UG604 = ID{"UG604"}
	UG605 = ID{"UG605"}
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
