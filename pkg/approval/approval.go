// Package approval says who approved a pull request, for the approval rules
// (UG518: required approvals; UG904: an exception's approver). The Action
// reads it from the pull request's reviews (FromReviews), the command line
// from --approved-by (Given); when neither can tell, the set is Unknown and
// says why, and the rules warn instead of passing. A run that does not judge
// approvals at all (a push after the merge: the pull request's run judged
// them) has a NotJudged set, and the rules are left out.
package approval

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/upgradegate/upgradegate/pkg/internal/memo"
)

// Review is one review of the pull request, as the API lists them
// (chronologically).
type Review struct {
	Login string
	State string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED or PENDING
}

// MemberFunc reports whether login is an active member of team org/slug.
type MemberFunc func(ctx context.Context, org, slug, login string) (bool, error)

// Set is who approved one pull request. The zero value knows nothing (as
// Unknown with no reason). A Set is safe for concurrent use.
type Set struct {
	known bool
	why   string
	// notJudged leaves the approval rules out (NotJudged); asked records
	// that a rule would have applied (Skipped)
	notJudged bool
	asked     atomic.Bool
	// by says where the approvals come from, for messages: "the reviews
	// of pull request #7", "--approved-by".
	by     string
	author string
	people map[string]bool // approvers, lower-cased logins without "@"
	teams  map[string]bool // teams named as approving (--approved-by @org/team)
	// member reads team membership; nil when it cannot be read, and
	// memberWhy says why
	member    MemberFunc
	memberWhy string
	cache     memo.Map[string, bool]
	teamErrs  sync.Map // team -> the error reading its membership

	// load, when set, makes the set on first use (Deferred)
	once sync.Once
	load func() *Set
	real *Set
}

// Deferred is a set made by load the first time a rule asks (reading a pull
// request's reviews only when a manifest needs them), once, whatever the
// goroutines asking.
func Deferred(load func() *Set) *Set { return &Set{load: load} }

// get returns the set itself, made first when deferred.
func (s *Set) get() *Set {
	if s == nil || s.load == nil {
		return s
	}
	s.once.Do(func() {
		s.real = s.load()
		if s.real == nil {
			s.real = Unknown("")
		}
	})
	return s.real
}

// Unknown is a set that cannot tell who approved: why says what is missing
// ("no token", "the command line was given no --approved-by").
func Unknown(why string) *Set { return &Set{why: why} }

// FromReviews reduces a pull request's reviews (in the API's chronological
// order) to its approvers: per person, the latest review that is APPROVED or
// CHANGES_REQUESTED decides (a later COMMENTED one changes nothing; a
// DISMISSED review, dismissed after the fact, leaves the person with no
// decision and never counts), whichever commit it reviewed. The author's own
// reviews never count. member reads team membership (nil: it cannot be
// read, memberWhy says why). by names the source for messages.
func FromReviews(by, author string, reviews []Review, member MemberFunc, memberWhy string) *Set {
	s := &Set{known: true, by: by, author: norm(author), people: map[string]bool{}, teams: map[string]bool{},
		member: member, memberWhy: memberWhy}
	state := map[string]string{}
	var order []string
	for _, r := range reviews {
		who := norm(r.Login)
		if who == "" || who == s.author {
			continue
		}
		st := strings.ToUpper(r.State)
		if st != "APPROVED" && st != "CHANGES_REQUESTED" && st != "DISMISSED" {
			continue // COMMENTED, PENDING: no decision
		}
		if _, seen := state[who]; !seen {
			order = append(order, who)
		}
		if st == "DISMISSED" {
			st = ""
		}
		state[who] = st
	}
	for _, who := range order {
		if state[who] == "APPROVED" {
			s.people[who] = true
		}
	}
	return s
}

// namePattern is a login (@alice, a bot's app[bot]) or a team (@org/team).
var namePattern = regexp.MustCompile(`^@?[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[bot\])?(?:/[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)?$`)

// Given is the set the command line names: people (@alice) and teams
// (@org/team) taken as having approved, separated by commas or given one per
// flag. A team named counts as one approval from that team; a team not named
// has not approved (the people named are not taken for its members).
func Given(names []string) (*Set, error) {
	s := &Set{known: true, by: "--approved-by", people: map[string]bool{}, teams: map[string]bool{},
		member: func(context.Context, string, string, string) (bool, error) { return false, nil }}
	for _, arg := range names {
		for _, n := range strings.Split(arg, ",") {
			n = strings.TrimSpace(n)
			if n == "" {
				continue
			}
			if !namePattern.MatchString(n) {
				return nil, fmt.Errorf("--approved-by %q: expected @login or @org/team", n)
			}
			if strings.Contains(n, "/") {
				s.teams[norm(n)] = true
			} else {
				s.people[norm(n)] = true
			}
		}
	}
	return s, nil
}

