// Control: a background refresher driven by a ticker, stopped by cancelling its context. No leak.
package main

import (
	"context"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func refresher(ctx context.Context, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(5 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func main() {
	harness.Run(func() {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go refresher(ctx, done) // expect: none
		time.Sleep(30 * time.Millisecond)
		cancel()
		<-done
	})
}
