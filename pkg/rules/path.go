package rules

// The upgrade path rules (UG2xx): the hops of spec.path against the
// policy's required stops, maxStep and blocked hops, and against the edges
// of an imported update graph (UG207, UG208). Their checks are in
// pkg/check/path.go.

// The upgrade path rules.
var (
	UG201 = ID{"UG201"}
	UG202 = ID{"UG202"}
	UG203 = ID{"UG203"}
	UG204 = ID{"UG204"}
	UG205 = ID{"UG205"}
	UG206 = ID{"UG206"}
	UG207 = ID{"UG207"}
	UG208 = ID{"UG208"}
)

var pathRules = family{prefix: "UG2", tag: "upgrade-path", title: "Upgrade path (UG2xx)", rules: []Rule{
	{ID: UG201, Severity: Error,
		Title:     "required stop skipped (warning when the stop is conditional)",
		Help:      "Add the required stop to spec.path; the suggested path (UG204) shows a legal route.",
		Checklist: "Review the upgrade path",
		example: `# policy
spec:
  requiredStops:
    - version: 16.3.9
---
spec:
  from: 16.3.2
  to: 17.3.7                 # the hop 16.3.2 -> 17.3.7 crosses the required stop 16.3.9
`},
	{ID: UG202, Severity: Error,
		Title:     "hop exceeds `maxStep`",
		Help:      "Add intermediate stops so that no hop raises the version by more than the policy's maxStep.",
		Checklist: "Review the upgrade path and associated policies",
		example: `# policy
spec:
  maxStep: {major: 1}
---
spec:
  from: 15.11.13
  to: 17.3.7                 # one hop raises the major by 2
`},
	{ID: UG203, Severity: Error,
		Title:     "hop matches a `blocked` entry",
		Help:      "Route the upgrade around the blocked hop; the policy's reason and link say why it is blocked.",
		Checklist: "Make note of any exceptions along the upgrade path",
		example: `# policy
spec:
  blocked:
    - from: ">= 4.10.0, < 4.10.16"
      to: ">= 4.11.0"
      reason: "etcd corruption on upgrade"
---
spec:
  from: 4.10.3
  to: 4.11.2                 # the hop 4.10.3 -> 4.11.2 is blocked
`},
	{ID: UG204, Severity: Notice,
		Title:     "suggested path",
		Help:      "Copy the suggested stops into spec.path.",
		Checklist: "Review the upgrade path",
		example: `# policy
spec:
  releases: [16.3.2, 16.3.9, 16.7.10, 16.11.10, 17.3.7]
  requiredStops: [{version: 16.3.9}, {version: 16.7.10}, {version: 16.11.10}]
---
spec:
  from: 16.3.2
  to: 17.3.7                 # no spec.path: suggested 16.3.9, 16.7.10, 16.11.10
`},
	{ID: UG205, Severity: Error, short: "NoLegalPath",
		Title:     "no legal path exists among the known releases",
		Help:      "Add the missing releases to the policy, or upgrade to another target.",
		Checklist: "Review the upgrade path",
		example: `# policy
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
`},
	{ID: UG206, Severity: Error, short: "NoCompatibleRoute",
		Title:     "every legal route stops where the environment is unsupported",
		Help:      "Upgrade the named environment component first, then the component; or choose another target. The finding names the route that comes closest.",
		Checklist: "Review the upgrade path",
		example: `# policy
spec:
  releases: [16.11.10, 17.0.8, 17.3.7, 18.2.1]
  maxStep: {major: 1}
  compatibility:
    - versions: ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9"
---
spec:
  from: 16.11.10
  to: 18.2.1
  environment:
    postgresql: "13.14"      # every route stops in 17.x, which needs PostgreSQL >= 14.9
`},
	{ID: UG207, Severity: Error, short: "NotAnEdge",
		Title:     "a hop is not an edge of the imported update graph",
		Help:      "With an update graph (spec.import format cincinnati-graph), a hop is legal only along one of its edges: route the upgrade through the releases the graph's edges lead to (the hint lists them; the suggested path is one such route).",
		Checklist: "Review the upgrade path and associated policies",
		example: `# policy
spec:
  import:
    - {format: cincinnati-graph, file: vendor/ocp/stable-4.16.json}   # 4.15.3 has edges to 4.15.9, 4.16.2
---
spec:
  from: 4.15.3
  to: 4.16.8
  path: [4.16.0]             # 4.15.3 -> 4.16.0 is no edge of the graph
`},
	{ID: UG208, Severity: Warning, short: "ConditionalEdge",
		Title:     "a hop is a conditional edge of the graph: each risk named with its message and URL",
		Help:      "The vendor knows risks on this hop that apply to some clusters only: read each risk's message and link, and check that the cluster is not exposed, or route the upgrade around the hop.",
		Checklist: "Make note of any exceptions along the upgrade path",
		example: `# policy
spec:
  import:
    - {format: cincinnati-graph, file: vendor/ocp/stable-4.16.json}   # 4.15.3 -> 4.16.2 has the risk EtcdBug
---
spec:
  from: 4.15.3
  to: 4.16.2                 # a conditional edge
  path: []
`},
}}
