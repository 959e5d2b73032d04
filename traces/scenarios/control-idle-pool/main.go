// Control: a pool of long-lived workers that served many jobs and now waits idle for more. Alive at the end, but
// not a leak: the pool lives as long as the process.
package main

import (
	"sync"

	"lifeline.dev/traces/internal/harness"
)

type Pool struct{ jobs chan func() }

func (p *Pool) worker() {
	for job := range p.jobs {
		job()
	}
}

func main() {
	harness.Run(func() {
		p := &Pool{jobs: make(chan func())}
		for i := 0; i < 4; i++ {
			go p.worker() // expect: benign count=4 reason="chan receive" category=chan-receive
		}
		var wg sync.WaitGroup
		for i := 0; i < 300; i++ {
			wg.Add(1)
			p.jobs <- func() { wg.Done() }
		}
		wg.Wait()
	})
}
