// A test package recorded with `go test -trace`: one test leaves a goroutine behind after it returns (what goleak
// reports), one waits for its own. The testing package's goroutines (tRunner) end with their tests.
package leakytest

import (
	"sync"
	"testing"
	"time"
)

func TestLeavesAReceiver(t *testing.T) {
	ch := make(chan int)
	go func() { // expect: leak count=1 reason="chan receive" category=chan-receive verdict=leak pattern=none
		<-ch
	}()
	time.Sleep(5 * time.Millisecond)
}

func TestWaitsForItsWorker(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // expect: none
		defer wg.Done()
		time.Sleep(time.Millisecond)
	}()
	wg.Wait()
}

// The last test keeps the trace open a while, so that the leaked receiver is visibly stuck.
func TestZSettles(t *testing.T) {
	time.Sleep(150 * time.Millisecond)
}
