package github

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	gh "github.com/google/go-github/v60/github"
)

// RepositoryID asks for the repository's numeric id (GET /repos/OWNER/NAME),
// which the environment secrets endpoint needs.
func (c *Client) RepositoryID(ctx context.Context) (int64, error) {
	r, _, err := c.gh.Repositories.Get(ctx, c.owner, c.repo)
	if err != nil {
		return 0, wrap(fmt.Sprintf("get repository %s/%s", c.owner, c.repo), err)
	}
	return r.GetID(), nil
}

// RepoSecretNames lists the repository's Actions secret names.
func (c *Client) RepoSecretNames(ctx context.Context) ([]string, error) {
	return c.secretNames("Actions secrets of "+c.owner+"/"+c.repo, func(o *gh.ListOptions) (*gh.Secrets, *gh.Response, error) {
		return c.gh.Actions.ListRepoSecrets(ctx, c.owner, c.repo, o)
	})
}

// OrgSecretNames lists the names of the organization secrets available to
// the repository.
func (c *Client) OrgSecretNames(ctx context.Context) ([]string, error) {
	return c.secretNames("organization secrets of "+c.owner+"/"+c.repo, func(o *gh.ListOptions) (*gh.Secrets, *gh.Response, error) {
		return c.gh.Actions.ListRepoOrgSecrets(ctx, c.owner, c.repo, o)
	})
}

// EnvSecretNames lists the secret names of environment env of the
// repository whose id is repoID. The name is sent as one escaped path
// segment.
func (c *Client) EnvSecretNames(ctx context.Context, repoID int64, env string) ([]string, error) {
	// ListEnvSecrets puts the name in the path as it is: escape it
	seg := envSegment(env)
	return c.secretNames(fmt.Sprintf("secrets of environment %q", env), func(o *gh.ListOptions) (*gh.Secrets, *gh.Response, error) {
		return c.gh.Actions.ListEnvSecrets(ctx, int(repoID), seg, o)
	})
}

// envSegment escapes an environment name for the request path. go-github
// puts it in the path as it is and then resolves the path against the base
// URL, which would drop a "." segment and climb one up for ".."; "/" and
// URL-special characters ("?", "#", "%") must be escaped too.
func envSegment(env string) string {
	s := url.PathEscape(env)
	if env == "." || env == ".." {
		s = strings.ReplaceAll(s, ".", "%2E")
	}
	return s
}

// secretNames reads every page of one listing, at most MaxSecretPages.
func (c *Client) secretNames(what string, call func(*gh.ListOptions) (*gh.Secrets, *gh.Response, error)) ([]string, error) {
	var names []string
	err := pages(MaxSecretPages, what, func(opt gh.ListOptions) (int, error) {
		list, resp, err := call(&opt)
		if err != nil {
			return 0, err
		}
		if list != nil {
			for _, s := range list.Secrets {
				if s != nil {
					names = append(names, s.Name)
				}
			}
		}
		return resp.NextPage, nil
	})
	if err != nil {
		return nil, wrap("list "+what, err)
	}
	return names, nil
}
