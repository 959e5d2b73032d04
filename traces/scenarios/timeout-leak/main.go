// Scenario: the timeout leak. query starts a worker that sends its result on an unbuffered channel; when the
// backend is slower than the timeout the caller returns and the worker blocks on the send forever.
package main

import (
	"errors"
	"time"

	"lifeline.dev/traces/internal/harness"
)

var errTimeout = errors.New("query timed out")

func slowBackend(q string) string {
	time.Sleep(30 * time.Millisecond)
	return "rows for " + q
}

func query(q string) (string, error) {
	ch := make(chan string)
	go func() { // expect: leak count=8 reason="chan send" category=chan-send verdict=leak pattern=timeout-leak
		ch <- slowBackend(q)
	}()
	select {
	case r := <-ch:
		return r, nil
	case <-time.After(5 * time.Millisecond):
		return "", errTimeout
	}
}

func main() {
	harness.Run(func() {
		n := 8 * harness.Scale()
		if harness.Flag("-fixed") {
			n = 0
		}
		for i := 0; i < n; i++ {
			_, _ = query("select 1")
		}
	})
}
