// Scenario: a registry map[string]func() of background handlers, each started with `go h()`, each sleeping for an
// hour between runs: they outlive every request and the trace.
package main

import (
	"time"

	"lifeline.dev/traces/internal/harness"
)

var registry = map[string]func(){}

func register(name string) {
	registry[name] = func() { backgroundJob(name) }
}

func backgroundJob(name string) {
	for {
		time.Sleep(time.Hour)
		_ = name
	}
}

func main() {
	harness.Run(func() {
		for _, name := range []string{"gc-sessions", "rotate-logs", "refresh-tokens", "sync-users", "warm-cache", "compact-db"} {
			register(name)
		}
		for _, h := range registry {
			go h() // expect: leak count=6 reason="sleep" category=sleep verdict=suspect
		}
	})
}
