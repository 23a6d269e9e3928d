package capture_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
)

// A sensor with one worker: capture eth0 until SIGINT or SIGTERM, then
// take what the ring holds, end every flow and report the kernel's drops.
func ExampleOpenLive() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	l, err := capture.OpenLive(ctx, "eth0", &capture.LiveOptions{Filter: "tcp", Promiscuous: true})
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	eng, err := flow.NewEngine(flow.Config{}, flow.SinkFunc(func(e *flow.Event) {
		fmt.Println(string(flow.AppendEventJSON(nil, e)))
	}))
	if err != nil {
		log.Fatal(err)
	}
	if err := eng.Run(l); err != nil { // returns at the end of ctx, engine flushed
		log.Fatal(err)
	}
	st := l.Stats()
	fmt.Printf("%d packets, %d dropped by the kernel\n", st.Packets, st.Drops)
}

// A sensor with one worker per core: sockets in one fanout group on the
// same interface, each feeding its own engine. The kernel hashes both
// directions of a flow alike, so every flow is whole on one engine.
func ExampleLiveOptions_fanout() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var wg sync.WaitGroup
	for range 4 {
		l, err := capture.OpenLive(ctx, "eth0", &capture.LiveOptions{FanoutGroup: 42})
		if err != nil {
			log.Fatal(err)
		}
		eng, err := flow.NewEngine(flow.Config{}, flow.SinkFunc(func(e *flow.Event) {}))
		if err != nil {
			log.Fatal(err)
		}
		wg.Go(func() {
			defer l.Close()
			if err := eng.Run(l); err != nil {
				log.Print(err)
			}
		})
	}
	wg.Wait()
}
