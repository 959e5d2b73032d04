// Scenario: one lock, held for good by a goroutine that blocks while holding it. The store's writer sends each
// change to a listener under the lock; the listener stops after 20 changes, so the writer's next send blocks with the
// lock held, and the readers (which looped, sleeping between reads: woken by timers many times) queue on the lock
// forever. One lock, so no lock-order deadlock: the lock is never released because its holder is itself stuck.
package main

import (
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type store struct {
	mu      sync.Mutex
	data    map[string]int
	changes chan string // unbuffered: its listener must be there
}

func (s *store) set(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = v
	s.changes <- k // BUG: sends while holding mu; blocks for good once the listener is gone
}

func (s *store) get(k string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}

func listen(s *store, n int) {
	for i := 0; i < n; i++ {
		<-s.changes
		time.Sleep(time.Millisecond) // slower than the writer: the writer waits at its send, and this wakes it
	}
}

func main() {
	harness.Run(func() {
		s := &store{data: map[string]int{}, changes: make(chan string)}
		go listen(s, 20) // expect: none
		for i := 0; i < 4; i++ {
			go func() { // expect: leak count=4 reason="sync" category=mutex verdict=leak pattern=lock-never-released
				for {
					s.get("a")
					time.Sleep(time.Millisecond)
				}
			}()
		}
		go func() { // expect: leak count=1 reason="chan send" category=chan-send verdict=leak pattern=other-end-exited
			for j := 0; ; j++ {
				s.set("a", j)
			}
		}()
	})
}
