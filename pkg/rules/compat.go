package rules

// The compatibility rules (UG3xx): the environment against the policy's
// compatibility rows. Their checks are in pkg/check/compat.go.

// The compatibility rules.
var (
	UG301 = ID{"UG301"}
	UG302 = ID{"UG302"}
	UG303 = ID{"UG303"}
	UG304 = ID{"UG304"}
)

var compatRules = family{prefix: "UG3", tag: "compatibility", title: "Compatibility (UG3xx)", rules: []Rule{
	{ID: UG301, Severity: Error, short: "IncompatibleEnvironment",
		Title:     "environment version outside a `requires` constraint",
		Help:      "Upgrade the infrastructure component first, or choose a target the environment supports.",
		Checklist: "Consult the compatibility matrix",
		example: `# policy
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
`},
	{ID: UG302, Severity: Error, short: "EnvironmentComponentMissing",
		Title:     "`requires` names a component missing from `environment`",
		Help:      "Add the component's production version to spec.environment.",
		Checklist: "Consult the compatibility matrix",
		example: `# policy
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
`},
	{ID: UG303, Severity: Warning, short: "NoCompatibilityRow",
		Title:     "no compatibility row covers the version",
		Help:      "Add a compatibility row for the version to the policy, or pick a covered version.",
		Checklist: "Consult the compatibility matrix",
		example: `# policy
spec:
  compatibility:
    - versions: ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9"
---
spec:
  from: 17.3.7
  to: 18.0.1                 # no row covers 18.0.1
`},
	{ID: UG304, Severity: Warning, short: "UnsupportedToday",
		Title:     "the environment today is outside a row that covers `from`",
		Help:      "Production already runs an unsupported combination: upgrade the infrastructure component into the row, or record why with an exception.",
		Checklist: "Consult the compatibility matrix",
		example: `# policy
spec:
  compatibility:
    - versions: ">= 1.30, < 1.31"
      requires:
        kubelet: {minor: [-3, 0]}   # the kubelet may be up to 3 minors older
---
spec:
  component: kubernetes
  from: 1.30.6
  to: 1.31.2
  environment:
    kubelet: "1.26.9"        # 1.30 supports kubelets 1.27 to 1.30
`},
}}
