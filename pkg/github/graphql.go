package github

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
)

// GraphQLError is an answer of the GraphQL API that carries errors.
type GraphQLError struct {
	Messages []string
}

func (e *GraphQLError) Error() string {
	if len(e.Messages) == 0 {
		return "GraphQL answered with an error"
	}
	msg := e.Messages[0]
	if len(e.Messages) > 1 {
		msg += fmt.Sprintf(" (and %d more)", len(e.Messages)-1)
	}
	return "GraphQL: " + msg
}

// GraphQL posts query (with variables, which may be nil) to the GraphQL API
// beside the REST base (https://api.github.com/graphql, or
// https://HOST/api/graphql for GitHub Enterprise Server) and decodes the
// answer's data into out. It is bounded like every request of the client.
// An answer with errors is a *GraphQLError; op names the operation in errors
// ("ask who the token is").
func (c *Client) GraphQL(ctx context.Context, op, query string, variables map[string]any, out any) error {
	payload := map[string]any{"query": query}
	if variables != nil {
		payload["variables"] = variables
	}
	req, err := c.gh.NewRequest(http.MethodPost, c.graphQL, payload)
	if err != nil {
		return wrap(op, err)
	}
	var answer struct {
		Data   json.RawMessage `json:"data"`
		Errors []struct {
			Message string `json:"message"`
		} `json:"errors"`
	}
	if _, err := c.gh.Do(ctx, req, &answer); err != nil {
		return wrap(op, err)
	}
	if len(answer.Errors) > 0 {
		ge := &GraphQLError{}
		for _, e := range answer.Errors {
			ge.Messages = append(ge.Messages, e.Message)
		}
		return wrap(op, ge)
	}
	if out == nil || len(answer.Data) == 0 {
		return nil
	}
	if err := json.Unmarshal(answer.Data, out); err != nil {
		return wrap(op, fmt.Errorf("decode the answer's data: %w", err))
	}
	return nil
}
