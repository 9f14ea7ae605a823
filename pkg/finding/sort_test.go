package finding

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/upgradegate/upgradegate/pkg/rules"
)

// TestSortAsBefore: Sort and BySeverity order findings as sort.SliceStable
// with the field-by-field order of Less did (file, line, column, rule,
// Order, message; most severe first for BySeverity), ties kept in input
// order, duplicates dropped with the highest severity kept.
func TestSortAsBefore(t *testing.T) {
	t.Parallel()
	ids := []rules.ID{rules.UG001, rules.UG002, rules.UG101, rules.UG004}
	sevs := []Severity{Notice, Warning, Error}
	rng := rand.New(rand.NewPCG(3, 4))
	for round := 0; round < 50; round++ {
		var fs []Finding
		for i := 0; i < 300; i++ {
			f := New(ids[rng.IntN(len(ids))], fmt.Sprint("f", rng.IntN(3), ".yaml"), rng.IntN(4)+1, rng.IntN(3)+1,
				fmt.Sprint("m", rng.IntN(3)), fmt.Sprint("hint ", i)) // the hint tells ties apart
			f.Severity, f.Order = sevs[rng.IntN(len(sevs))], rng.IntN(2)
			fs = append(fs, f)
		}
		less := func(a, b Finding) bool {
			switch {
			case a.File != b.File:
				return a.File < b.File
			case a.Line != b.Line:
				return a.Line < b.Line
			case a.Column != b.Column:
				return a.Column < b.Column
			case a.Rule != b.Rule:
				return a.Rule.String() < b.Rule.String()
			case a.Order != b.Order:
				return a.Order < b.Order
			}
			return a.Message < b.Message
		}
		bySev := append([]Finding(nil), fs...)
		sort.SliceStable(bySev, func(i, j int) bool {
			if bySev[i].Severity != bySev[j].Severity {
				return bySev[i].Severity > bySev[j].Severity
			}
			return less(bySev[i], bySev[j])
		})
		if got := BySeverity(fs); fmt.Sprint(got) != fmt.Sprint(bySev) || fmt.Sprint(hints(got)) != fmt.Sprint(hints(bySev)) {
			t.Fatalf("round %d: BySeverity differs from the stable sort by severity and Less", round)
		}
		want := append([]Finding(nil), fs...)
		sort.SliceStable(want, func(i, j int) bool { return less(want[i], want[j]) })
		var dedup []Finding
		for _, f := range want {
			if n := len(dedup); n > 0 && dedup[n-1].Rule == f.Rule && dedup[n-1].File == f.File && dedup[n-1].Line == f.Line &&
				dedup[n-1].Column == f.Column && dedup[n-1].Message == f.Message {
				dedup[n-1].Severity = max(dedup[n-1].Severity, f.Severity)
				continue
			}
			dedup = append(dedup, f)
		}
		got := Sort(append([]Finding(nil), fs...))
		if fmt.Sprint(got) != fmt.Sprint(dedup) || fmt.Sprint(hints(got)) != fmt.Sprint(hints(dedup)) {
			t.Fatalf("round %d: Sort differs from the stable sort by Less", round)
		}
	}
}

func hints(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Hint)
	}
	return out
}
