// Package pkttest builds packets for the tests of the flow engine and its
// adapters. It imports nothing of medtap's, so flow's own tests use it too.
package pkttest

import (
	"encoding/binary"
	"net/netip"
	"testing"
	"time"
)

// T0 is the capture time tests start from.
var T0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// TCP flags, as in flow.
const (
	FIN = 0x01
	SYN = 0x02
	RST = 0x04
	PSH = 0x08
	ACK = 0x10
)

// RawTCP returns a raw-IP (flow.LinkRaw) IPv4/TCP packet.
func RawTCP(src, dst netip.AddrPort, seq uint32, flags uint8, payload []byte) []byte {
	b := make([]byte, 40+len(payload))
	b[0] = 0x45
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	b[8] = 64
	b[9] = 6
	s4, d4 := src.Addr().As4(), dst.Addr().As4()
	copy(b[12:], s4[:])
	copy(b[16:], d4[:])
	binary.BigEndian.PutUint16(b[20:], src.Port())
	binary.BigEndian.PutUint16(b[22:], dst.Port())
	binary.BigEndian.PutUint32(b[24:], seq)
	b[32] = 5 << 4
	b[33] = flags
	copy(b[40:], payload)
	return b
}

// RawUDP returns a raw-IP (flow.LinkRaw) IPv4/UDP packet.
func RawUDP(src, dst netip.AddrPort, payload []byte) []byte {
	b := make([]byte, 28+len(payload))
	b[0] = 0x45
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	b[8] = 64
	b[9] = 17
	s4, d4 := src.Addr().As4(), dst.Addr().As4()
	copy(b[12:], s4[:])
	copy(b[16:], d4[:])
	binary.BigEndian.PutUint16(b[20:], src.Port())
	binary.BigEndian.PutUint16(b[22:], dst.Port())
	binary.BigEndian.PutUint16(b[24:], uint16(8+len(payload)))
	copy(b[28:], payload)
	return b
}

// MS returns i milliseconds, for packet times T0.Add(MS(i)).
func MS(i int) time.Duration { return time.Duration(i) * time.Millisecond }

// SetSeq rewrites the sequence number of a packet made by RawTCP.
func SetSeq(pkt []byte, seq uint32) { binary.BigEndian.PutUint32(pkt[24:], seq) }

// Cli and Srv are the endpoints of the flows Feed builds.
var (
	Cli = netip.MustParseAddrPort("10.0.0.1:40000")
	Srv = netip.MustParseAddrPort("10.0.0.2:9999")
)

// Seg is one TCP segment between Cli and Srv: Dir 0 is Cli to Srv. Test
// files declare a local type of the same structure (SegOf), so that their
// tables of unkeyed literals pass go vet.
type Seg struct {
	Dir   uint8
	Seq   uint32
	Flags uint8
	Data  string
}

// SegOf is any struct type with Seg's fields.
type SegOf interface {
	~struct {
		Dir   uint8
		Seq   uint32
		Flags uint8
		Data  string
	}
}

// Feed hands each segment to packet as a raw-IP packet, one millisecond
// apart from T0, failing tb on an error.
func Feed[S SegOf](tb testing.TB, packet func(ts time.Time, pkt []byte) error, segs []S) {
	tb.Helper()
	for i, seg := range segs {
		s := Seg(seg)
		src, dst := Cli, Srv
		if s.Dir == 1 {
			src, dst = Srv, Cli
		}
		if err := packet(T0.Add(MS(i)), RawTCP(src, dst, s.Seq, s.Flags, []byte(s.Data))); err != nil {
			tb.Fatalf("packet %d: %v", i, err)
		}
	}
}

// UTF16 encodes ASCII s as UTF-16, little or big endian, with or without a
// byte order mark.
func UTF16(le, bom bool, s string) string {
	var b []byte
	if bom {
		b = append(b, 0xFE, 0xFF)
		if le {
			b[0], b[1] = 0xFF, 0xFE
		}
	}
	for _, c := range []byte(s) {
		if le {
			b = append(b, c, 0)
		} else {
			b = append(b, 0, c)
		}
	}
	return string(b)
}
