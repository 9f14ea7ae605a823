package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/upgradegate/upgradegate/pkg/cli"
)

func TestFirstSignalCancelsSecondExits(t *testing.T) {
	t.Parallel()
	wait, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	sigs := make(chan os.Signal, 2)
	exited := make(chan int, 1)
	var stderr bytes.Buffer
	ctx, stop := cancelOnSignal(context.Background(), sigs, &stderr, func(code int) { exited <- code })
	defer stop()
	if ctx.Err() != nil {
		t.Fatal("canceled before any signal")
	}
	sigs <- syscall.SIGTERM
	select {
	case <-ctx.Done():
	case <-wait.Done():
		t.Fatal("the first signal did not cancel the run")
	}
	select {
	case code := <-exited:
		t.Fatalf("exit(%d) after the first signal", code)
	default:
	}
	sigs <- os.Interrupt
	select {
	case code := <-exited:
		if code != cli.ExitError {
			t.Errorf("exit code %d, want %d", code, cli.ExitError)
		}
	case <-wait.Done():
		t.Fatal("the second signal did not exit")
	}
	if !strings.Contains(stderr.String(), "second signal (interrupt): exiting now") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestStopEndsTheWatch(t *testing.T) {
	t.Parallel()
	sigs := make(chan os.Signal, 2)
	exited := make(chan int, 2)
	ctx, stop := cancelOnSignal(context.Background(), sigs, &bytes.Buffer{}, func(code int) { exited <- code })
	stop()
	if ctx.Err() == nil {
		t.Error("stop leaves the context alive")
	}
	sigs <- syscall.SIGTERM
	sigs <- syscall.SIGTERM
	select {
	case code := <-exited:
		t.Errorf("exit(%d) after stop", code)
	default:
	}
}
