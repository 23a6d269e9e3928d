package bench

import (
	"bytes"
	"net/netip"
	"sync"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/reassembly"
	"github.com/medtap/medtap/flow"
	_ "github.com/medtap/medtap/flow/all"
	"github.com/medtap/medtap/internal/synth"
)

// smallCapture is 1024 established flows carrying 16-byte payloads: the
// per-packet worst case.
var smallCapture = sync.OnceValue(func() *synth.Capture { return synth.SmallTCP(1024, 8) })

// dataPackets are the payload-carrying frames of smallCapture (no
// handshakes), so every iteration is a steady-state packet.
func dataPackets(c *synth.Capture) [][]byte {
	var out [][]byte
	for _, f := range c.Frames {
		if len(f) > 54 {
			out = append(out, f)
		}
	}
	return out
}

func reportPackets(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}

// BenchmarkDecode compares L2–L4 decoding over the same frames: medtap's
// engine (decode + flow lookup + reassembly bookkeeping), medtap's decoder
// alone, gopacket's NewPacket, and gopacket's DecodingLayerParser with
// reused layers (decode only, no flow lookup).
func BenchmarkDecode(b *testing.B) {
	small := smallCapture()
	frames := dataPackets(small)
	size := int64(len(frames[0]))
	b.Run("medtap", func(b *testing.B) {
		e := mustEngine(b, flow.Config{}, nil)
		for i, f := range small.Frames {
			e.Packet(small.Times[i], flow.LinkEthernet, f)
		}
		ts := small.Times[len(small.Times)-1]
		b.SetBytes(size)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			e.Packet(ts, flow.LinkEthernet, frames[i%len(frames)])
		}
		reportPackets(b)
		if st := e.Stats(); st.Flows != 1024 {
			b.Fatalf("flows %d", st.Flows)
		}
	})
	b.Run("medtap-decode-only", func(b *testing.B) {
		var p flow.Packet
		b.SetBytes(size)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := p.Decode(flow.LinkEthernet, frames[i%len(frames)]); err != nil {
				b.Fatal(err)
			}
		}
		reportPackets(b)
	})
	b.Run("gopacket-newpacket", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			p := gopacket.NewPacket(frames[i%len(frames)], layers.LayerTypeEthernet, gopacket.NoCopy)
			if p.TransportLayer() == nil {
				b.Fatal("no transport layer")
			}
		}
		reportPackets(b)
	})
	b.Run("gopacket-dlp", func(b *testing.B) {
		var eth layers.Ethernet
		var ip4 layers.IPv4
		var tcp layers.TCP
		var pl gopacket.Payload
		parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip4, &tcp, &pl)
		decoded := make([]gopacket.LayerType, 0, 4)
		b.SetBytes(size)
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if err := parser.DecodeLayers(frames[i%len(frames)], &decoded); err != nil {
				b.Fatal(err)
			}
		}
		reportPackets(b)
	})
}

// reassemblyCapture is 64 flows of 64 KiB each in 1460-byte segments, with
// every fourth pair of segments swapped.
var reassemblyCapture = sync.OnceValue(func() *synth.Capture {
	c := synth.NewCapture()
	payload := bytes.Repeat([]byte("0123456789abcdef"), 4096)
	for i := range 64 {
		cli := netipPort(10, 40, byte(i), 1, uint16(30000+i))
		k := c.Dial(cli, netipPort(10, 40, 255, 1, 9000))
		k.Write(0, payload, 1460)
		k.Close()
	}
	// Swap neighbouring data segments to force out-of-order buffering.
	for i := 4; i+1 < len(c.Frames); i += 8 {
		if len(c.Frames[i]) > 54 && len(c.Frames[i+1]) > 54 {
			c.Frames[i], c.Frames[i+1] = c.Frames[i+1], c.Frames[i]
		}
	}
	return c
})

type countStream struct{ n *int }

