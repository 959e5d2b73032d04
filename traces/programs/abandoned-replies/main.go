// Workers that deliver each reply on an unbuffered channel to a caller that may have given up waiting: five callers
// timed out long ago, so five deliveries are stuck for good; one more delivery starts 3 ms before the trace ends, to a
// caller that takes it right after. All six come from one `go` statement and block at one place: the five abandoned
// ones are a leak, which the one that only just blocked must not hide.
package main

import (
	"fmt"
	"os"
	"runtime/trace"
	"time"
)

func deliver(reply chan<- string, v string) {
	reply <- v // BUG: unbuffered; a caller that gave up never receives
}

func call(i int, wait time.Duration) chan string {
	reply := make(chan string)
	go func() { // expect: leak count=6 reason="chan send" category=chan-send verdict=leak pattern=timeout-leak
		time.Sleep(2 * time.Millisecond) // the work
		deliver(reply, fmt.Sprint("result ", i))
	}()
	if wait == 0 {
		return reply // the caller takes the reply later
	}
	select {
	case v := <-reply:
		_ = v
	case <-time.After(wait):
		// gave up: the delivery above is now stuck
	}
	return reply
}

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
	for i := 0; i < 10; i++ {
		wait := 20 * time.Millisecond
		if i%2 == 1 {
			wait = 500 * time.Microsecond // these callers give up before the reply comes
		}
		call(i, wait)
	}
	time.Sleep(120 * time.Millisecond)
	// A delivery still being handed over when the trace ends (blocked for its last 3 ms): its caller takes it right
	// after trace.Stop.
	late := call(10, 0)
	time.Sleep(5 * time.Millisecond)
	trace.Stop()
	<-late
}
