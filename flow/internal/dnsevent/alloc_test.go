//go:build !race

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

// TestSteadyAllocs sends every message of each capture again and again on
// one flow, rendering each event's JSON and identities into reused
// buffers: once the flow, the decoder and the buffers are warm, a
// datagram costs no allocation.
func TestSteadyAllocs(t *testing.T) {
	for _, c := range captures {
		t.Run(c.proto, func(t *testing.T) {
			msgs := captureMessages(t, c.proto, c.file)
			port := uint16(mdnsflow.Port)
			if c.proto == llmnrflow.Name {
				port = llmnrflow.Port
			}
			dst := netip.AddrPortFrom(pkttest.Srv.Addr(), port)
			pkts := make([][]byte, len(msgs))
			for i, m := range msgs {
				pkts[i] = pkttest.RawUDP(pkttest.Cli, dst, m)
			}
			js, idbuf := make([]byte, 0, 64<<10), make([]byte, 0, 4096)
			events, ids := 0, 0
			count := func(flow.Identity) { ids++ } // made once: a closure passed to an interface method escapes
			e := flowtest.NewEngine(t, flow.Config{Protocols: []string{c.proto}}, flow.SinkFunc(func(ev *flow.Event) {
				if ev.Protocol != c.proto {
					return
				}
				events++
				js = ev.Detail.AppendJSON(js[:0])
				if id, ok := ev.Detail.(flow.Identifier); ok {
					id.Identify(ev.Kind, idbuf[:0], count)
				}
			}))
			feed := func() {
				for _, p := range pkts {
					if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
						t.Fatal(err)
					}
				}
			}
			feed() // warm up the flow, the decoder and its buffers
			before := events
			if n := testing.AllocsPerRun(10, feed); n != 0 {
				t.Errorf("%d datagrams allocate %v times, want 0", len(pkts), n)
			}
			if events-before != 11*len(pkts) || ids == 0 {
				t.Errorf("%d events for %d datagrams, %d identities", events-before, 11*len(pkts), ids)
			}
		})
	}
}
