package shard_test

import (
	"context"
	"fmt"
	"time"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/shard"
	"github.com/medtap/medtap/internal/synth"
)

// Two engines, fed by one reader, with every event reaching one Sink in
// the order of the packets that caused them.
func Example() {
	c := synth.DICOMStore(4, 4096, 16<<10) // four associations with a PACS
	kinds := map[flow.Kind]int{}
	r, err := shard.New(shard.Config{
		Workers: 2,
		Sink:    flow.SinkFunc(func(e *flow.Event) { kinds[e.Kind]++ }),
	})
	if err != nil {
		panic(err)
	}
	r.Start(context.Background()) // the workers' and the merger's goroutines
	for i, frame := range c.Frames {
		r.Packet(c.Times[i], flow.LinkEthernet, frame)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	r.Close(ctx) // ends every flow, waits for its events, stops the goroutines
	st := r.Stats()
	fmt.Println(st.Packets, "packets,", st.Flows, "flows")
	fmt.Println(kinds[flow.KindStart], "started,", kinds[flow.KindEnd], "ended")
	// Output:
	// 60 packets, 4 flows
	// 4 started, 4 ended
}
