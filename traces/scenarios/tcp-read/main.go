// Scenario: clients blocked forever reading from a TCP peer that accepts connections and never answers
// (no read deadline).
package main

import (
	"bufio"
	"net"

	"lifeline.dev/traces/internal/harness"
)

var held []net.Conn

func silentPeer(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		held = append(held, c) // accepts and never writes
	}
}

func readGreeting(addr string) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return
	}
	line, _ := bufio.NewReader(conn).ReadString('\n') // no deadline
	_ = line
}

func main() {
	harness.Run(func() {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		go silentPeer(ln) // expect: benign count=1 reason="network" category=network
		for i := 0; i < 3; i++ {
			go readGreeting(ln.Addr().String()) // expect: leak count=3 reason="network" category=network verdict=leak
		}
	})
}
