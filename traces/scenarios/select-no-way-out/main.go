// Scenario: three ways to wait with no way out: a select whose cases can never become ready and has no default,
// an empty select {}, and a receive from a nil channel (a field that was never initialised).
package main

import (
	"lifeline.dev/traces/internal/harness"
)

type Replicator struct {
	updates chan string
	acks    chan int
	stop    chan struct{} // never made: nil
}

func (r *Replicator) loop() {
	for {
		select {
		case u := <-r.updates:
			_ = u
		case a := <-r.acks:
			_ = a
		}
	}
}

func daemon() {
	select {}
}

func (r *Replicator) waitStop() {
	<-r.stop
}

func main() {
	harness.Run(func() {
		r := &Replicator{updates: make(chan string), acks: make(chan int)}
		for i := 0; i < 3; i++ {
			go r.loop() // expect: leak count=3 reason="select" category=select verdict=leak pattern=select-no-way-out
		}
		go daemon()     // expect: leak count=1 reason="forever" category=forever verdict=leak pattern=select-no-way-out
		go r.waitStop() // expect: leak count=1 reason="forever" category=forever verdict=leak pattern=select-no-way-out
	})
}
