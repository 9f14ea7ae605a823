// Package typo measures how far apart two words are, for the "did you mean"
// suggestions of unknown fields, keys, stores, kinds and rule ids.
package typo

// Distance is the optimal-string-alignment edit distance between a and b:
// inserting, deleting or substituting a rune, or transposing two adjacent
// runes, costs one. It compares runes exactly; callers fold case first when
// case does not matter.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prevprev := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prevprev[j-2]+1)
			}
		}
		prevprev, prev, cur = prev, cur, prevprev
	}
	return prev[len(rb)]
}
