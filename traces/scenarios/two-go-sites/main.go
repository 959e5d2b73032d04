// Scenario: one worker started from two `go` statements of the same function, a pool and a one-off, each ranging
// over a channel that is never closed. Their leak groups differ only in the `go` line. With -one the pool is gone:
// compared with the full run, the pool's group is fixed and the one-off's is unchanged.
package main

import "lifeline.dev/traces/internal/harness"

func drain(jobs <-chan int) {
	for range jobs {
	}
}

func main() {
	harness.Run(func() {
		pool := make(chan int)
		if !harness.Flag("-one") {
			for i := 0; i < 5; i++ {
				go drain(pool) // expect: leak count=5 reason="chan receive" category=chan-receive verdict=leak
			}
			for i := 0; i < 10; i++ {
				pool <- i
			}
		}
		extra := make(chan int)
		go drain(extra) // expect: leak count=1 reason="chan receive" category=chan-receive verdict=leak
		extra <- 1
		// BUG: neither channel is closed, so the drains wait forever.
	})
}
