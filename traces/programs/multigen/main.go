// A trace that spans several generations: with GODEBUG=traceadvanceperiod (Go 1.22+) set by the recorder the
// runtime starts a new generation every few milliseconds; older formats just see a longer trace. A goroutine
// blocked across all generations checks that state carries over generation boundaries.
package main

import (
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func main() {
	harness.Run(func() {
		stuck := make(chan int)
		go func() { <-stuck }() // expect: leak count=1 reason="chan receive" category=chan-receive verdict=leak
		var wg sync.WaitGroup
		for round := 0; round < 30; round++ {
			for i := 0; i < 8; i++ {
				wg.Add(1)
				go func() { // expect: none
					defer wg.Done()
					time.Sleep(time.Millisecond)
				}()
			}
			wg.Wait()
			time.Sleep(10 * time.Millisecond)
		}
	})
}
