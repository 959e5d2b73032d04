// Package harness records a scenario's execution trace: start tracing to the path given as the first argument, run
// the scenario, wait until every goroutine it left behind has parked, keep the trace open a little longer so the
// leaked goroutines are visibly stuck, and stop.
package harness

import (
	"fmt"
	"os"
	"runtime"
	"runtime/trace"
	"time"
)

// Settle is how long the trace stays open after the goroutine count stops changing.
const Settle = 150 * time.Millisecond

// Run records scenario into the trace file named by os.Args[1].
func Run(scenario func()) { RunWithSetup(nil, scenario) }

// RunWithSetup runs setup before tracing starts (its goroutines exist before the trace: no creation events), waits
// for them to park, then records scenario.
func RunWithSetup(setup func(), scenario func()) {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: scenario <trace-output-path> [flags]")
		os.Exit(2)
	}
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer out.Close()
	if setup != nil {
		setup()
		WaitParked()
	}
	if err := trace.Start(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	scenario()
	WaitParked()
	time.Sleep(Settle)
	trace.Stop()
}

// WaitParked waits until the number of goroutines has not changed for a while (bounded to two seconds).
func WaitParked() {
	deadline := time.Now().Add(2 * time.Second)
	last, stable := runtime.NumGoroutine(), 0
	for time.Now().Before(deadline) && stable < 5 {
		time.Sleep(10 * time.Millisecond)
		if n := runtime.NumGoroutine(); n == last {
			stable++
		} else {
			last, stable = n, 0
		}
	}
}

// Flag reports whether a command-line flag such as "-fixed" was given after the output path.
func Flag(name string) bool {
	for _, a := range os.Args[2:] {
		if a == name {
			return true
		}
	}
	return false
}

// Scale returns N from "-scale N" (default 1), for recording 1x and 3x variants of a leak.
func Scale() int {
	args := os.Args[2:]
	for i := 0; i+1 < len(args); i++ {
		var n int
		if args[i] == "-scale" {
			if _, err := fmt.Sscan(args[i+1], &n); err == nil && n > 0 {
				return n
			}
		}
	}
	return 1
}
