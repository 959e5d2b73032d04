// The big-trace generator's workload. Usage: stress <out> -mb N [-shape pool|churn]
//
// pool (the default, the shape the benchmarks are specified for: about 100 000 goroutines and millions of spans):
// a fixed pool of workers doing short bursts of channel, mutex, sleep and syscall-free work, a few short-lived
// goroutines per round, and a population of leaked goroutines that grows to 100 000.
// churn: every unit of work is a new goroutine (millions of goroutines with a few events each), plus the same leaks.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

// burst is one unit of work: a few channel operations and lock round trips, and now and then a short sleep.
func burst(i int, ch chan int, mu *sync.Mutex) {
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
}

func main() {
	mb := flag.Int("mb", 100, "target trace size in MB")
	shape := flag.String("shape", "pool", "pool or churn")
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
	const perRound = 2000
	var wg sync.WaitGroup
	jobs := make(chan int, 64)
	if *shape == "pool" {
		for w := 0; w < perRound; w++ {
			go func() {
				for i := range jobs {
					burst(i, ch, &mu)
					wg.Done()
				}
			}()
		}
	}
	for round := 0; ; round++ {
		if st, _ := out.Stat(); st != nil && st.Size() >= target {
			break
		}
		for i := 0; i < perRound; i++ {
			wg.Add(1)
			if *shape == "pool" {
				jobs <- i
			} else {
				go func(i int) {
					defer wg.Done()
					burst(i, ch, &mu)
				}(i)
			}
		}
		if *shape == "pool" {
			// A few short-lived goroutines per round, as request handlers would be.
			for i := 0; i < 10; i++ {
				wg.Add(1)
				go func(i int) {
					defer wg.Done()
					burst(i, ch, &mu)
				}(i)
			}
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
	close(jobs)
	trace.Stop()
}
