// Scenario: a pool of workers that ask one resolver goroutine for each job and wait for its reply. The resolver
// returns on its first upstream error (after 120 lookups) without answering, and nobody closes its channel: every
// worker, having served some 20 jobs, waits for a reply forever, and the producer waits for a worker. The workers look
// like an idle pool (they served work, now they wait), but the only goroutine that ever woke them there has ended.
package main

import (
	"errors"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type lookup struct {
	key   int
	reply chan int
}

var errUpstream = errors.New("upstream gone")

func resolve(reqs <-chan lookup, budget int) error {
	for r := range reqs {
		if budget == 0 {
			return errUpstream // BUG: returns leaving r, and every later request, unanswered
		}
		budget--
		time.Sleep(200 * time.Microsecond) // the upstream call: the worker is waiting for the reply by then
		r.reply <- r.key * 10
	}
	return nil
}

func ask(reqs chan<- lookup, key int) int {
	r := lookup{key: key, reply: make(chan int, 1)}
	reqs <- r
	return <-r.reply
}

func main() {
	harness.Run(func() {
		jobs := make(chan int)
		reqs := make(chan lookup, 64)
		out := make(chan int, 1024)
		go func() { // expect: none
			_ = resolve(reqs, 120)
		}()
		for w := 0; w < 6; w++ {
			go func() { // expect: leak count=6 reason="chan receive" category=chan-receive verdict=leak pattern=other-end-exited
				for j := range jobs {
					out <- ask(reqs, j)
				}
			}()
		}
		go func() { // expect: leak count=1 reason="chan send" category=chan-send verdict=leak pattern=none
			for i := 0; ; i++ {
				jobs <- i
			}
		}()
	})
}
