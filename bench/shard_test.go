package bench

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/medtap/medtap/capture"
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/shard"
	"github.com/medtap/medtap/internal/synth"
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

// BenchmarkShardedFile is BenchmarkSharded with the capture read as a
// file is, through capture.Reader over the pcap bytes in memory: the
// reader and the runner's producer share one goroutine, as in medscan.
func BenchmarkShardedFile(b *testing.B) {
	c := dicomCapture()
	pcap := c.Pcap()
	run := func(b *testing.B, p interface {
		Packet(time.Time, flow.LinkType, []byte) error
	}, flush func()) {
		b.SetBytes(int64(c.Size()))
		b.ReportAllocs()
		for b.Loop() {
			rd, err := capture.NewReader(bytes.NewReader(pcap), nil)
			if err != nil {
				b.Fatal(err)
			}
			for {
				ts, link, data, err := rd.ReadPacket()
				if err != nil {
					break
				}
				p.Packet(ts, link, data)
			}
			flush()
		}
		b.ReportMetric(float64(b.N)*float64(len(c.Frames))/b.Elapsed().Seconds(), "packets/s")
	}
	b.Run("read-only", func(b *testing.B) {
		run(b, packetFunc(func(time.Time, flow.LinkType, []byte) error { return nil }), func() {})
	})
	b.Run("engine", func(b *testing.B) {
		e := mustEngine(b, flow.Config{}, flow.SinkFunc(func(*flow.Event) {}))
		run(b, e, e.Flush)
	})
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers-%d", n), func(b *testing.B) {
			r, err := shard.New(shard.Config{Workers: n, Sink: flow.SinkFunc(func(*flow.Event) {})})
			if err != nil {
				b.Fatal(err)
			}
			r.Start(context.Background())
			defer r.Close(context.Background())
			run(b, r, func() { r.Flush() })
		})
	}
}

type packetFunc func(time.Time, flow.LinkType, []byte) error

func (f packetFunc) Packet(ts time.Time, link flow.LinkType, data []byte) error {
	return f(ts, link, data)
}

// BenchmarkShardedSmall is BenchmarkSharded on the per-packet worst case:
// 1024 flows of 16-byte payloads, where the engine's work per packet (a
// flow lookup, reassembly, an HL7-sized payload) outweighs the copy.
func BenchmarkShardedSmall(b *testing.B) {
	c := synth.SmallTCP(1024, 64)
	run := func(b *testing.B, p interface {
		Packet(time.Time, flow.LinkType, []byte) error
	}, flush func()) {
		b.SetBytes(int64(c.Size()))
		b.ReportAllocs()
		for b.Loop() {
			for i, f := range c.Frames {
				p.Packet(c.Times[i], flow.LinkEthernet, f)
			}
			flush()
		}
		b.ReportMetric(float64(b.N)*float64(len(c.Frames))/b.Elapsed().Seconds(), "packets/s")
	}
	b.Run("engine", func(b *testing.B) {
		e := mustEngine(b, flow.Config{}, flow.SinkFunc(func(*flow.Event) {}))
		run(b, e, e.Flush)
	})
	for _, n := range []int{1, 2} {
		for _, merged := range []bool{true, false} {
			name := fmt.Sprintf("workers-%d", n)
			cfg := shard.Config{Workers: n, Sink: flow.SinkFunc(func(*flow.Event) {})}
			if !merged {
				name += "-unordered"
				cfg.Sink = nil
				cfg.NewSink = func(int) flow.Sink { return flow.SinkFunc(func(*flow.Event) {}) }
			}
			b.Run(name, func(b *testing.B) {
				r, err := shard.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				r.Start(context.Background())
				defer r.Close(context.Background())
				run(b, r, func() { r.Flush() })
			})
		}
	}
}
