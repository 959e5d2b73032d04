// Scenario: ask every replica, take the first answer: N senders on an unbuffered channel and one receive, so N-1
// senders stay blocked.
package main

import (
	"fmt"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type Replica struct {
	name    string
	latency time.Duration
}

func (r Replica) Get(key string) string {
	time.Sleep(r.latency)
	return fmt.Sprintf("%s from %s", key, r.name)
}

func firstResponse(replicas []Replica, key string) string {
	ch := make(chan string)
	for _, r := range replicas {
		go func(r Replica) { // expect: leak count=4 reason="chan send" category=chan-send verdict=leak pattern=n-senders-one-receiver
			ch <- r.Get(key)
		}(r)
	}
	return <-ch
}

func main() {
	harness.Run(func() {
		replicas := []Replica{{"a", 1 * time.Millisecond}, {"b", 3 * time.Millisecond}, {"c", 4 * time.Millisecond}, {"d", 5 * time.Millisecond}, {"e", 6 * time.Millisecond}}
		_ = firstResponse(replicas, "user:42")
	})
}
