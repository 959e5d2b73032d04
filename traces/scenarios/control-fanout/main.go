// Control: a fan-out joined by a WaitGroup. No leak.
package main

import (
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func main() {
	harness.Run(func() {
		var wg sync.WaitGroup
		var mu sync.Mutex
		total := 0
		for i := 0; i < 20; i++ {
			wg.Add(1)
			go func(i int) { // expect: none
				defer wg.Done()
				time.Sleep(time.Duration(i%5) * time.Millisecond)
				mu.Lock()
				total += i
				mu.Unlock()
			}(i)
		}
		wg.Wait()
	})
}
