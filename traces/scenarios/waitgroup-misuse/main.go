// Scenario: two WaitGroup mistakes. fetchAll calls wg.Add inside the goroutines, so wg.Wait returns at once and the
// caller leaves; the workers then block sending results nobody reads (a trace shows no more: no pattern is claimed).
// processAll forgets wg.Done on an error path, so the goroutine waiting to close the results channel waits forever.
package main

import (
	"errors"
	"sync"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func fetch(url string) string { return "<html>" + url + "</html>" }

func fetchAll(urls []string) []string {
	var wg sync.WaitGroup
	results := make(chan string)
	for _, u := range urls {
		go func(u string) { // expect: leak count=6 reason="chan send" category=chan-send verdict=leak pattern=none
			time.Sleep(2 * time.Millisecond) // building the request
			wg.Add(1)                        // BUG: Add belongs before the go statement
			defer wg.Done()
			results <- fetch(u)
		}(u)
	}
	wg.Wait()
	return nil
}

var errBadRecord = errors.New("bad record")

func process(n int) error {
	if n%4 == 3 {
		return errBadRecord
	}
	return nil
}

func processAll(records []int) <-chan struct{} {
	var wg sync.WaitGroup
	done := make(chan struct{})
	for _, r := range records {
		wg.Add(1)
		go func(r int) { // expect: none
			if err := process(r); err != nil {
				return // BUG: wg.Done is skipped on the error path
			}
			wg.Done()
		}(r)
	}
	go func() { // expect: leak count=1 reason="sync" category=waitgroup verdict=leak pattern=waitgroup-misuse
		wg.Wait()
		close(done)
	}()
	return done
}

func main() {
	harness.Run(func() {
		fetchAll([]string{"a", "b", "c", "d", "e", "f"})
		select {
		case <-processAll([]int{0, 1, 2, 3, 4, 5, 6, 7}):
		case <-time.After(20 * time.Millisecond):
		}
	})
}
