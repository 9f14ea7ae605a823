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
	// a hidden debug switch for finding the next hot spot (BENCHMARKS.md,
	// "Profiles"): UPGRADEGATE_CPUPROFILE=FILE writes a CPU profile of the run
	stopProfile := func() {}
	if file := os.Getenv("UPGRADEGATE_CPUPROFILE"); file != "" {
		stop, err := startProfile(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "upgradegate: UPGRADEGATE_CPUPROFILE: %v\n", err)
		} else {
			stopProfile = stop
		}
	}
	// UPGRADEGATE_TRACE=FILE writes an execution trace of the run (go tool
	// trace FILE): where the cores wait on each other
	stopTrace := func() {}
	if file := os.Getenv("UPGRADEGATE_TRACE"); file != "" {
		stop, err := startTrace(file)
		if err != nil {
			fmt.Fprintf(os.Stderr, "upgradegate: UPGRADEGATE_TRACE: %v\n", err)
		} else {
			stopTrace = stop
		}
	}
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

// startProfile starts a CPU profile into file; the returned function ends it.
func startProfile(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// startTrace starts an execution trace into file; the returned function
// ends it.
func startTrace(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := trace.Start(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { trace.Stop(); f.Close() }, nil
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
