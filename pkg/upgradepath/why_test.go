package upgradepath

import (
	"strings"
	"testing"
)

func TestWhyNamesTheRuleEachStopKeeps(t *testing.T) {
	series := Stop{Version: v("17.3"), Raw: "17.3", Series: true, Index: 2}
	cond := Stop{Version: v("16.7.0"), Raw: "16.7.0", Conditional: "only with Praefect", Index: 3}
	e := New(Rules{
		Stops:   append(append(stops("15.11.13", "16.3.9"), series), cond),
		MaxStep: MaxStep{Major: 1, HasMajor: true},
		Blocked: []Blocked{blockWhy(">= 17.3.0, < 17.4.0", ">= 18.0.0", "migrations need 17.5", 0)},
	})
	path := vs("15.11.13", "16.3.9", "16.7.10", "17.3.7", "17.5.0")
	got := e.Why(v("15.4.6"), v("18.1.0"), path)
	want := []struct {
		kind ViolationKind
		text string
	}{
		{Crossed, "required stop"},
		{Crossed, "required stop"},
		{Crossed, "required stop (conditional: only with Praefect)"},
		{Crossed, "required stop (latest 17.3 patch)"},
		{IsBlocked, `avoids a blocked hop (from ">= 17.3.0, < 17.4.0" to ">= 18.0.0"): migrations need 17.5`},
	}
	if len(got) != len(want) {
		t.Fatalf("Why: %d reasons, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Kind != w.kind || got[i].String() != w.text {
			t.Errorf("stop %s: %v %q, want %v %q", path[i].Original(), got[i].Kind, got[i].String(), w.kind, w.text)
		}
	}
}

func TestWhyMaxStepAndNoReason(t *testing.T) {
	e := New(Rules{MaxStep: MaxStep{Minor: 1, HasMinor: true}})
	got := e.Why(v("1.0.0"), v("1.2.0"), vs("1.1.0"))
	if got[0].Kind != ExceedsMaxStep || !strings.HasPrefix(got[0].String(), "maxStep: without it the hop ") {
		t.Errorf("Why(1.0 -> 1.1 -> 1.2, maxStep.minor 1) = %v %q", got[0].Kind, got[0].String())
	}
	// a stop the path does not need has no reason, and an earlier patch of
	// a required stop does not satisfy it
	e = New(Rules{Stops: stops("1.5.3")})
	got = e.Why(v("1.0.0"), v("2.0.0"), vs("1.2.0", "1.5.1", "1.5.4"))
	if got[0].Kind != 0 || got[0].String() != "" {
		t.Errorf("unneeded stop 1.2.0: %v %q, want no reason", got[0].Kind, got[0].String())
	}
	if got[1].Kind != 0 {
		t.Errorf("1.5.1 (before required 1.5.3): %v, want no reason", got[1].Kind)
	}
	if got[2].Kind != Crossed {
		t.Errorf("1.5.4 (a later patch of required 1.5.3): %v, want Crossed", got[2].Kind)
	}
	if len(e.Why(v("1.0.0"), v("2.0.0"), nil)) != 0 {
		t.Error("Why of a direct hop: want no reasons")
	}
}

func TestWhyGraphEdge(t *testing.T) {
	e := New(Rules{Graphs: []string{"g.json"}, Edges: []Edge{edge("4.15.3", "4.15.9"), edge("4.15.9", "4.16.2")}})
	got := e.Why(v("4.15.3"), v("4.16.2"), vs("4.15.9"))
	if got[0].Kind != NotAnEdge || got[0].String() != "update graph: no edge skips it" {
		t.Errorf("Why along a graph = %v %q", got[0].Kind, got[0].String())
	}
}
