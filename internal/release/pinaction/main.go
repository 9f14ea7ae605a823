// Command pinaction rewrites action.yml in the current directory so that it
// pulls the prebuilt image of a release tag instead of building the
// Dockerfile, and prints the moving tags to update (the release workflow's
// "pin" job: `go run ./internal/release/pinaction v1.2.3`). The file is
// replaced atomically; on any error nothing is written and the exit code is 1.
package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/upgradegate/upgradegate/internal/release"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pinaction:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: pinaction TAG")
	}
	const file = "action.yml"
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	out, err := release.PinImage(data, args[0])
	if err != nil {
		return err
	}
	major, minor, err := release.MajorMinor(args[0])
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".action.yml.*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(out); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	fmt.Println(major, minor)
	return nil
}
