// A gRPC client and server in one process (google.golang.org/grpc, no generated code: a hand-written ServiceDesc).
// Healthy: unary calls from a few goroutines, which all end; the ClientConn and the Server stay open, as in a service,
// so gRPC's own goroutines (callback serializers, each connection's reader and writer, the server's keepalive) are
// alive at the end and must not be called leaks. The leak: watch opens a server stream with context.Background(),
// reads three messages and returns without cancelling it, so gRPC's client-stream goroutine waits for a context that
// is never done, and the server's handler blocks for good in Send once flow control fills up.
package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"runtime/trace"
	"sync"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type feed struct{}

func (feed) subscribe(st grpc.ServerStream) error {
	payload := make([]byte, 16<<10)
	for {
		if err := st.SendMsg(wrapperspb.Bytes(payload)); err != nil {
			return err
		}
	}
}

var feedDesc = grpc.ServiceDesc{
	ServiceName: "demo.Feed",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{
		MethodName: "Echo",
		Handler: func(_ any, _ context.Context, dec func(any) error, _ grpc.UnaryServerInterceptor) (any, error) {
			in := new(wrapperspb.StringValue)
			if err := dec(in); err != nil {
				return nil, err
			}
			return wrapperspb.String("echo:" + in.Value), nil
		},
	}},
	Streams: []grpc.StreamDesc{{
		StreamName:    "Subscribe",
		ServerStreams: true,
		Handler: func(srv any, st grpc.ServerStream) error {
			if err := st.RecvMsg(new(wrapperspb.StringValue)); err != nil {
				return err
			}
			return srv.(feed).subscribe(st)
		},
	}},
}

var subscribeDesc = &grpc.StreamDesc{StreamName: "Subscribe", ServerStreams: true}

func watch(cc *grpc.ClientConn, symbol string) error {
	// BUG: the stream's context is never cancelled, and the stream is left after three messages.
	st, err := cc.NewStream(context.Background(), subscribeDesc, "/demo.Feed/Subscribe") // expect: leak count=3 reason="select" category=select verdict=leak pattern=grpc-stream-abandoned via=library
	if err != nil {
		return err
	}
	if err := st.SendMsg(wrapperspb.String(symbol)); err != nil {
		return err
	}
	if err := st.CloseSend(); err != nil {
		return err
	}
	for i := 0; i < 3; i++ {
		if err := st.RecvMsg(new(wrapperspb.BytesValue)); err != nil {
			return err
		}
	}
	return nil
}

func main() {
	out, err := os.Create(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer out.Close()
	if err := trace.Start(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	srv := grpc.NewServer()
	srv.RegisterService(&feedDesc, feed{})
	// The server's stream handlers run in goroutines its connection's goroutines start: they are this line's.
	go srv.Serve(lis) // expect: leak count=3 reason="select" category=select verdict=leak pattern=grpc-stream-abandoned via=ancestor entry=google.golang.org/grpc.(*Server).serveStreams.func2.1
	cc, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) { // expect: none
			defer wg.Done()
			for i := 0; i < 5; i++ {
				if err := cc.Invoke(context.Background(), "/demo.Feed/Echo", wrapperspb.String(fmt.Sprint(w, i)), new(wrapperspb.StringValue)); err != nil {
					fmt.Fprintln(os.Stderr, err)
					os.Exit(1)
				}
			}
		}(w)
	}
	wg.Wait()
	for _, symbol := range []string{"GOOG", "AAPL", "MSFT"} {
		if err := watch(cc, symbol); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	time.Sleep(200 * time.Millisecond)
	trace.Stop()
}
