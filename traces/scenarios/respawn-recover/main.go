// Scenario: supervised jobs that respawn themselves from a deferred recover. Each job panics a few times and is
// restarted by its own deferred function; the last incarnation then waits forever for work that never comes.
package main

import (
	"lifeline.dev/traces/internal/harness"
)

type Job struct {
	name    string
	crashes int
	work    chan string
}

func (j *Job) run() {
	if j.crashes < 3 {
		j.crashes++
		panic("job " + j.name + " crashed")
	}
	for w := range j.work {
		_ = w
	}
}

func supervise(j *Job) {
	defer func() {
		if r := recover(); r != nil {
			go supervise(j) // expect: leak count=2 reason="chan receive" category=chan-receive verdict=leak
		}
	}()
	j.run()
}

func main() {
	harness.Run(func() {
		for _, name := range []string{"indexer", "mailer"} {
			go supervise(&Job{name: name, work: make(chan string)}) // expect: none
		}
	})
}
