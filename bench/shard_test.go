package bench

import (
	"context"
	"fmt"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/shard"
)

// BenchmarkSharded runs the bulk DICOM capture through one engine and
// through shard.Runners of 1, 2 and 4 workers, side by side: the whole
// pipeline, with every event reaching one Sink in order (merged), or each
// worker's own Sink (unordered). Each iteration is the whole capture and
// a flush; the engines are reused, as a sensor reuses them.
func BenchmarkSharded(b *testing.B) {
	c := dicomCapture()
	packets := func(b *testing.B) {
		b.ReportMetric(float64(b.N)*float64(len(c.Frames))/b.Elapsed().Seconds(), "packets/s")
	}
	b.Run("engine", func(b *testing.B) {
		var events int
		e := mustEngine(b, flow.Config{}, flow.SinkFunc(func(*flow.Event) { events++ }))
		b.SetBytes(int64(c.Size()))
		b.ReportAllocs()
		for b.Loop() {
			for i, f := range c.Frames {
				e.Packet(c.Times[i], flow.LinkEthernet, f)
			}
			e.Flush()
		}
		packets(b)
		b.ReportMetric(float64(events)/float64(b.N), "events/op")
	})
	for _, n := range []int{1, 2, 4} {
		for _, merged := range []bool{true, false} {
			name := fmt.Sprintf("workers-%d", n)
			if !merged {
				name += "-unordered"
			}
			b.Run(name, func(b *testing.B) {
				counts := make([]int, n)
				cfg := shard.Config{Workers: n}
				if merged {
					cfg.Sink = flow.SinkFunc(func(*flow.Event) { counts[0]++ })
				} else {
					cfg.NewSink = func(i int) flow.Sink { return flow.SinkFunc(func(*flow.Event) { counts[i]++ }) }
				}
				r, err := shard.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				r.Start(context.Background())
				b.SetBytes(int64(c.Size()))
				b.ReportAllocs()
				for b.Loop() {
					for i, f := range c.Frames {
						r.Packet(c.Times[i], flow.LinkEthernet, f)
					}
					r.Flush()
				}
				packets(b)
				r.Close(context.Background())
				events := 0
				for _, k := range counts {
					events += k
				}
				b.ReportMetric(float64(events)/float64(b.N), "events/op")
			})
		}
	}
}
