// Scenario: an error path that returns early. Store.Get returns without Unlock on a miss, so every later Get waits
// on the lock for ever; and a worker that fails returns without sending the reply its waiter expects (the waiter
// first sleeps, then receives: its one wake-up is a timer's, no value ever came).
package main

import (
	"errors"
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type Store struct {
	mu   sync.Mutex
	data map[string]int
}

func (s *Store) Get(k string) (int, error) {
	s.mu.Lock()
	v, ok := s.data[k]
	if !ok {
		return 0, errors.New("miss") // BUG: returns holding the lock
	}
	s.mu.Unlock()
	return v, nil
}

func work(fail bool, reply chan<- int) {
	if fail {
		return // BUG: no reply on the error path
	}
	reply <- 1
}

func main() {
	harness.Run(func() {
		s := &Store{data: map[string]int{"a": 1}}
		_, _ = s.Get("missing")
		for i := 0; i < 3; i++ {
			go s.Get("a") // expect: leak count=3 reason="sync" category=mutex verdict=leak pattern=lock-never-released
		}
		reply := make(chan int)
		go work(true, reply) // expect: none
		go func() { // expect: leak count=1 reason="chan receive" category=chan-receive verdict=leak pattern=none
			time.Sleep(time.Millisecond)
			<-reply
		}()
	})
}
