// Program: a service that leaks a goroutine on every fourth request, watched by a flight recorder (Go 1.25+'s
// runtime/trace.FlightRecorder), as a service in production is: no trace runs from the start, and when someone
// looks, the recorder writes the last moments. Two snapshots, one early and one later: the goroutines leaked before a
// snapshot's window are in it all the same, found blocked (no creation event), and the later snapshot has more. Then a
// third, tiny one: a recorder started just before 20 more requests, so a window of a few ms where nothing has been
// blocked for long.
//
//	flight-recorder <early.trace> <late.trace> [<tiny.trace>]
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/trace"
	"strconv"
	"time"
)

type reply struct{ body string }

func lookup(key int) reply { return reply{body: "value " + strconv.Itoa(key)} }

// handle answers one request; a cancelled one (every fourth) returns without reading the reply, and the worker
// blocks on its send forever.
func handle(key int, cancelled bool) string {
	replies := make(chan reply)
	go func() { // the leak: blocked on the send once handle has returned
		replies <- lookup(key)
	}()
	if cancelled {
		return ""
	}
	return (<-replies).body
}

// serve handles n requests, one every millisecond.
func serve(from, n int) {
	for i := from; i < from+n; i++ {
		handle(i, i%4 == 0)
		time.Sleep(time.Millisecond)
	}
}

func snapshot(fr *trace.FlightRecorder, path string) {
	f, err := os.Create(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	if _, err := fr.WriteTo(f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: flight-recorder <early.trace> <late.trace>")
		os.Exit(2)
	}
	// A window of about the last 100 ms (with GODEBUG=traceadvanceperiod shorter than that, several generations).
	fr := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: 100 * time.Millisecond})
	if err := fr.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	serve(0, 200)
	runtime.Gosched()
	time.Sleep(20 * time.Millisecond)
	snapshot(fr, os.Args[1])
	serve(200, 200)
	time.Sleep(20 * time.Millisecond)
	snapshot(fr, os.Args[2])
	fr.Stop()
	if len(os.Args) > 3 {
		tiny := trace.NewFlightRecorder(trace.FlightRecorderConfig{MinAge: time.Millisecond})
		if err := tiny.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		serve(400, 20)
		snapshot(tiny, os.Args[3])
		tiny.Stop()
	}
}
