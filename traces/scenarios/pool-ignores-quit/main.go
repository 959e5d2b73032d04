// Scenario: every config reload builds a new worker pool and "stops" the old one by closing its quit channel, but
// the workers only ever read the jobs channel, so each reload leaves the old workers behind.
package main

import (
	"time"

	"lifeline.dev/traces/internal/harness"
)

type Pool struct {
	jobs chan func()
	quit chan struct{}
}

func NewPool(workers int) *Pool {
	p := &Pool{jobs: make(chan func()), quit: make(chan struct{})}
	for i := 0; i < workers; i++ {
		go p.worker() // expect: leak count=12 reason="chan receive" category=chan-receive verdict=leak
	}
	return p
}

func (p *Pool) worker() {
	for job := range p.jobs { // BUG: never looks at p.quit
		job()
	}
}

func (p *Pool) Stop() { close(p.quit) }

func main() {
	harness.Run(func() {
		var pool *Pool
		for reload := 0; reload < 3; reload++ {
			if pool != nil {
				pool.Stop()
			}
			pool = NewPool(4)
			pool.jobs <- func() {}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