// NotJudged is the set of a run that does not judge approvals: the rules
// are left out rather than warned about, and why says so (the Action says it
// once, when Skipped). For a run about no pull request whose approvals were
// judged elsewhere: a push after the merge.
func NotJudged(why string) *Set { return &Set{why: why, notJudged: true} }

// Judged reports whether the approval rules are judged with the set: every
// set but a NotJudged one (nil, the command line without --approved-by,
// included). Asking a NotJudged set records that a rule would have applied.
func (s *Set) Judged() bool {
	if s == nil || !s.notJudged {
		return true
	}
	s.asked.Store(true)
	return false
}

// Skipped reports whether a rule would have applied but the set is NotJudged.
func (s *Set) Skipped() bool { return s != nil && s.notJudged && s.asked.Load() }

// Known reports whether the set can tell who approved; Why says why not.
func (s *Set) Known() bool {
	s = s.get()
	return s != nil && s.known
}

// Why is the reason the set is unknown.
func (s *Set) Why() string {
	s = s.get()
	if s == nil || s.why == "" {
		return "the approvals were not read"
	}
	return s.why
}

// Source names where the approvals come from.
func (s *Set) Source() string { return s.get().by }

// Author is the pull request's author (lower-cased, no "@"), "" when unknown.
func (s *Set) Author() string { return s.get().author }

// Approvers lists the approvers as "@login" (and, from --approved-by, the
// teams named), sorted.
func (s *Set) Approvers() []string {
	s = s.get()
	var out []string
	for p := range s.people {
		out = append(out, "@"+p)
	}
	for t := range s.teams {
		out = append(out, "@"+t)
	}
	sort.Strings(out)
	return out
}

// Tally is how far a requirement is met.
type Tally struct {
	// By are the approvals that count, "@login" or "@org/team", sorted.
	By []string
	// Unread are the reasons some could not be told (a team whose
	// membership cannot be read, a team that does not exist), one per team.
	Unread []string
}

// Count counts the approvers who match one of from ("@login", "@org/team";
// empty: anyone), each once. A team matches its members when membership can
// be read, and itself when --approved-by named it.
func (s *Set) Count(ctx context.Context, from []string) Tally {
	s = s.get()
	var t Tally
	if !s.Known() {
		return t
	}
	var people, teams []string
	for _, f := range from {
		if n := norm(f); strings.Contains(n, "/") {
			teams = append(teams, n)
		} else if n != "" {
			people = append(people, n)
		}
	}
	unread := map[string]string{}
	for p := range s.people {
		if len(from) == 0 || contains(people, p) {
			t.By = append(t.By, "@"+p)
			continue
		}
		for _, team := range teams {
			ok, err := s.inTeam(ctx, team, p)
			if err != nil {
				unread[team] = err.Error()
				continue
			}
			if ok {
				t.By = append(t.By, "@"+p)
				break
			}
		}
	}
	for team := range s.teams {
		if len(from) == 0 || contains(teams, team) {
			t.By = append(t.By, "@"+team)
		}
	}
	for _, why := range unread {
		t.Unread = append(t.Unread, why)
	}
	sort.Strings(t.By)
	sort.Strings(t.Unread)
	return t
}

// Approved reports whether who ("@login" or "@org/team") approved: the
// person, or a member of the team (or the team itself, named by
// --approved-by). The author never approves: ErrAuthor. err is also set when
// a team's membership cannot be read.
func (s *Set) Approved(ctx context.Context, who string) (bool, error) {
	s = s.get()
	n := norm(who)
	if !s.Known() || n == "" {
		return false, nil
	}
	if !strings.Contains(n, "/") {
		if s.author != "" && n == s.author {
			return false, ErrAuthor
		}
		return s.people[n], nil
	}
	if s.teams[n] {
		return true, nil
	}
	var errs []error
	for p := range s.people {
		ok, err := s.inTeam(ctx, n, p)
		if err != nil {
			errs = append(errs, err)
			break // one reason per team is enough
		}
		if ok {
			return true, nil
		}
	}
	return false, errors.Join(errs...)
}

// ErrAuthor is the pull request's author named as an approver.
var ErrAuthor = errors.New("the pull request's author cannot approve their own change")

// inTeam asks, once per team and person, whether login is in team.
func (s *Set) inTeam(ctx context.Context, team, login string) (bool, error) {
	if s.member == nil {
		return false, fmt.Errorf("cannot tell who is in team @%s: %s", team, s.memberWhy)
	}
	if err, ok := s.teamErrs.Load(team); ok {
		return false, err.(error) // one refusal per team: the others would be the same
	}
	org, slug, _ := strings.Cut(team, "/")
	ok, err := s.cache.Get(team+"\x00"+login, func() (bool, error) {
		return s.member(ctx, org, slug, login)
	})
	if err != nil {
		s.teamErrs.LoadOrStore(team, err)
	}
	return ok, err
}

// norm lower-cases a name and drops its "@".
func norm(s string) string { return strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), "@")) }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
