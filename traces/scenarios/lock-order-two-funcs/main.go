// Scenario: a lock-order deadlock across two functions: one path locks the cache then the index, the other the
// index then the cache.
package main

import (
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

var cacheMu, indexMu sync.Mutex

func refreshCache() {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	time.Sleep(2 * time.Millisecond) // load
	indexMu.Lock()
	defer indexMu.Unlock()
}

func rebuildIndex() {
	indexMu.Lock()
	defer indexMu.Unlock()
	time.Sleep(2 * time.Millisecond) // scan
	cacheMu.Lock()
	defer cacheMu.Unlock()
}

func main() {
	harness.Run(func() {
		go refreshCache() // expect: leak count=1 reason="sync" category=mutex verdict=leak pattern=lock-order-deadlock
		go rebuildIndex() // expect: leak count=1 reason="sync" category=mutex verdict=leak pattern=lock-order-deadlock
	})
}
