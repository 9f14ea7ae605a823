//go:build !unix

package check

import "time"

// processCPU is not measured here: the benchmarks report no cpu-ms/op.
func processCPU() time.Duration { return 0 }
