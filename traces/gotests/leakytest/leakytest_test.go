// A test package recorded with `go test -trace`: one test leaves a goroutine behind after it returns (what goleak
// reports), a subtest leaves a ticker loop running, one test waits for its own. The testing package's goroutines (tRunner) end with their tests.
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

// A subtest that starts a ticker loop and never stops it: a suspect on its own (it keeps waking), a leak once it
// outlived its test and was still there when the run ended, as goleak would say.
func TestJanitor(t *testing.T) {
	t.Run("starts", func(t *testing.T) {
		tick := time.NewTicker(time.Millisecond)
		go func() { // expect: leak count=1 reason="chan receive" category=chan-receive verdict=leak pattern=ticker-never-stopped
			for range tick.C {
			}
		}()
	})
}

// The last test keeps the trace open a while, so that the leaked receiver is visibly stuck.
func TestZSettles(t *testing.T) {
	time.Sleep(150 * time.Millisecond)
}
