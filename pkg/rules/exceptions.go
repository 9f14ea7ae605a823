package rules

// The exception rules (UG9xx): the exceptions themselves, which pkg/exception
// reports. They are fixed: an exception cannot excuse another.

// The exception rules.
var (
	UG901 = ID{"UG901"}
	UG902 = ID{"UG902"}
	UG903 = ID{"UG903"}
	UG904 = ID{"UG904"}
)

var exceptionRules = family{prefix: "UG9", tag: "exceptions", title: "Exceptions (UG9xx)", rules: []Rule{
	{ID: UG901, Severity: Error, fixed: true,
		Title:     "exception expired",
		Help:      "Renew the exception with a new approval, or fix the finding it covered.",
		Checklist: "Make note of any exceptions",
		example: `spec:                        # checked on 2026-12-20
  exceptions:
    - rule: UG502
      reason: rollback rehearsal scheduled after the window
      approvedBy: "@cto"
      expires: 2026-12-15
`},
	{ID: UG902, Severity: Warning, fixed: true,
		Title:     "exception matches no finding",
		Help:      "Remove the exception: nothing needs it any more.",
		Checklist: "Make note of any exceptions",
		example: `spec:
  rollback:
    steps: ["restore the 16.3.2 backup"]
    tested: true
  exceptions:
    - rule: UG502              # the rollback is tested: nothing to except
      reason: rollback rehearsal scheduled after the window
      approvedBy: "@cto"
      expires: 2026-12-15
`},
	{ID: UG903, Severity: Error, fixed: true, short: "IncompleteException",
		Title:     "exception lacks reason, approver or expiry",
		Help:      "Give every exception a reason, approvedBy and expires.",
		Checklist: "Make note of any exceptions",
		example: `spec:
  exceptions:
    - rule: UG502
      reason: rollback rehearsal scheduled after the window   # no approvedBy, no expires
`},
	{ID: UG904, Severity: Error, fixed: true, short: "ExceptionNotApproved",
		Title: "exception's approver has not approved the pull request",
		Help: "Ask the person or team in approvedBy for an approving review of the pull request; " +
			"an author cannot approve their own exception.",
		Checklist: "Make note of any exceptions",
		example: `spec:                        # pull request by @bob, approved by @carol
  exceptions:
    - rule: UG502
      reason: rollback rehearsal scheduled after the window
      approvedBy: "@cto"       # has not approved
      expires: 2026-12-15
`},
}}
