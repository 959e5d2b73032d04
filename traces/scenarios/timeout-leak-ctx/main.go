// Scenario: the timeout leak with a context deadline. lookup starts a worker that sends its answer on an unbuffered
// channel and waits for the answer or ctx.Done(); the deadline (context.WithTimeout, cancelled from a timer's own
// goroutine) fires first, the caller returns, and the worker blocks on the send forever.
package main

import (
	"context"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func resolve(name string) string {
	time.Sleep(30 * time.Millisecond)
	return "10.0.0.1 for " + name
}

func lookup(ctx context.Context, name string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
	defer cancel()
	answer := make(chan string)
	go func() { // expect: leak count=6 reason="chan send" category=chan-send verdict=leak pattern=timeout-leak
		answer <- resolve(name)
	}()
	select {
	case a := <-answer:
		return a, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

func main() {
	harness.Run(func() {
		for i := 0; i < 6; i++ {
			_, _ = lookup(context.Background(), "db.internal")
		}
	})
}
