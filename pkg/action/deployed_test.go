package action

import (
	"strings"
	"testing"
)

// deployedPolicy is the harness's policy with the version pinned in Helm
// values.
const deployedPolicy = policyYAML + `  deployed:
    - file: deploy/values.yaml
      key: image.tag
`

func values(tag string) string {
	return "image:\n  repository: registry.example.com/app\n  tag: \"" + tag + "\"\n"
}

// A bot's pull request that changes only a Helm value, 1.1.0 to 2.1.0,
// deploys an upgrade no manifest covers and skips the required stop 2.0.0:
// UG603 on the values line, with the init command and the next legal stop.
// A pull request that takes one legal hop of its manifest's route passes.
func TestBinaryDeployedChange(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	h.write("policies/app.yaml", deployedPolicy)
	h.write("upgrades/app.yaml", realClock(manifestYAML(clean)))
	h.write("deploy/values.yaml", values("2.1.0"))
	h.checkoutMerge(map[string]string{"deploy/values.yaml": values("1.1.0")})
	h.gh.Files = []string{"deploy/values.yaml"}
	res := h.runBinary()
	if res.code != ExitFindings || !strings.Contains(res.stdout, "::error file=deploy/values.yaml,line=3,col=8,title=UG603::") {
		t.Fatalf("exit %d, want 1 with UG603 on the values line\nstdout:\n%s\nstderr:\n%s", res.code, res.stdout, res.stderr)
	}
	for _, want := range []string{"upgradegate init --policy policies/app.yaml --from 1.1.0 --to 2.1.0", "deploy 2.0.0 first, the next legal stop"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("UG603 lacks %q\nstdout:\n%s", want, res.stdout)
		}
	}

	// one legal hop of the manifest's route, 1.0.0 -> 2.0.0, with the manifest
	h.write("deploy/values.yaml", values("2.0.0"))
	h.checkoutMerge(map[string]string{"deploy/values.yaml": values("1.0.0")})
	h.gh.Files = []string{"deploy/values.yaml", "upgrades/app.yaml"}
	if res := h.runBinary(); res.code != ExitOK || strings.Contains(res.stdout, "UG60") {
		t.Errorf("one legal hop: exit %d, want 0 without UG60x\nstdout:\n%s", res.code, res.stdout)
	}
}
