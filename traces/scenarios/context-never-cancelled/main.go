// Scenario: each session starts a watcher that waits for ctx.Done(), but the session's cancel func is never called.
package main

import (
	"context"

	"lifeline.dev/traces/internal/harness"
)

type Session struct {
	id     int
	cancel context.CancelFunc
	closed bool
}

func (s *Session) watch(ctx context.Context) {
	<-ctx.Done()
	s.closed = true
}

func openSession(id int) *Session {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Session{id: id, cancel: cancel}
	go s.watch(ctx) // expect: leak count=5 reason="chan receive" category=chan-receive verdict=leak pattern=context-never-cancelled
	return s
}

func main() {
	harness.Run(func() {
		sessions := make([]*Session, 0, 5)
		for i := 0; i < 5; i++ {
			sessions = append(sessions, openSession(i))
		}
		// BUG: the sessions are dropped without calling s.cancel().
		sessions = nil
		_ = sessions
	})
}
