// Scenario: a loop launches one poller per configured endpoint; each retries forever with time.Sleep and never
// gives up (the endpoints are unreachable).
package main

import (
	"errors"
	"fmt"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type Config struct{ Endpoints []string }

var errUnreachable = errors.New("connection refused")

func dial(endpoint string) error { return errUnreachable }

func pollForever(endpoint string) {
	backoff := 20 * time.Millisecond
	for {
		if err := dial(endpoint); err == nil {
			return
		}
		time.Sleep(backoff)
	}
}

func main() {
	harness.Run(func() {
		cfg := Config{}
		for i := 0; i < 120; i++ {
			cfg.Endpoints = append(cfg.Endpoints, fmt.Sprintf("10.0.%d.%d:9000", i/250, i%250))
		}
		for _, ep := range cfg.Endpoints {
			go pollForever(ep) // expect: leak count=120 reason="sleep" category=sleep verdict=suspect pattern=endless-retry
		}
	})
}
