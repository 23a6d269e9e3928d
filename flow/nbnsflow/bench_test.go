package nbnsflow

import (
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// BenchmarkEvents sends the messages of the nmbd capture through an engine
// on one flow, each event's JSON rendered and its identities asked.
func BenchmarkEvents(b *testing.B) {
	var pkts [][]byte
	size := 0
	e := flowtest.NewEngine(b, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if d, ok := ev.Detail.(*Message); ok {
			pkts = append(pkts, pkttest.RawUDP(client, server, d.Msg))
			size += len(d.Msg)
		}
	}))
	flowtest.RunFile(b, e, capture)
	js, idbuf := make([]byte, 0, 8192), make([]byte, 0, 1024)
	ids := 0
	count := func(flow.Identity) { ids++ }
	e = flowtest.NewEngine(b, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Protocol == Name {
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
}
