package dhcpflow

import (
	"testing"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/internal/flowtest"
	"github.com/medtap/medtap/internal/pkttest"
)

// steadyPackets are a DHCPv4 renewal and its ACK, and a DHCPv6 Solicit
// and Reply, each on its own flow.
func steadyPackets() [][]byte {
	host := []byte{12, 4, 'p', 'u', 'm', 'p', 81, 13, 5, 0, 0, 4, 'p', 'u', 'm', 'p', 4, 'w', 'a', 'r', 'd', 55, 4, 1, 3, 6, 15}
	ciaddr := func(b []byte) { copy(b[12:], []byte{10, 211, 0, 50}) }
	yiaddr := func(b []byte) { copy(b[16:], []byte{10, 211, 0, 50}) }
	reply6 := cat([]byte{7, 0xab, 0xcd, 0xef}, opt6(1, 0, 3, 0, 1, 2, 0x11, 0, 0, 0, 0x50), opt6(2, 0, 3, 0, 1, 2, 0x11, 0, 0, 0, 1),
		opt6(3, cat([]byte{0, 0, 0, 1, 0, 0, 0, 60, 0, 0, 0, 90}, opt6(5, cat([]byte{0xfd, 0x11, 0x02, 0x11, 15: 0x50}, []byte{0, 0, 0, 120, 0, 0, 0, 240})...))...),
		opt6(39, 0, 4, 'p', 'u', 'm', 'p', 0))
	return [][]byte{
		pkttest.RawUDP(cli, srv, msg4(1, ciaddr, cat([]byte{53, 1, 3, 60, 8}, []byte("MSFT 5.0"), host)...)),
		pkttest.RawUDP(srv, cli, msg4(2, yiaddr, cat([]byte{53, 1, 5, 51, 4, 0, 0, 0x0e, 0x10, 54, 4, 10, 211, 0, 1}, host)...)),
		rawUDP6(cli6, allDHCP6, solicit),
		rawUDP6(srv6, cli6, reply6),
	}
}

// TestSteadyAllocs checks that decoding DHCP datagrams on known flows and
// rendering their events, identities included, allocates nothing.
func TestSteadyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	ids := 0
	yield := func(flow.Identity) { ids++ }
	buf := make([]byte, 0, 256)
	e := flowtest.NewEngine(t, flow.Config{Protocols: []string{Name}}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Kind == flow.KindError {
			t.Fatalf("error event: %s", ev.Detail.AppendJSON(nil))
		}
		sink.Event(ev)
		if id, ok := ev.Detail.(flow.Identifier); ok {
			id.Identify(ev.Kind, buf[:0], yield)
		}
	}))
	pkts := steadyPackets()
	feed := func() {
		for _, p := range pkts {
			if err := e.Packet(pkttest.T0, flow.LinkRaw, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	feed() // the flows and the decoders' buffers
	before, idsBefore := sink.Events, ids
	if n := testing.AllocsPerRun(100, feed); n != 0 {
		t.Errorf("decoding %d datagrams allocates %v times, want 0", len(pkts), n)
	}
	if got := (sink.Events - before) / 101; got != len(pkts) {
		t.Errorf("%d events per run, want %d", got, len(pkts))
	}
	if ids == idsBefore {
		t.Error("no identities")
	}
}

// BenchmarkDecode decodes the datagrams of TestSteadyAllocs through the
// engine, rendering each event.
func BenchmarkDecode(b *testing.B) {
	sink := &flowtest.CountSink{Buf: make([]byte, 0, 4096)}
	e := flowtest.NewEngine(b, flow.Config{Protocols: []string{Name}}, sink)
	pkts := steadyPackets()
	size := 0
	for _, p := range pkts {
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, p := range pkts {
			e.Packet(pkttest.T0, flow.LinkRaw, p)
		}
	}
}
