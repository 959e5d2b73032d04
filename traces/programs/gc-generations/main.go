// A trace whose GC cycles cross generation boundaries: short generations (GODEBUG=traceadvanceperiod, set by the
// recorder) and a small heap goal that makes the collector run all the time. Go 1.22 and later restate a cycle that
// is still running at the start of the next generation (GCActive, GCMarkAssistActive, GCSweepActive): the same
// cycle, not a new one.
package main

import (
	"runtime/debug"
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

var sink [4][][]byte

func main() {
	harness.Run(func() {
		debug.SetGCPercent(10)
		var wg sync.WaitGroup
		for w := 0; w < 4; w++ {
			wg.Add(1)
			go func(w int) { // expect: none
				defer wg.Done()
				end := time.Now().Add(100 * time.Millisecond)
				for time.Now().Before(end) {
					sink[w] = append(sink[w], make([]byte, 16<<10))
					if len(sink[w]) > 64 {
						sink[w] = sink[w][:0]
					}
				}
			}(w)
		}
		wg.Wait()
	})
}
