// Package pcaptest reads the UDP payloads of the captures the protocol
// packages under netproto commit in their testdata, for their tests. It
// imports only the standard library, as they do.
package pcaptest

import (
	"encoding/binary"
	"os"
	"testing"
)

// UDPPayloads returns the UDP payloads of a little-endian Ethernet pcap
// with IPv4 and IPv6 packets (no IPv6 extension headers), as tcpdump
// writes them; other frames are skipped.
func UDPPayloads(tb testing.TB, path string) [][]byte {
	tb.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		tb.Fatal(err)
	}
	if len(data) < 24 || binary.LittleEndian.Uint32(data) != 0xa1b2c3d4 || binary.LittleEndian.Uint32(data[20:]) != 1 {
		tb.Fatalf("%s: not a little-endian Ethernet pcap", path)
	}
	var out [][]byte
	for off := 24; off+16 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[off+8:]))
		if off+16+n > len(data) {
			tb.Fatalf("%s: truncated record at %d", path, off)
		}
		frame := data[off+16 : off+16+n]
		off += 16 + n
		if len(frame) < 14+40 {
			continue
		}
		ip := frame[14:]
		var udp []byte
		switch binary.BigEndian.Uint16(frame[12:]) {
		case 0x0800:
			if ip[9] == 17 {
				udp = ip[int(ip[0]&0xF)*4:]
			}
		case 0x86DD:
			if ip[6] == 17 {
				udp = ip[40:]
			}
		}
		if len(udp) < 8 || int(binary.BigEndian.Uint16(udp[4:])) > len(udp) {
			continue
		}
		out = append(out, udp[8:binary.BigEndian.Uint16(udp[4:])])
	}
	return out
}
