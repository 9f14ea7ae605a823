// Package exception reads the exceptions of manifests and policies and applies
// them to findings: a matching, approved, unexpired exception suppresses a
// finding (it is reported but never fails the run).
package exception

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/upgradegate/upgradegate/pkg/approval"
	"github.com/upgradegate/upgradegate/pkg/finding"
	"github.com/upgradegate/upgradegate/pkg/rules"
	"github.com/upgradegate/upgradegate/pkg/yamldoc"
)

// Fields are the keys an exception may have.
var Fields = []string{"rule", "match", "reason", "approvedBy", "expires"}

// Exception is one declared exception.
type Exception struct {
	File       string
	Path       string // node path, e.g. spec.exceptions[0]
	Pos        yamldoc.Pos
	Rule       string   // as written
	ID         rules.ID // the rule, when the catalog has it
	Match      string
	Reason     string
	ApprovedBy string
	Expires    time.Time // zero when missing or invalid
	// ExpiresDateOnly is true when expires was a plain date: the exception
	// then holds through the end of that day (UTC).
	ExpiresDateOnly bool
	// Valid is false when the exception lacks a field or names a rule that
	// cannot be excepted; an invalid exception suppresses nothing.
	Valid bool
	Loc   yamldoc.Locations // positions of its fields (shared with its document)
}

// Decode reads the list of exceptions at path.
func Decode(d *yamldoc.Decoder, path string, n *yaml.Node) []*Exception {
	var out []*Exception
	d.Sequence(path, n, func(i int, p string, v *yaml.Node) {
		e := &Exception{File: d.File, Path: p, Pos: d.Loc.Locate(p), Loc: d.Loc, Valid: true}
		var expires string
		d.Mapping(p, v, Fields, func(key, kp string, v *yaml.Node) {
			s, _ := d.String(kp, v)
			switch key {
			case "rule":
				e.Rule = s
			case "match":
				e.Match = s
			case "reason":
				e.Reason = strings.TrimSpace(s)
			case "approvedBy":
				e.ApprovedBy = strings.TrimSpace(s)
			case "expires":
				expires = s
			}
		})
		if !yamldoc.IsNull(v) && v.Kind != yaml.MappingNode {
			return
		}
		if e.Rule == "" {
			d.Report(rules.UG003, yamldoc.Join(p, "rule"), "name the rule the exception is for, like UG502",
				"exception has no rule")
			e.Valid = false
		} else if id, ok := rules.Lookup(e.Rule); !ok || id.String() != e.Rule {
			// ids are written exactly as the catalog spells them: ug502
			// and " UG502" name no rule, though Lookup would read them
			msg := fmt.Sprintf("exception names unknown rule %q", e.Rule)
			if ok {
				msg += fmt.Sprintf("; did you mean %q?", id)
			} else if near, ok := rules.Nearest(e.Rule); ok {
				msg += fmt.Sprintf("; did you mean %q?", near)
			}
			d.Invalid(yamldoc.Join(p, "rule"), "`upgradegate explain` lists the rules", "%s", msg)
			e.Valid = false
		} else if e.ID = id; !id.Rule().Configurable() {
			d.Invalid(yamldoc.Join(p, "rule"), "rules "+rules.FixedList()+" guard the gate itself and cannot be excepted",
				"rule %s cannot be excepted", id)
			e.Valid = false
		}
		if expires != "" {
			t, err := yamldoc.ParseTime(expires)
			if err != nil {
				d.Invalid(yamldoc.Join(p, "expires"), "", "%v", err)
			} else {
				e.Expires, e.ExpiresDateOnly = t, yamldoc.IsDateOnly(expires)
			}
		}
		var missing []string
		if e.Reason == "" {
			missing = append(missing, "reason")
		}
		if e.ApprovedBy == "" {
			missing = append(missing, "approvedBy")
		}
		if expires == "" {
			missing = append(missing, "expires")
		}
		if len(missing) > 0 {
			d.Report(rules.UG903, p, "an exception needs a reason, an approver (approvedBy) and an expiry date (expires)",
				"exception for %s lacks %s", orAny(e.Rule), andJoin(missing))
			e.Valid = false
		}
		if e.Expires.IsZero() {
			e.Valid = false
		}
		out = append(out, e)
	})
	return out
}

func orAny(rule string) string {
	if rule == "" {
		return "a rule"
	}
	return rule
}

// End is the instant the exception stops holding.
func (e *Exception) End() time.Time {
	if e.ExpiresDateOnly {
		return e.Expires.Add(24 * time.Hour)
	}
	return e.Expires
}

