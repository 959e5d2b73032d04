// Scenario: subscribers started before trace.Start (so the trace has no creation event for them) that stay blocked
// on a channel nobody sends to; and one started after, for contrast.
package main

import (
	"lifeline.dev/traces/internal/harness"
)

type Event struct{ Name string }

type Bus struct{ subscribers []chan Event }

func subscriber(ch <-chan Event) {
	for ev := range ch {
		_ = ev
	}
}

func main() {
	bus := &Bus{}
	harness.RunWithSetup(func() {
		for i := 0; i < 5; i++ {
			ch := make(chan Event)
			bus.subscribers = append(bus.subscribers, ch)
			go subscriber(ch) // expect: leak count=5 reason="chan receive" category=chan-receive verdict=leak preexisting=true
		}
	}, func() {
		ch := make(chan Event)
		bus.subscribers = append(bus.subscribers, ch)
		go subscriber(ch) // expect: leak count=1 reason="chan receive" category=chan-receive verdict=leak
	})
}
