// A trace with everything annotations can carry: CPU profile samples (pprof.StartCPUProfile while tracing), user
// tasks (nested), regions and logs.
package main

import (
	"context"
	"fmt"
	"io"
	"runtime/pprof"
	"runtime/trace"
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func burn(d time.Duration) int {
	n, end := 0, time.Now().Add(d)
	for time.Now().Before(end) {
		n++
	}
	return n
}

func main() {
	harness.Run(func() {
		if err := pprof.StartCPUProfile(io.Discard); err == nil {
			defer pprof.StopCPUProfile()
		}
		ctx, task := trace.NewTask(context.Background(), "checkout")
		var wg sync.WaitGroup
		for i := 0; i < 3; i++ {
			wg.Add(1)
			go func(i int) { // expect: none
				defer wg.Done()
				sub, subTask := trace.NewTask(ctx, fmt.Sprintf("charge-card-%d", i))
				trace.Log(sub, "order", fmt.Sprintf("order-%d", i))
				trace.WithRegion(sub, "compute-tax", func() { burn(40 * time.Millisecond) })
				region := trace.StartRegion(sub, "write-ledger")
				burn(20 * time.Millisecond)
				region.End()
				subTask.End()
			}(i)
		}
		wg.Wait()
		trace.Logf(ctx, "summary", "%d charges", 3)
		task.End()
	})
}
