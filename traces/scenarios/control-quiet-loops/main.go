// Control: goroutines that are quiet at the end of the trace but alive and well. A 300 ms ticker loop that also took a
// burst of events at the start (so its last wait is long against its mean gap, but timers woke it at that wait
// before); a poller that backs off, doubling its wait each time; and a worker pool fed by request goroutines that each
// submit a batch and return (every goroutine that woke the workers has ended, but the next request brings more).
// None of them is a leak.
package main

import (
	"time"

	"lifeline.dev/traces/internal/harness"
)

func main() {
	harness.Run(func() {
		events := make(chan int)
		go func() { // expect: benign count=1
			tick := time.NewTicker(300 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-tick.C:
				case <-events:
				}
			}
		}()
		for i := 0; i < 15; i++ {
			events <- i
		}
		go func() { // expect: benign count=1
			backoff := 5 * time.Millisecond
			for {
				<-time.After(backoff)
				backoff *= 2
			}
		}()
		jobs := make(chan int)
		for w := 0; w < 4; w++ {
			go func() { // expect: benign count=4 reason="chan receive" category=chan-receive
				for j := range jobs {
					time.Sleep(time.Duration(j%3) * 100 * time.Microsecond)
				}
			}()
		}
		for r := 0; r < 3; r++ {
			go func() { // expect: none
				for i := 0; i < 40; i++ {
					jobs <- i
					time.Sleep(300 * time.Microsecond) // requests arrive spaced: the workers wait for each
				}
			}()
		}
		time.Sleep(700 * time.Millisecond)
	})
}
