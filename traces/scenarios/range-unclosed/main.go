// Scenario: a fan-out of consumers ranges over a jobs channel that the producer never closes.
package main

import (
	"strings"

	"lifeline.dev/traces/internal/harness"
)

type Job struct{ Line string }

func consume(jobs <-chan Job, results chan<- int) {
	for job := range jobs {
		results <- len(strings.Fields(job.Line))
	}
}

func main() {
	harness.Run(func() {
		jobs := make(chan Job)
		results := make(chan int, 100)
		for i := 0; i < 4; i++ {
			go consume(jobs, results) // expect: leak count=4 reason="chan receive" category=chan-receive verdict=leak pattern=range-unclosed-channel
		}
		for i := 0; i < 20; i++ {
			jobs <- Job{Line: "the quick brown fox"}
		}
		// BUG: close(jobs) is missing, so the consumers wait forever.
	})
}
