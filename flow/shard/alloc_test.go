package shard

import (
	"context"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/synth"
)

// In steady state (established flows), neither the producer nor the
// workers nor the merger allocate: the counts cover every goroutine.
func TestSteadyStateAllocs(t *testing.T) {
	c := synth.SmallTCP(256, 8)
	var frames [][]byte
	for _, f := range c.Frames {
		if len(f) > 54 {
			frames = append(frames, f)
		}
	}
	var events int
	r, err := New(Config{Workers: 2, Sink: flow.SinkFunc(func(*flow.Event) { events++ })})
	if err != nil {
		t.Fatal(err)
	}
	r.Start(context.Background())
	defer r.Close(context.Background())
	for i, f := range c.Frames {
		r.Packet(c.Times[i], flow.LinkEthernet, f)
	}
	ts := c.Times[len(c.Times)-1]
	r.barrier(itemSync)
	allocs := testing.AllocsPerRun(20, func() {
		for _, f := range frames {
			r.Packet(ts, flow.LinkEthernet, f)
		}
		r.barrier(itemSync)
	})
	if perPacket := allocs / float64(len(frames)); perPacket != 0 {
		t.Errorf("%.3f allocations per packet (%.0f per %d packets)", perPacket, allocs, len(frames))
	}
	if events == 0 {
		t.Error("no events")
	}
}
