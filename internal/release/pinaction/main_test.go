package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunPinsAtomicallyOrWritesNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	src := "runs:\n  using: docker\n  image: Dockerfile\n  args: [\"action\"]\n"
	if err := os.WriteFile("action.yml", []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"1.2.3"}); err == nil {
		t.Fatal("a tag without v: want an error")
	}
	if got, _ := os.ReadFile("action.yml"); string(got) != src {
		t.Fatalf("a failed pin changed action.yml:\n%s", got)
	}
	if err := run([]string{"v1.2.3"}); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile("action.yml")
	if !strings.Contains(string(got), "image: docker://ghcr.io/upgradegate/upgradegate:v1.2.3\n") {
		t.Errorf("pinned action.yml:\n%s", got)
	}
	if err := run([]string{"v1.2.4"}); err == nil {
		t.Error("pinning twice: want an error (no Dockerfile line left)")
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".action.yml.*"))
	if len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
