package typo

import "testing"

func TestDistance(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"a", "", 1},
		{"rollbak", "rollback", 1},
		{"rollbcak", "rollback", 1},
		{"ab", "ba", 1},
		{"maxStop", "maxStep", 1},
		{"abc", "xyz", 3},
		{"", "abc", 3},
		{"abc", "", 3},
		{"component", "component", 0},
		{"compnent", "component", 1},   // deletion
		{"componennt", "component", 1}, // insertion
		{"componant", "component", 1},  // substitution
		{"compoennt", "component", 1},  // adjacent transposition
		{"UG250", "UG205", 1},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a transposed pair
		{"kitten", "sitting", 3},
		{"Port", "port", 1}, // case counts
		{"größe", "grösse", 2},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetric)", tt.b, tt.a, got, tt.want)
		}
	}
}
