//go:build goexperiment.goroutineleakprofile || go1.27

// Records a trace and, from the same process, Go's goroutineleak profile (debug=2): the runtime's own proof of
// which goroutines can never be woken. Needs Go 1.26 with GOEXPERIMENT=goroutineleakprofile (or Go 1.27+).
// Usage: leakprofile <trace-out> <profile-out>
package main

import (
	"os"
	"runtime/pprof"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func worker(results chan<- int) {
	results <- 42 // nobody receives: unreachable channel once start returns
}

func start() {
	results := make(chan int)
	for i := 0; i < 3; i++ {
		go worker(results) // expect: leak count=3 reason="chan send" category=chan-send verdict=leak
	}
}

func main() {
	harness.Run(func() {
		start()
		time.Sleep(20 * time.Millisecond)
		f, err := os.Create(os.Args[2])
		if err != nil {
			panic(err)
		}
		defer f.Close()
		if p := pprof.Lookup("goroutineleak"); p != nil {
			p.WriteTo(f, 2)
		}
	})
}
