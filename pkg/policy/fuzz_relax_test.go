package policy

import "testing"

// FuzzRelaxations compares two arbitrary policies: never a panic, every
// relaxation placed in the head policy.
func FuzzRelaxations(f *testing.F) {
	f.Add(relaxBase, relaxBase)
	f.Add(relaxBase, "apiVersion: upgradegate/v1\nkind: Policy\nmetadata: {name: app}\nspec:\n  component: app\n  compatibility:\n    - versions: \">= 0.0.0-a || < 99999999999\"\n      requires: {kubelet: {minor: [-8, 8]}}\n")
	f.Fuzz(func(t *testing.T, base, head string) {
		b, _, _ := Read("policies/app.yaml", []byte(base))
		h, _, _ := Read("policies/app.yaml", []byte(head))
		for _, r := range Relaxations(b, h) {
			if r.Pos.Line < 1 || r.Pos.Column < 1 || r.What == "" {
				t.Fatalf("relaxation without a place or a text: %+v", r)
			}
		}
	})
}
