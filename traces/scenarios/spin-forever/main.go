// Scenario: a goroutine waits for a flag in a busy loop, and the flag is never set. It never blocks, so no blocked
// leak shows it, but it never ends and keeps a CPU busy (the scheduler preempts it now and then).
package main

import (
	"sync/atomic"

	"lifeline.dev/traces/internal/harness"
)

var stop atomic.Bool

func waitForStop() {
	for !stop.Load() {
	}
}

func main() {
	harness.Run(func() {
		go waitForStop() // expect: leak count=1 category=running verdict=suspect pattern=none
		// BUG: nothing ever calls stop.Store(true).
	})
}
