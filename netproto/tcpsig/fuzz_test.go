package tcpsig

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"
)

// maxHeaderSigLen is the longest text of a signature FromHeaders computes:
// "6:100+28:40:65535:mss*32767,255:" then 23 options "?255", one "eol+39"
// and 23 commas, every quirk and ":+".
const maxHeaderSigLen = 237

// FuzzFromHeaders feeds random IP and TCP header bytes to FromHeaders and
// checks that it never panics, that an error comes with the zero Signature
// and an offset inside the input, that the text stays within the bound and
// has p0f's eight fields, that bytes after the declared header lengths
// change nothing, and that nothing allocates.
func FuzzFromHeaders(f *testing.F) {
	f.Add(linuxSYN[:20], linuxSYN[20:], uint16(0), uint16(0))
	f.Add(linuxSYNACK[:20], linuxSYNACK[20:], uint16(0), uint16(1460))
	for _, p := range captureHeaders(f, "testdata/handshakes.pcap") {
		f.Add(p.ip, p.tcp, uint16(p.payload), uint16(0))
	}
	for _, tt := range sigTests {
		ip, tcp := tt.h.build()
		f.Add(ip, tcp, uint16(tt.h.payload), tt.h.peerMSS)
	}
	f.Fuzz(func(t *testing.T, ip, tcp []byte, payloadLen, peerMSS uint16) {
		s, err := FromHeaders(ip, tcp, int(payloadLen), peerMSS)
		if err != nil {
			e, ok := err.(*Error)
			if !ok || e.Offset < 0 || e.Offset > int64(len(ip)+max(len(tcp), 60)) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if s != (Signature{}) {
				t.Fatalf("signature %+v with error %v", s, err)
			}
			return
		}
		if s.NumOptions > MaxOptions || s.EOLPad > 40 || s.IPOptLen > 40 || s.Version != ip[0]>>4 {
			t.Fatalf("fields out of range: %+v", s)
		}
		text := s.AppendTo(nil)
		if len(text) > maxHeaderSigLen || len(text) > MaxLen {
			t.Fatalf("%d bytes: %s", len(text), text)
		}
		if n := bytes.Count(text, []byte(":")); n != 7 {
			t.Fatalf("%d colons: %s", n, text)
		}
		// Bytes after the headers' declared lengths are not read.
		s2, err := FromHeaders(append(ip[:len(ip):len(ip)], 0xff, 0xee), append(tcp[:len(tcp):len(tcp)], 0xff, 0xee), int(payloadLen), peerMSS)
		if err != nil || s2 != s {
			t.Fatalf("trailing bytes changed the signature: %v\n%+v\n%+v", err, s, s2)
		}
		if !raceEnabled {
			buf := make([]byte, 0, MaxLen)
			if n := testing.AllocsPerRun(1, func() {
				s, _ := FromHeaders(ip, tcp, int(payloadLen), peerMSS)
				buf = s.AppendTo(buf[:0])
			}); n != 0 {
				t.Fatalf("%.0f allocations", n)
			}
		}
	})
}

// captureHeaders returns the IP and TCP headers of the TCP packets of a
// pcap file of Ethernet frames (IPv4, or IPv6 without extension headers).
func captureHeaders(tb testing.TB, name string) []genPacket {
	tb.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	if len(b) < 24 || binary.LittleEndian.Uint32(b) != 0xa1b2c3d4 || binary.LittleEndian.Uint32(b[20:]) != 1 {
		tb.Fatalf("%s: not a little-endian pcap file of Ethernet frames", name)
	}
	var pkts []genPacket
	for b = b[24:]; len(b) >= 16; {
		n := int(binary.LittleEndian.Uint32(b[8:]))
		if len(b) < 16+n {
			tb.Fatalf("%s: record cut short", name)
		}
		frame := b[16 : 16+n]
		b = b[16+n:]
		if len(frame) < 14 {
			continue
		}
		ip := frame[14:]
		var hl, total int
		switch binary.BigEndian.Uint16(frame[12:]) {
		case 0x0800:
			hl, total = int(ip[0]&15)*4, int(binary.BigEndian.Uint16(ip[2:]))
		case 0x86dd:
			if ip[6] != 6 {
				continue
			}
			hl, total = 40, 40+int(binary.BigEndian.Uint16(ip[4:]))
		default:
			continue
		}
		doff := int(ip[hl+12]>>4) * 4
		pkts = append(pkts, genPacket{ip: ip[:hl], tcp: ip[hl : hl+doff], payload: total - hl - doff})
	}
	return pkts
}
