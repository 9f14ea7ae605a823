// Command upgradegate gates software-upgrade pull requests: it checks upgrade
// manifests against their policies and the production-upgrade checklist.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/pprof"
	"runtime/trace"
	"syscall"
	_ "time/tzdata" // IANA zones for maintenance periods and freezes: the container has no zoneinfo

	"github.com/upgradegate/upgradegate/pkg/cli"
)

func main() {
	tuneGC(os.Getenv) // a small run's heap stays small (gc.go)
	// hidden debug switches for finding the next hot spot (BENCHMARKS.md,
	// "Profiles"): UPGRADEGATE_CPUPROFILE=FILE writes a CPU profile of the
	// run, UPGRADEGATE_TRACE=FILE an execution trace (go tool trace FILE:
	// where the cores wait on each other)
	stopProfile := record("UPGRADEGATE_CPUPROFILE", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := record("UPGRADEGATE_TRACE", trace.Start, trace.Stop)
	code := run()
	stopTrace()
	stopProfile() // os.Exit runs no deferred call
	os.Exit(code)
}

func run() int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	ctx, stop := cancelOnSignal(context.Background(), sigs, os.Stderr, os.Exit)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv})
	stop()
	signal.Stop(sigs)
	return code
}

// record starts a recording (a CPU profile, a trace) into the file the
// environment variable name gives, if it gives one, and returns the
// function that ends it; a recording that cannot start is said on stderr
// and the run goes on without it.
func record(name string, start func(io.Writer) error, stop func()) func() {
	file := os.Getenv(name)
	if file == "" {
		return func() {}
	}
	f, err := os.Create(file)
	if err == nil {
		if err = start(f); err != nil {
			f.Close()
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "upgradegate: %s: %v\n", name, err)
		return func() {}
	}
	return func() { stop(); f.Close() }
}

// cancelOnSignal returns a context that the first signal from sigs cancels,
// so that the run winds down and reports; a second signal means the run did
// not wind down soon enough for whoever sent them, so it writes why to
// stderr and calls exit with cli.ExitError (the run could not finish). stop
// ends the watch.
func cancelOnSignal(parent context.Context, sigs <-chan os.Signal, stderr io.Writer, exit func(int)) (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		select {
		case <-sigs:
			cancel()
		case <-done:
			return
		}
		select {
		case sig := <-sigs:
			fmt.Fprintf(stderr, "upgradegate: second signal (%v): exiting now\n", sig)
			exit(cli.ExitError)
		case <-done:
		}
	}()
	return ctx, func() {
		close(done)
		<-finished
		cancel()
	}
}
