package rules

// The input rules (UG0xx): a file that cannot be read as a manifest or a
// policy. The decoders report them (pkg/yamldoc, pkg/manifest, pkg/policy,
// pkg/check for files and policies). They are fixed (see Configurable):
// every later rule needs what they guard.

// The input rules.
var (
	UG001 = ID{"UG001"}
	UG002 = ID{"UG002"}
	UG003 = ID{"UG003"}
	UG004 = ID{"UG004"}
	UG005 = ID{"UG005"}
	UG006 = ID{"UG006"}
)

// Input reports whether id is one of the input rules (UG0xx): the file it
// is about could not be read as a manifest or a policy.
func (id ID) Input() bool {
	for _, r := range inputRules.rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

var inputRules = family{prefix: "UG0", tag: "input", title: "Input (UG0xx)", rules: []Rule{
	{ID: UG001, Severity: Error, fixed: true, short: "YAMLSyntaxError",
		Title: "YAML syntax error, invalid UTF-8, or a duplicate mapping key",
		Help:  "Fix the YAML at the position given; the file is not checked further until it parses.",
		example: `kind: Upgrade
spec:
  component: gitlab
  component: gitaly          # duplicate mapping key
`},
	{ID: UG002, Severity: Error, fixed: true,
		Title: "unknown field",
		Help:  "Remove the field or correct its name; the message suggests the nearest known one.",
		example: `spec:
  compnent: gitlab           # unknown field: did you mean "component"?
`},
	{ID: UG003, Severity: Error, fixed: true,
		Title: "required field missing",
		Help:  "Add the field: apiVersion, kind, spec.component, spec.from and spec.to are required.",
		example: `apiVersion: upgradegate/v1
kind: Upgrade
metadata:
  name: gitlab-17-3
spec:
  component: gitlab
  from: 16.3.2               # spec.to is missing
`},
	{ID: UG004, Severity: Error, fixed: true,
		Title: "invalid value",
		Help:  "Use a value of the documented type: dates as YYYY-MM-DD, windows as RFC 3339, durations like 45m or 14d, URLs with http(s)://.",
		example: `spec:
  impact:
    downtime: 45 minutes     # not a duration: write 45m
`},
	{ID: UG005, Severity: Error, fixed: true, short: "PolicyUnreadable",
		Title: "referenced policy cannot be read or is invalid",
		Help:  "Point spec.policy at a readable kind: Policy file, relative to the manifest, and fix the policy's own findings.",
		example: `spec:
  policy: ../policies/gitlab.yaml   # no such file, or not a valid kind: Policy
`},
	{ID: UG006, Severity: Error, fixed: true, short: "FileOutsideRepository",
		Title: "a file reference leaves the repository",
		Help:  "Use a path relative to the referring file that stays inside the repository: no '..' above the root, no absolute path, no symlink out.",
		example: `spec:
  policy: /etc/upgradegate/gitlab.yaml   # absolute path
`},
}}
