package dnsevent_test

import (
	"net/netip"
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/llmnrflow"
	"github.com/medtap/medtap/flow/mdnsflow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// BenchmarkEvents sends the messages of each capture through an engine
// on one flow, each event's JSON rendered and its identities asked.
func BenchmarkEvents(b *testing.B) {
	for _, c := range captures {
		b.Run(c.proto, func(b *testing.B) {
			port := uint16(mdnsflow.Port)
			if c.proto == llmnrflow.Name {
				port = llmnrflow.Port
			}
			dst := netip.AddrPortFrom(pkttest.Srv.Addr(), port)
			var pkts [][]byte
			size := 0
			for _, m := range captureMessages(b, c.proto, c.file) {
				pkts = append(pkts, pkttest.RawUDP(pkttest.Cli, dst, m))
				size += len(m)
			}
			js, idbuf := make([]byte, 0, 64<<10), make([]byte, 0, 4096)
			ids := 0
			count := func(flow.Identity) { ids++ }
			e := flowtest.NewEngine(b, flow.Config{Protocols: []string{c.proto}}, flow.SinkFunc(func(ev *flow.Event) {
				if ev.Protocol == c.proto {
					js = ev.Detail.AppendJSON(js[:0])
					ev.Detail.(flow.Identifier).Identify(ev.Kind, idbuf[:0], count)
				}
			}))
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pkts {
					e.Packet(pkttest.T0, flow.LinkRaw, p)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(pkts)), "ns/datagram")
		})
	}
}
