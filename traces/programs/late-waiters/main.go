// Goroutines that start waiting just before the trace ends: main holds a lock across trace.Stop, and two workers
// queue on it 3 ms before. Blocked for the last few ms of a 100 ms trace is no evidence of a leak (they go on as soon
// as main unlocks, after the trace).
package main

import (
	"fmt"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer out.Close()
	if err := trace.Start(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	time.Sleep(100 * time.Millisecond)
	var mu sync.Mutex
	mu.Lock()
	var wg sync.WaitGroup
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() { // expect: leak count=2 reason="sync" category=mutex verdict=suspect pattern=none
			defer wg.Done()
			mu.Lock()
			mu.Unlock()
		}()
	}
	time.Sleep(3 * time.Millisecond)
	trace.Stop()
	mu.Unlock()
	wg.Wait()
}
