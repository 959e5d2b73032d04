// Scenario: contexts never cancelled. Each session derives its context from the server's with context.WithCancel and
// starts a watcher that waits for ctx.Done(), but the session's cancel func is never called. The server's context is
// a type of its own (not one of the context package's), so WithCancel also starts a goroutine inside the context
// package that waits to pass the server's cancellation on: it leaks with the session.
package main

import (
	"context"

	"lifeline.dev/traces/internal/harness"
)

// serverContext is the server's context: background values, and its own shutdown channel as Done.
type serverContext struct {
	context.Context
	shutdown chan struct{}
}

func (c *serverContext) Done() <-chan struct{} { return c.shutdown }

type Session struct {
	id     int
	cancel context.CancelFunc
	closed bool
}

func (s *Session) watch(ctx context.Context) {
	<-ctx.Done()
	s.closed = true
}

func openSession(server context.Context, id int) *Session {
	ctx, cancel := context.WithCancel(server) // expect: leak count=5 reason="select" category=select verdict=leak pattern=context-never-cancelled via=library
	s := &Session{id: id, cancel: cancel}
	// In a trace, a receive from ctx.Done() is a receive like any other: no pattern is claimed for the watchers.
	go s.watch(ctx) // expect: leak count=5 reason="chan receive" category=chan-receive verdict=leak pattern=none
	return s
}

func main() {
	harness.Run(func() {
		server := &serverContext{Context: context.Background(), shutdown: make(chan struct{})}
		sessions := make([]*Session, 0, 5)
		for i := 0; i < 5; i++ {
			sessions = append(sessions, openSession(server, i))
		}
		// BUG: the sessions are dropped without calling s.cancel().
		sessions = nil
		_ = sessions
	})
}
