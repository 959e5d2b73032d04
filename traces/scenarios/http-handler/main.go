// Scenario: an HTTP handler (a real net/http server on 127.0.0.1) spawns an audit goroutine that ignores
// r.Context() and blocks sending to a channel nobody reads.
package main

import (
	"io"
	"net"
	"net/http"
	"time"

	"lifeline.dev/traces/internal/harness"
)

type Server struct{ audit chan string }

func (s *Server) handleOrder(w http.ResponseWriter, r *http.Request) {
	id := r.URL.Query().Get("id")
	go func() { // expect: leak count=6 reason="chan send" category=chan-send verdict=leak
		s.audit <- "order " + id // BUG: ignores r.Context(); nobody drains s.audit
	}()
	io.WriteString(w, "ok")
}

func main() {
	harness.Run(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		s := &Server{audit: make(chan string)}
		mux := http.NewServeMux()
		mux.HandleFunc("/order", s.handleOrder)
		srv := &http.Server{Handler: mux}
		go srv.Serve(ln) // expect: benign count=1 reason="network" category=network
		client := &http.Client{Timeout: 2 * time.Second}
		for i := 0; i < 6; i++ {
			resp, err := client.Get("http://" + ln.Addr().String() + "/order?id=" + string(rune('a'+i)))
			if err != nil {
				panic(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		client.CloseIdleConnections()
	})
}