func (s countStream) Accept(*layers.TCP, gopacket.CaptureInfo, reassembly.TCPFlowDirection, reassembly.Sequence, *bool, reassembly.AssemblerContext) bool {
	return true
}
func (s countStream) ReassembledSG(sg reassembly.ScatterGather, _ reassembly.AssemblerContext) {
	n, _ := sg.Lengths()
	*s.n += n
}
func (s countStream) ReassemblyComplete(reassembly.AssemblerContext) bool { return true }

type countFactory struct{ n *int }

func (f countFactory) New(_, _ gopacket.Flow, _ *layers.TCP, _ reassembly.AssemblerContext) reassembly.Stream {
	return countStream(f)
}

type asmCtx struct{ ci gopacket.CaptureInfo }

func (c *asmCtx) GetCaptureInfo() gopacket.CaptureInfo { return c.ci }

// BenchmarkReassembly compares TCP reassembly of the same capture, decode
// included on both sides: medtap's engine and gopacket's reassembly package
// with DecodingLayerParser.
func BenchmarkReassembly(b *testing.B) {
	c := reassemblyCapture()
	want := 64 * 65536
	b.Run("medtap", func(b *testing.B) {
		b.SetBytes(int64(c.Size()))
		b.ReportAllocs()
		for b.Loop() {
			e := mustEngine(b, flow.Config{Protocols: []string{}}, nil)
			for i, f := range c.Frames {
				e.Packet(c.Times[i], flow.LinkEthernet, f)
			}
			e.Flush()
			if st := e.Stats(); st.OutOfOrder == 0 || st.Gaps != 0 || st.Flows != 64 {
				b.Fatalf("stats %+v", st)
			}
		}
	})
	b.Run("gopacket", func(b *testing.B) {
		var eth layers.Ethernet
		var ip4 layers.IPv4
		var tcp layers.TCP
		var pl gopacket.Payload
		parser := gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &eth, &ip4, &tcp, &pl)
		decoded := make([]gopacket.LayerType, 0, 4)
		b.SetBytes(int64(c.Size()))
		b.ReportAllocs()
		for b.Loop() {
			var n int
			pool := reassembly.NewStreamPool(countFactory{&n})
			asm := reassembly.NewAssembler(pool)
			ctx := &asmCtx{}
			for i, f := range c.Frames {
				if err := parser.DecodeLayers(f, &decoded); err != nil {
					b.Fatal(err)
				}
				ctx.ci = gopacket.CaptureInfo{Timestamp: c.Times[i], CaptureLength: len(f), Length: len(f)}
				asm.AssembleWithContext(ip4.NetworkFlow(), &tcp, ctx)
			}
			asm.FlushAll()
			if n != want {
				b.Fatalf("reassembled %d bytes, want %d", n, want)
			}
		}
	})
}

// dicomCapture is a bulk C-STORE capture: 200 associations of 256 KiB
// objects in 16 KiB PDUs (about 55 MB of frames).
var dicomCapture = sync.OnceValue(func() *synth.Capture { return synth.DICOMStore(200, 256<<10, 16<<10) })

// BenchmarkPipeline runs the whole pipeline (decode, flows, reassembly,
// identification, protocol decoders, events to a sink) over the bulk DICOM
// capture held in memory.
func BenchmarkPipeline(b *testing.B) {
	c := dicomCapture()
	b.Run("medtap", func(b *testing.B) {
		var events int
		sink := flow.SinkFunc(func(*flow.Event) { events++ })
		b.SetBytes(int64(c.Size()))
		b.ReportAllocs()
		for b.Loop() {
			e := mustEngine(b, flow.Config{}, sink)
			for i, f := range c.Frames {
				e.Packet(c.Times[i], flow.LinkEthernet, f)
			}
			e.Flush()
		}
		b.ReportMetric(float64(events)/float64(b.N), "events/op")
	})
}

func netipPort(a, b, c, d byte, port uint16) netip.AddrPort {
	return netip.AddrPortFrom(netip.AddrFrom4([4]byte{a, b, c, d}), port)
}

// mustEngine is flow.NewEngine, failing tb on an error.
func mustEngine(tb testing.TB, cfg flow.Config, sink flow.Sink) *flow.Engine {
	tb.Helper()
	e, err := flow.NewEngine(cfg, sink)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}