// Expired reports whether the exception no longer holds at now.
func (e *Exception) Expired(now time.Time) bool {
	return !e.Expires.IsZero() && !now.Before(e.End())
}

// Matches reports whether the exception covers the finding.
func (e *Exception) Matches(f finding.Finding) bool {
	return e.ID != rules.ID{} && f.Rule == e.ID && (e.Match == "" || strings.Contains(f.Message, e.Match))
}

// Suppress marks the findings that valid, unexpired exceptions match as
// suppressed, and adds to used[i] how many findings exception i matched
// (expired ones count what they would have matched). Findings of rules that
// cannot be excepted are never suppressed.
func Suppress(fs []finding.Finding, excs []*Exception, used []int, now time.Time) {
	for i, e := range excs {
		if !e.Valid {
			continue
		}
		expired := e.Expired(now)
		for j := range fs {
			f := &fs[j]
			if !e.Matches(*f) {
				continue
			}
			used[i]++
			if expired || f.Suppressed {
				continue
			}
			f.Suppressed = true
			f.SuppressedBy = fmt.Sprintf("exception at %s:%d (%s; approved by %s; expires %s)",
				e.File, e.Pos.Line, e.Reason, e.ApprovedBy, e.Expires.Format("2006-01-02"))
		}
	}
}

// Audit returns UG901 for expired exceptions and UG902 for valid ones that
// matched nothing (used as filled by Suppress).
func Audit(excs []*Exception, used []int, now time.Time) []finding.Finding {
	var fs []finding.Finding
	for i, e := range excs {
		if !e.Valid {
			continue
		}
		switch {
		case e.Expired(now):
			node := yamldoc.Join(e.Path, "expires")
			p := e.Loc.Locate(node)
			f := finding.New(rules.UG901, e.File, p.Line, p.Column,
				fmt.Sprintf("exception for %s expired on %s", e.Rule, e.Expires.Format("2006-01-02")),
				"renew the exception with a new approval and expiry, or fix the findings it covered")
			f.Node = node
			fs = append(fs, f)
		case used[i] == 0:
			p := e.Pos
			what := e.Rule
			if e.Match != "" {
				what += fmt.Sprintf(" matching %q", e.Match)
			}
			f := finding.New(rules.UG902, e.File, p.Line, p.Column,
				fmt.Sprintf("exception for %s matches no finding", what), rules.UG902.Rule().Hint())
			f.Node = e.Path
			fs = append(fs, f)
		}
	}
	return fs
}

// andJoin joins "a", "b", "c" as "a, b and c".
func andJoin(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// CheckApproved returns UG904 for each valid exception whose approvedBy
// has not approved the pull request (an error; the author is never an
// approver), and a UG904 warning, saying why, for each whose approval
// cannot be told: the approvals are unknown, or a team's membership cannot
// be read.
func CheckApproved(ctx context.Context, excs []*Exception, set *approval.Set) []finding.Finding {
	var fs []finding.Finding
	for _, e := range excs {
		if !e.Valid || e.ApprovedBy == "" {
			continue
		}
		node := yamldoc.Join(e.Path, "approvedBy")
		p := e.Loc.Locate(node)
		add := func(sev finding.Severity, hint, format string, args ...any) {
			f := finding.New(rules.UG904, e.File, p.Line, p.Column, fmt.Sprintf(format, args...), hint)
			f.Severity, f.Node = sev, node
			fs = append(fs, f)
		}
		who := e.ApprovedBy
		if !set.Known() {
			add(finding.Warning, "", "cannot tell whether %s approved the pull request for the exception for %s: %s",
				who, e.Rule, set.Why())
			continue
		}
		ok, err := set.Approved(ctx, who)
		switch {
		case errors.Is(err, approval.ErrAuthor):
			add(finding.Error, "ask someone else to approve the exception and name them in approvedBy",
				"exception for %s names %s as its approver, the pull request's author: an author cannot approve their own exception",
				e.Rule, who)
		case ok:
		case err != nil:
			add(finding.Warning, "", "cannot tell whether %s approved the pull request for the exception for %s: %v",
				who, e.Rule, err)
		default:
			add(finding.Error, fmt.Sprintf("ask %s for an approving review of the pull request", who),
				"exception for %s is approved by %s, who has not approved the pull request (approvals from %s: %s)",
				e.Rule, who, set.Source(), orNone(set.Approvers()))
		}
	}
	return fs
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
