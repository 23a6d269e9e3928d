package flow

import (
	"net/netip"
	"testing"
	"time"

	"github.com/medtap/medtap/internal/pkttest"
)

// steadyPackets returns packets of nflows established TCP flows that carry
// small payloads in order, as a tracking engine sees most of the time.
func steadyPackets(nflows, perFlow int) [][]byte {
	var pkts [][]byte
	for i := range nflows {
		src := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 1, byte(i >> 8), byte(i)}), uint16(30000+i))
		pkts = append(pkts, rawTCP(src, srv, 1000, FlagSYN, nil))
		seq := uint32(1001)
		for range perFlow {
			pkts = append(pkts, rawTCP(src, srv, seq, FlagACK|FlagPSH, []byte("TPROTO payload!!")))
			seq += 16
		}
	}
	return pkts
}

// engineLoop feeds pkts to e, wrapping sequence numbers forward on every
// round so the flows stay in order.
type engineLoop struct {
	e    *Engine
	pkts [][]byte
	ts   time.Time
}

func newEngineLoop(tb testing.TB, nflows int) *engineLoop {
	l := &engineLoop{e: mustEngine(tb, Config{Protocols: []string{"test-null"}}, nil), pkts: steadyPackets(nflows, 4), ts: t0}
	l.run() // warm up: create the flows
	return l
}

// run replays the data packets; retransmissions after the first round are
// dropped by reassembly after the flow lookup, like duplicate traffic.
func (l *engineLoop) run() {
	for _, p := range l.pkts {
		l.e.Packet(l.ts, LinkRaw, p)
	}
}

func init() {
	Register(Protocol{Name: "test-null", Transport: TCP, Ports: []uint16{9999},
		New: func() Decoder { return nullDecoder{} }})
}

type nullDecoder struct{}

func (nullDecoder) Data(*Context, Dir, []byte) {}
func (nullDecoder) Gap(*Context, Dir, int)     {}
func (nullDecoder) Close(*Context)             {}

func TestEngineAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	l := newEngineLoop(t, 64)
	if n := testing.AllocsPerRun(100, l.run); n != 0 {
		t.Fatalf("Engine.Packet allocates %.1f times per %d packets", n, len(l.pkts))
	}
	var p Packet
	pkt := l.pkts[1]
	if n := testing.AllocsPerRun(1000, func() { p.Decode(LinkRaw, pkt) }); n != 0 {
		t.Fatalf("Packet.Decode allocates %.1f times", n)
	}
}

func TestReassemblyAllocs(t *testing.T) {
	if pkttest.RaceEnabled {
		t.Skip("allocation counts differ under the race detector")
	}
	e := mustEngine(t, Config{Protocols: []string{"test-null"}}, nil)
	seq := uint32(1)
	e.Packet(t0, LinkRaw, rawTCP(cli, srv, 0, FlagSYN, nil))
	a := rawTCP(cli, srv, 0, FlagACK, []byte("0123456789"))
	b := rawTCP(cli, srv, 0, FlagACK, []byte("abcdefghij"))
	step := func() {
		// b arrives before a: buffered, then drained.
		pkttest.SetSeq(b, seq+10)
		pkttest.SetSeq(a, seq)
		e.Packet(t0, LinkRaw, b)
		e.Packet(t0, LinkRaw, a)
		seq += 20
	}
	step()
	if n := testing.AllocsPerRun(1000, step); n != 0 {
		t.Fatalf("out-of-order reassembly allocates %.1f times per pair", n)
	}
	if st := e.Stats(); st.OutOfOrder < 1000 || st.BufferedBytes != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func BenchmarkEngine(b *testing.B) {
	l := newEngineLoop(b, 1024)
	var n int64
	for _, p := range l.pkts {
		n += int64(len(p))
	}
	b.SetBytes(n / int64(len(l.pkts)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; {
		for _, p := range l.pkts {
			l.e.Packet(l.ts, LinkRaw, p)
			i++
			if i == b.N {
				break
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "packets/s")
}
