package fakegithub

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Review is a pull request review the server holds.
type Review struct {
	ID        int64
	Login     string
	State     string // APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING
	CommitID  string
	Submitted time.Time
}

// AddReview stores a review of pull request pr by login, after the ones it
// holds (the API lists reviews in chronological order), on commit.
func (s *Server) AddReview(pr int, login, state, commit string) Review {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextID++
	r := Review{ID: s.nextID, Login: login, State: state, CommitID: commit,
		Submitted: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(s.nextID) * time.Minute)}
	s.Reviews[pr] = append(s.Reviews[pr], r)
	return r
}

// DismissReview turns review id of pull request pr into a dismissed one, as
// GitHub does when a review is dismissed.
func (s *Server) DismissReview(pr int, id int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.Reviews[pr] {
		if s.Reviews[pr][i].ID == id {
			s.Reviews[pr][i].State = "DISMISSED"
		}
	}
}

func (r Review) json() map[string]any {
	return map[string]any{"id": r.ID, "user": map[string]any{"login": r.Login, "type": loginType(r.Login)},
		"state": r.State, "commit_id": r.CommitID, "submitted_at": r.Submitted.UTC().Format(time.RFC3339)}
}

// Issue is an issue the server holds.
type Issue struct {
	Number      int
	Title, Body string
	State       string // open or closed
	StateReason string // completed, not_planned, reopened or ""
	Login, Type string
	// PullRequest makes it a pull request, which the issues listing
	// includes as GitHub's does.
	PullRequest bool
}

// AddIssue stores an issue as if login had opened it (state "open" or
// "closed").
func (s *Server) AddIssue(login, title, body, state string) Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.addIssue(login, title, body, state)
}

func (s *Server) addIssue(login, title, body, state string) *Issue {
	s.nextIssue++
	is := &Issue{Number: s.nextIssue, Title: title, Body: body, State: state, Login: login, Type: loginType(login)}
	s.issues = append(s.issues, is)
	return is
}

// SetPullRequest makes issue n a pull request (the issues listing includes
// pull requests, as GitHub's does).
func (s *Server) SetPullRequest(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, is := range s.issues {
		if is.Number == n {
			is.PullRequest = true
		}
	}
}

// Issues returns the issues, oldest first.
func (s *Server) Issues() []Issue {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Issue, len(s.issues))
	for i, is := range s.issues {
		out[i] = *is
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number < out[j].Number })
	return out
}

func (is *Issue) json() map[string]any {
	m := map[string]any{
		"number": is.Number, "title": is.Title, "body": is.Body, "state": is.State,
		"html_url": fmt.Sprintf("https://github.test/o/r/issues/%d", is.Number),
		"user":     map[string]any{"login": is.Login, "type": is.Type},
	}
	if is.StateReason != "" {
		m["state_reason"] = is.StateReason
	}
	if is.PullRequest {
		m["pull_request"] = map[string]any{"url": fmt.Sprintf("https://github.test/o/r/pull/%d", is.Number)}
	}
	return m
}

// serveMore answers the reviews, teams and issues routes.
func (s *Server) serveMore(w http.ResponseWriter, r *http.Request, name string, parts []string, body []byte) {
	switch name {
	case ListReviews:
		pr, _ := strconv.Atoi(parts[2])
		s.mu.Lock()
		var list []any
		for _, rv := range s.Reviews[pr] {
			list = append(list, rv.json())
		}
		s.mu.Unlock()
		s.page(w, r, list)
	case Team:
		if _, ok := s.team(parts[0], parts[1]); !ok {
			writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"slug": parts[1], "name": parts[1]})
	case TeamMember:
		members, ok := s.team(parts[0], parts[1])
		if ok {
			for _, m := range members {
				if strings.EqualFold(m, parts[2]) {
					writeJSON(w, http.StatusOK, map[string]any{"state": "active", "role": "member"})
					return
				}
			}
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	case ListIssues:
		s.page(w, r, s.issuesJSON(r))
	case CreateIssue, EditIssue:
		if s.ReadOnly {
			forbidden(w)
			return
		}
		var in struct {
			Title       *string `json:"title"`
			Body        *string `json:"body"`
			State       *string `json:"state"`
			StateReason *string `json:"state_reason"`
		}
		if err := json.Unmarshal(body, &in); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"message": "Problems parsing JSON"})
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if name == CreateIssue {
			if in.Title == nil || *in.Title == "" {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"message": "Validation Failed"})
				return
			}
			is := s.addIssue(s.viewer(), *in.Title, deref(in.Body), "open")
			writeJSON(w, http.StatusCreated, is.json())
			return
		}
		n, _ := strconv.Atoi(parts[2])
		for _, is := range s.issues {
			if is.Number != n {
				continue
			}
			if in.Title != nil {
				is.Title = *in.Title
			}
			if in.Body != nil {
				is.Body = *in.Body
			}
			if in.State != nil {
				if is.State == "closed" && *in.State == "open" {
					is.StateReason = "reopened"
				}
				is.State = *in.State
			}
			if in.StateReason != nil {
				is.StateReason = *in.StateReason
			}
			writeJSON(w, http.StatusOK, is.json())
			return
		}
		writeJSON(w, http.StatusNotFound, map[string]string{"message": "Not Found"})
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (s *Server) team(org, slug string) ([]string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.Teams {
		if strings.EqualFold(k, org+"/"+slug) {
			return v, true
		}
	}
	return nil, false
}

// issuesJSON lists the issues as GET /repos/O/R/issues does: ?state= open
// (the default), closed or all; ?creator=LOGIN; ?direction= desc (the
// default) or asc, by creation.
func (s *Server) issuesJSON(r *http.Request) []any {
	q := r.URL.Query()
	state := q.Get("state")
	if state == "" {
		state = "open"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	list := append([]*Issue(nil), s.issues...)
	sort.Slice(list, func(i, j int) bool { return list[i].Number < list[j].Number })
	if q.Get("direction") != "asc" {
		for i, j := 0, len(list)-1; i < j; i, j = i+1, j-1 {
			list[i], list[j] = list[j], list[i]
		}
	}
	var out []any
	for _, is := range list {
		if state != "all" && is.State != state {
			continue
		}
		if c := q.Get("creator"); c != "" && !strings.EqualFold(c, is.Login) {
			continue
		}
		out = append(out, is.json())
	}
	return out
}
