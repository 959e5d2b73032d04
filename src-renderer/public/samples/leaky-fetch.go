// The bundled sample: `npm start` with no file opens the trace this program recorded (go run leaky-fetch.go out.trace,
// Go 1.26): 40 senders leak in leakyFetch (timeout wins, nobody reads), 3 goroutines wait on a mutex forever.
package main

import (
	"os"
	"runtime/trace"
	"sync"
	"time"
)

func worker(jobs <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		_ = j * j
		time.Sleep(50 * time.Microsecond)
	}
}

// leakyFetch forgets to read the result channel when the timeout wins: the sender blocks forever.
func leakyFetch(i int) {
	ch := make(chan int)
	go func() {
		time.Sleep(time.Duration(i%5) * time.Millisecond)
		ch <- i
	}()
	select {
	case <-ch:
	case <-time.After(time.Millisecond):
	}
}

func main() {
	f, _ := os.Create(os.Args[1])
	trace.Start(f)
	var wg sync.WaitGroup
	jobs := make(chan int)
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go worker(jobs, &wg)
	}
	for i := 0; i < 200; i++ {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	for i := 0; i < 40; i++ {
		leakyFetch(i)
	}
	var mu sync.Mutex
	mu.Lock()
	for i := 0; i < 3; i++ {
		go func() { mu.Lock() }()
	}
	time.Sleep(20 * time.Millisecond)
	trace.Stop()
	f.Close()
}
