// An HTTP client that never closes some response bodies, beside one that does. The leaked goroutines are net/http's:
// each unclosed body keeps its connection's reader (and writer) alive, started by the Transport, not by a `go`
// statement of ours; the user's call is an ancestor's. The server's connections wait for their clients' next request.
package main

import (
	"io"
	"net"
	"net/http"

	"lifeline.dev/traces/internal/harness"
)

func main() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") }))
	url := "http://" + ln.Addr().String() + "/"
	harness.Run(func() {
		good := &http.Client{Transport: &http.Transport{}}
		if resp, err := good.Get(url); err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		for i := 0; i < 3; i++ {
			leaky := &http.Client{Transport: &http.Transport{}}
			// expect: leak count=3 reason="select" category=select verdict=leak pattern=response-body-not-closed via=ancestor entry=net/http.(*persistConn).readLoop
			if resp, err := leaky.Get(url); err == nil {
				_ = resp // BUG: resp.Body is never closed
			}
		}
	})
}
