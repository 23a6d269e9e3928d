//go:build !race

package nbnsflow

import (
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// TestSteadyAllocs sends every message of the nmbd capture, and a Windows
// node status response, again and again on one flow, rendering each
// event's JSON and identities into reused buffers: once warm, a datagram
// costs no allocation.
func TestSteadyAllocs(t *testing.T) {
	var msgs [][]byte
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if d, ok := ev.Detail.(*Message); ok {
			msgs = append(msgs, append([]byte(nil), d.Msg...))
		}
	}))
	flowtest.RunFile(t, e, capture)
	msgs = append(msgs, windowsNodeStatus())
	var pkts [][]byte
	for _, m := range msgs {
		pkts = append(pkts, pkttest.RawUDP(client, server, m))
	}
	js, idbuf := make([]byte, 0, 8192), make([]byte, 0, 1024)
	events, ids := 0, 0
	count := func(flow.Identity) { ids++ } // made once: a closure passed to an interface method escapes
	e = flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol != Name {
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
	feed()
	before := events
	if n := testing.AllocsPerRun(10, feed); n != 0 {
		t.Errorf("%d datagrams allocate %v times, want 0", len(pkts), n)
	}
	if events-before != 11*len(pkts) || ids == 0 {
		t.Errorf("%d events for %d datagrams, %d identities", events-before, 11*len(pkts), ids)
	}
}
