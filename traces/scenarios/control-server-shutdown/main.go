// Control: an HTTP server on 127.0.0.1 that serves requests and is shut down with Shutdown. No leak.
package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"time"

	"lifeline.dev/traces/internal/harness"
)

func main() {
	harness.Run(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })}
		served := make(chan struct{})
		go func() { // expect: none
			defer close(served)
			srv.Serve(ln)
		}()
		client := &http.Client{Timeout: 2 * time.Second}
		for i := 0; i < 5; i++ {
			resp, err := client.Get("http://" + ln.Addr().String() + "/")
			if err != nil {
				panic(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		client.CloseIdleConnections()
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		srv.Shutdown(ctx)
		<-served
	})
}
