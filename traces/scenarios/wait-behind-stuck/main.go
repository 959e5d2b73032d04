// Scenario: the usual fan-out with a closer: search asks five replicas, each sending its answer on an unbuffered
// channel, and a closer goroutine closes the channel once every sender is done (wg.Wait). search takes the first
// answer and returns: four senders wait forever, and so does the closer behind them. The fix is the senders' (a
// buffer, or a context), not a missing Done: the closer's Wait is only their victim.
package main

import (
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func query(replica int) string {
	time.Sleep(time.Duration(1+replica) * time.Millisecond)
	return "answer"
}

func search() string {
	results := make(chan string)
	var wg sync.WaitGroup
	for r := 0; r < 5; r++ {
		wg.Add(1)
		go func(r int) { // expect: leak count=4 reason="chan send" category=chan-send verdict=leak pattern=n-senders-one-receiver
			defer wg.Done()
			results <- query(r)
		}(r)
	}
	go func() { // expect: leak count=1 reason="sync" category=waitgroup verdict=leak pattern=wait-on-stuck
		wg.Wait()
		close(results)
	}()
	return <-results // BUG: only the first answer is read
}

func main() {
	harness.Run(func() {
		_ = search()
	})
}
