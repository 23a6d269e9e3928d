package flow_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/medtap/medtap/flow"
)

// udpFrame returns an Ethernet/IPv4/UDP frame (checksums left zero).
func udpFrame(src, dst netip.AddrPort, payload []byte) []byte {
	b := make([]byte, 14, 42+len(payload))
	b[12] = 0x08
	n := 28 + len(payload)
	ip := []byte{0x45, 0, byte(n >> 8), byte(n), 0, 0, 0, 0, 64, 17, 0, 0}
	s4, d4 := src.Addr().As4(), dst.Addr().As4()
	ip = append(append(ip, s4[:]...), d4[:]...)
	u := 8 + len(payload)
	udp := []byte{byte(src.Port() >> 8), byte(src.Port()), byte(dst.Port() >> 8), byte(dst.Port()), byte(u >> 8), byte(u), 0, 0}
	return append(append(append(b, ip...), udp...), payload...)
}

// Advance ends the flows idle at the time it is given, with that time, as
// a packet would, and counts no packet.
func TestAdvance(t *testing.T) {
	var ends []*flow.FlowInfo
	var times []time.Time
	e, err := flow.NewEngine(flow.Config{UDPIdleTimeout: time.Minute}, flow.SinkFunc(func(ev *flow.Event) {
		if ev.Kind == flow.KindEnd {
			fi := *ev.Detail.(*flow.FlowInfo)
			ends = append(ends, &fi)
			times = append(times, ev.Time)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	src, dst := netip.MustParseAddrPort("10.0.0.1:5000"), netip.MustParseAddrPort("10.0.0.2:5001")
	frame := udpFrame(src, dst, []byte("hello"))
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	e.Packet(t0, flow.LinkEthernet, frame)
	e.Advance(t0.Add(30 * time.Second))
	e.Advance(t0) // earlier: nothing
	if len(ends) != 0 {
		t.Fatalf("ended after 30 s: %+v", ends[0])
	}
	at := t0.Add(61 * time.Second)
	e.Advance(at)
	if len(ends) != 1 || ends[0].Reason != "idle" || !times[0].Equal(at) {
		t.Fatalf("ends %v at %v, want one idle at %v", ends, times, at)
	}
	if st := e.Stats(); st.Packets != 1 || st.ActiveFlows != 0 {
		t.Errorf("stats %+v", st)
	}
}
