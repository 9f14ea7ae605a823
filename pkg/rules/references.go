package rules

// The reference rules (UG4xx): the config files, secrets and documentation
// a manifest names. pkg/refs checks them.

// The reference rules.
var (
	UG401 = ID{"UG401"}
	UG402 = ID{"UG402"}
	UG403 = ID{"UG403"}
	UG411 = ID{"UG411"}
	UG412 = ID{"UG412"}
	UG421 = ID{"UG421"}
	UG422 = ID{"UG422"}
)

var referenceRules = family{prefix: "UG4", tag: "references", title: "Config, secrets and documentation (UG4xx)", rules: []Rule{
	{ID: UG401, Severity: Error,
		Title:     "config file missing",
		Help:      "Create the file or correct spec.config[].file (a repository path).",
		Checklist: "Check configuration",
		example: `spec:
  config:
    - file: deploy/values.yaml   # not in the repository
      key: global.psql.pool
`},
	{ID: UG402, Severity: Error,
		Title:     "config key missing (or present when `expect: absent`)",
		Help:      "Set the key the new version needs, or remove the key it no longer accepts.",
		Checklist: "Check configuration",
		example: `spec:
  config:
    - file: deploy/values.yaml   # exists, but has no global.psql.pool
      key: global.psql.pool
`},
	{ID: UG403, Severity: Error,
		Title:     "config file cannot be parsed",
		Help:      "Fix the syntax of the config file at the position given.",
		Checklist: "Check configuration",
		example: `spec:
  config:
    - file: deploy/app.toml      # not valid TOML
      key: server.port
`},
	{ID: UG411, Severity: Error,
		Title:     "secret missing",
		Help:      "Create the secret in its store before the upgrade starts.",
		Checklist: "Access secrets",
		example: `spec:
  secrets:
    - name: DB_ROOT_PASSWORD
      store: env                 # unset or empty in the gate's environment
`},
	{ID: UG412, Severity: Warning,
		Title:     "secret store cannot be asked",
		Help:      "Give the gate credentials that may read secret names (see the README's secret stores section).",
		Checklist: "Access secrets",
		example: `spec:
  secrets:
    - name: DB_ROOT_PASSWORD
      store: github              # the token may not list the repository's secret names
`},
	{ID: UG421, Severity: Error,
		Title:     "documentation file missing",
		Help:      "Write the runbook or correct spec.docs.",
		Checklist: "Update documentation",
		example: `spec:
  docs: [docs/runbooks/gitlab.md]   # no such file
`},
	{ID: UG422, Severity: Warning, short: "DocumentationNotUpdated",
		Title:     "documentation not changed in the pull request",
		Help:      "Update the listed documentation in the same pull request.",
		Checklist: "Update documentation",
		example: `spec:
  docs: [docs/runbooks/gitlab.md]   # exists, but the pull request does not change it
`},
}}
