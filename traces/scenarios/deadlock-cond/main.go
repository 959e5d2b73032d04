// Scenario: a lock-order deadlock (two transfers lock the same two accounts in opposite order) and consumers
// waiting on a sync.Cond that is never signalled.
package main

import (
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type Account struct {
	mu      sync.Mutex
	balance int
}

func transfer(from, to *Account, amount int) {
	from.mu.Lock()
	defer from.mu.Unlock()
	time.Sleep(5 * time.Millisecond) // audit log write
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
}

type Queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func (q *Queue) Pop() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 {
		q.cond.Wait() // nobody ever calls Signal or Broadcast
	}
	v := q.items[0]
	q.items = q.items[1:]
	return v
}

func main() {
	harness.Run(func() {
		a, b := &Account{balance: 100}, &Account{balance: 100}
		go transfer(a, b, 10) // expect: leak count=1 reason="sync" category=mutex verdict=leak pattern=lock-order-deadlock
		go transfer(b, a, 20) // expect: leak count=1 reason="sync" category=mutex verdict=leak pattern=lock-order-deadlock
		q := &Queue{}
		q.cond = sync.NewCond(&q.mu)
		for i := 0; i < 3; i++ {
			go q.Pop() // expect: leak count=3 reason="sync.(*Cond).Wait" category=cond verdict=leak pattern=cond-never-signalled
		}
	})
}
