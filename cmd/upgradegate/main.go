// Command upgradegate gates software-upgrade pull requests: it checks upgrade
// manifests against their policies and the production-upgrade checklist.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/upgradegate/upgradegate/pkg/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	os.Exit(code)
}
