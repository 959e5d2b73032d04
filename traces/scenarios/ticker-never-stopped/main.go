// Scenario: a metrics reporter drives an endless loop from a ticker that is never stopped.
package main

import (
	"sync/atomic"
	"time"

	"lifeline.dev/traces/internal/harness"
)

var requests int64

func startReporter() {
	go func() { // expect: leak count=1 reason="chan receive" category=chan-receive verdict=suspect pattern=ticker-never-stopped
		t := time.NewTicker(10 * time.Millisecond)
		for range t.C {
			_ = atomic.LoadInt64(&requests)
		}
	}()
}

func main() {
	harness.Run(func() {
		startReporter()
		atomic.AddInt64(&requests, 1)
	})
}
