// The big-trace generator's workload: many goroutines doing short bursts of channel, mutex, sleep and syscall work,
// plus a steady population of leaked goroutines, until the trace file reaches the requested size.
// Usage: stress <out> -mb N
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	mb := flag.Int("mb", 100, "target trace size in MB")
	flag.CommandLine.Parse(os.Args[2:])
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer out.Close()
	target := int64(*mb) << 20
	if err := trace.Start(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var leaked []chan int
	var mu sync.Mutex
	ch := make(chan int, 16)
	for round := 0; ; round++ {
		if st, _ := out.Stat(); st != nil && st.Size() >= target {
			break
		}
		var wg sync.WaitGroup
		for i := 0; i < 2000; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for k := 0; k < 4; k++ {
					select {
					case ch <- i:
					case v := <-ch:
						_ = v
					}
					mu.Lock()
					mu.Unlock()
				}
				if i%100 == 0 {
					time.Sleep(time.Microsecond)
				}
			}(i)
		}
		wg.Wait()
		if round%2 == 0 && len(leaked) < 100000 {
			for i := 0; i < 1000; i++ {
				c := make(chan int)
				leaked = append(leaked, c)
				go func() { <-c }()
			}
		}
	}
	trace.Stop()
}
