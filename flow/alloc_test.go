package flow

import (
	"encoding/binary"
	"net/netip"
	"strings"
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
	// Flows opened by SYNs, their signatures computed and written into
	// the JSON of the start and end events.
	sink := &jsonSink{buf: make([]byte, 0, 1024)}
	h := newHandshakeLoop(t, 64, sink)
	sink.events = 0
	if n := testing.AllocsPerRun(100, h.run); n != 0 {
		t.Fatalf("Engine.Packet allocates %.1f times per %d packets of short connections", n, len(h.pkts))
	}
	if want := 101 * 64 * 2; sink.events != want {
		t.Fatalf("%d events, want %d (a start and an end per connection)", sink.events, want)
	}
	const sig = "4:64+0:0:1460:mss*44,7:mss,sok,ts,nop,ws:df,id+:0"
	if got, want := string(sink.start), `,"transport":"tcp","syn_sig":"`+sig+`"}`; !strings.HasSuffix(got, want) {
		t.Errorf("start event %s, want it to end %s", got, want)
	}
	if got, want := string(sink.end), `,"bytes_s2c":5,"synack_sig":"`+sig+`"}`; !strings.HasSuffix(got, want) {
		t.Errorf("end event %s, want it to end %s", got, want)
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
	l.bench(b)
}

// bench replays l's packets b.N times in all, as BenchmarkEngine does.
func (l *engineLoop) bench(b *testing.B) {
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

// rawSYN returns a raw-IP IPv4 packet as Linux sends a SYN or SYN+ACK: TTL
// 64, DF, a non-zero ID, MSS 1460, SACK permitted, timestamps, NOP, window
// scale 7.
func rawSYN(src, dst netip.AddrPort, seq, ackn uint32, flags uint8) []byte {
	opts := []byte{2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7}
	b := rawTCP(src, dst, seq, flags, nil)
	b = append(b[:40], opts...)
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	binary.BigEndian.PutUint16(b[4:], 0x5c4a)
	b[6] = 0x40
	binary.BigEndian.PutUint32(b[28:], ackn)
	b[32] = byte(len(b)-20) / 4 << 4
	binary.BigEndian.PutUint16(b[34:], 64240)
	return b
}

// handshakePackets returns nflows short TCP connections: SYN, SYN+ACK,
// request, reply and RST. Replayed, each SYN finds its flow closed and
// starts it again, so every round opens and ends nflows flows.
func handshakePackets(nflows int) [][]byte {
	var pkts [][]byte
	for i := range nflows {
		c := netip.AddrPortFrom(netip.AddrFrom4([4]byte{10, 2, byte(i >> 8), byte(i)}), uint16(30000+i))
		pkts = append(pkts,
			rawSYN(c, srv, 1000, 0, FlagSYN),
			rawSYN(srv, c, 5000, 1001, FlagSYN|FlagACK),
			rawTCP(c, srv, 1001, FlagACK|FlagPSH, []byte("TPROTO request!!")),
			rawTCP(srv, c, 5001, FlagACK|FlagPSH, []byte("reply")),
			rawTCP(c, srv, 1017, FlagRST, nil))
	}
	return pkts
}

// jsonSink renders every event into a reused buffer, as a writer of JSON
// Lines does.
type jsonSink struct {
	buf        []byte
	events     int
	start, end []byte // the last start and end events' JSON
}

func (s *jsonSink) Event(e *Event) {
	s.events++
	s.buf = AppendEventJSON(s.buf[:0], e)
	switch e.Kind {
	case KindStart:
		s.start = append(s.start[:0], s.buf...)
	case KindEnd:
		s.end = append(s.end[:0], s.buf...)
	}
}

// newHandshakeLoop returns an engineLoop over handshakePackets whose engine
// renders every event as JSON.
func newHandshakeLoop(tb testing.TB, nflows int, sink *jsonSink) *engineLoop {
	l := &engineLoop{e: mustEngine(tb, Config{Protocols: []string{"test-null"}}, sink), pkts: handshakePackets(nflows), ts: t0}
	l.run()
	return l
}

// BenchmarkEngineHandshake measures short connections: every packet of a
// handshake, a request and reply and a reset, and the start and end events
// rendered as JSON.
func BenchmarkEngineHandshake(b *testing.B) {
	newHandshakeLoop(b, 256, &jsonSink{buf: make([]byte, 0, 1024)}).bench(b)
}
