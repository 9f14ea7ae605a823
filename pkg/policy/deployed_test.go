package policy

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDecodeDeployed(t *testing.T) {
	t.Parallel()
	p, got := parse(t, head+`  deployed:
    - file: deploy/values.yaml
      key: dependencies[name=gitlab].version
    - files: "k8s/**/*.yaml"
      image: registry.example.com/gitlab/webservice
      match: '^v?(?P<version>\d+\.\d+\.\d+)-ee$'
      environment: staging
    - file: terraform/gitlab.tf
      pattern: 'gitlab_version\s*=\s*"(?P<version>[^"]+)"'
`)
	sameFindings(t, got, nil)
	if len(p.Deployed) != 3 {
		t.Fatalf("got %d locations, want 3", len(p.Deployed))
	}
	type loc struct {
		Where, Kind, Env string
		Line, Column     int
	}
	var locs []loc
	for _, l := range p.Deployed {
		locs = append(locs, loc{l.Where(), l.Kind(), l.Env(), l.Pos.Line, l.Pos.Column})
	}
	want := []loc{
		{"deploy/values.yaml", "key", "production", 7, 7},
		{"k8s/**/*.yaml", "image", "staging", 9, 7},
		{"terraform/gitlab.tf", "pattern", "production", 13, 7},
	}
	if diff := cmp.Diff(want, locs); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if p.Deployed[1].Image != "registry.example.com/gitlab/webservice" || p.Deployed[1].Match == nil {
		t.Errorf("image location = %+v", p.Deployed[1])
	}
}

func TestDecodeDeployedErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, entry string
		want        []string
	}{
		{"no version group", "    - file: a.tf\n      pattern: 'v = (\\d+)'\n",
			[]string{`p.yaml:8:16: error: pattern "v = (\\d+)" has no group named version [UG004]`}},
		{"bad match", "    - file: a.yaml\n      key: a\n      match: '(?P<version>'\n",
			[]string{"p.yaml:9:14: error: match \"(?P<version>\" is not a valid regex: error parsing regexp: missing closing ): `(?P<version>` [UG004]"}},
		{"unknown field", "    - file: a.yaml\n      key: a\n      tag: x\n",
			[]string{`p.yaml:9:7: error: unknown field "tag" in spec.deployed[0] [UG002]`}},
		{"file and files", "    - file: a.yaml\n      files: '*.yaml'\n      key: a\n",
			[]string{`p.yaml:8:14: error: a deployed location has both file and files [UG004]`}},
		{"key and image", "    - file: a.yaml\n      key: a\n      image: postgres\n",
			[]string{`p.yaml:9:14: error: a deployed location has both key and image [UG004]`}},
		{"no finder", "    - file: a.yaml\n",
			[]string{`p.yaml:7:7: error: spec.deployed[0].key is missing [UG003]`}},
		{"no file", "    - key: a\n",
			[]string{`p.yaml:7:7: error: spec.deployed[0].file is missing [UG003]`}},
		{"image with tag", "    - file: a.yaml\n      image: postgres:13\n",
			[]string{`p.yaml:8:14: error: image "postgres:13" has a tag: write the repository only (the tag is the version the gate reads) [UG004]`}},
		{"bad selector", "    - file: a.yaml\n      key: 'a[name=]'\n",
			[]string{`p.yaml:8:12: error: invalid key "a[name=]" at character 8: a selector needs a value after '=': write [name=web] [UG004]`}},
		{"outside", "    - file: ../x.yaml\n      key: a\n",
			[]string{`p.yaml:7:13: error: deployed file "../x.yaml" leaves the repository [UG006]`}},
		{"bad glob", "    - files: 'k8s/[a'\n      key: a\n",
			[]string{`p.yaml:7:14: error: files "k8s/[a" is not a valid glob [UG004]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, got := parse(t, head+"  deployed:\n"+tt.entry)
			sameFindings(t, got, tt.want)
			if len(p.Deployed) != 0 && tt.name != "unknown field" {
				t.Errorf("a bad location was kept: %+v", p.Deployed)
			}
			if !p.Broken {
				t.Error("a policy with a bad location is not broken")
			}
		})
	}
}
