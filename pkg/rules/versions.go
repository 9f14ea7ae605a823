package rules

// The version rules (UG1xx): versions and constraints that parse, and
// ascend. UG101 and UG105 are the decoders' (pkg/manifest, pkg/policy), the
// others pkg/check/versions.go's.

// The version rules.
var (
	UG101 = ID{"UG101"}
	UG102 = ID{"UG102"}
	UG103 = ID{"UG103"}
	UG104 = ID{"UG104"}
	UG105 = ID{"UG105"}
)

var versionRules = family{prefix: "UG1", tag: "versions", title: "Versions (UG1xx)", rules: []Rule{
	{ID: UG101, Severity: Error, fixed: true,
		Title:     "version cannot be parsed",
		Help:      "Write a semantic version such as 17.3.7 (a leading v is allowed).",
		Checklist: "Identify the scope of the upgrade",
		example: `spec:
  from: 16.3.2
  to: seventeen              # not a version
`},
	{ID: UG102, Severity: Error, fixed: true,
		Title:     "`to` is not greater than `from`",
		Help:      "spec.from is what production runs now and spec.to the target: the target must be newer.",
		Checklist: "Identify the scope of the upgrade",
		example: `spec:
  from: 17.3.7
  to: 16.11.10               # older than from
`},
	{ID: UG103, Severity: Error, fixed: true, short: "StopsNotAscending",
		Title:     "declared stops not strictly ascending between `from` and `to`",
		Help:      "List spec.path in ascending order, each stop newer than spec.from and older than spec.to.",
		Checklist: "Review the upgrade path",
		example: `spec:
  from: 16.3.2
  to: 17.3.7
  path: [16.11.10, 16.7.10]  # not ascending
`},
	{ID: UG104, Severity: Warning, short: "VersionNotReleased",
		Title:     "version not among the policy's `releases`",
		Help:      "Use a released version, or add it to the policy's releases.",
		Checklist: "Review the upgrade path",
		example: `# policy
spec:
  releases: [16.3.2, 16.3.9, 16.7.10, 16.11.10, 17.3.7]
---
spec:
  from: 16.3.2
  to: 17.3.7
  path: [16.3.9, 16.7.9, 16.11.10]   # 16.7.9 is not among the releases
`},
	{ID: UG105, Severity: Error, fixed: true, short: "InvalidConstraint",
		Title:     "policy constraint cannot be parsed",
		Help:      "Write a hashicorp/go-version constraint such as \">= 14.9, < 17\".",
		Checklist: "Review the upgrade path and associated policies",
		example: `# policy
spec:
  compatibility:
    - versions: ">= 17.0 and < 18.0"   # not a constraint: write ">= 17.0, < 18.0"
      requires:
        postgresql: ">= 14.9"
`},
}}
