// Writes a large legacy-format execution trace to stdout for the legacy decode benchmark (bench/legacy.ts) when run
// by an old toolchain (Go 1.19/1.21): many goroutines blocking on channels, mutexes, selects, sleeps and syscalls.
//
//	go1.21 run bench/legacy-big.go -ms 2000 > big.go121.trace
package main

import (
	"flag"
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func main() {
	ms := flag.Int("ms", 2000, "how long to record")
	flag.Parse()
	if err := trace.Start(os.Stdout); err != nil {
		panic(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	shared := 0
	for w := 0; w < 64; w++ {
		ping, pong := make(chan int), make(chan int)
		wg.Add(2)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					close(ping)
					return
				case ping <- i:
				}
				<-pong
			}
		}()
		go func() {
			defer wg.Done()
			for v := range ping {
				mu.Lock()
				shared += v
				mu.Unlock()
				if v%64 == 0 {
					time.Sleep(10 * time.Microsecond)
				}
				if v%256 == 0 {
					f, _ := os.Open("/dev/null")
					f.Close()
				}
				go func() {}() // short-lived goroutines: creates and ends
				pong <- v
			}
		}()
	}
	time.Sleep(time.Duration(*ms) * time.Millisecond)
	close(stop)
	wg.Wait()
	trace.Stop()
}
