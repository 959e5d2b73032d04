// Control: a bounded worker pool shut down properly (jobs closed, workers joined). No leak.
package main

import (
	"sync"

	"lifeline.dev/traces/internal/harness"
)

func main() {
	harness.Run(func() {
		jobs := make(chan int)
		results := make(chan int, 64)
		var wg sync.WaitGroup
		for i := 0; i < 4; i++ {
			wg.Add(1)
			go func() { // expect: none
				defer wg.Done()
				for j := range jobs {
					results <- j * j
				}
			}()
		}
		for i := 0; i < 64; i++ {
			jobs <- i
		}
		close(jobs)
		wg.Wait()
	})
}
