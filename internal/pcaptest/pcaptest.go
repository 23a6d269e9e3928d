// Package pcaptest reads the frames of a committed capture for the tests
// of protocol packages that decode link-layer or UDP payloads.
package pcaptest

import (
	"encoding/binary"
	"io"
	"testing"

	"github.com/medtap/medtap/capture"
)

// Frames returns copies of the frames of the named capture file.
func Frames(tb testing.TB, name string) [][]byte {
	tb.Helper()
	r, err := capture.Open(name, nil)
	if err != nil {
		tb.Fatal(err)
	}
	defer r.Close()
	var out [][]byte
	for {
		_, _, data, err := r.ReadPacket()
		if err == io.EOF {
			return out
		}
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, append([]byte(nil), data...))
	}
}

// EtherPayloads returns the payloads of the Ethernet frames of the named
// capture whose EtherType is etherType, or, for 802.3 frames with an
// LLC/SNAP header, whose SNAP protocol id is (0x2000 for CDP).
func EtherPayloads(tb testing.TB, name string, etherType uint16) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, f := range Frames(tb, name) {
		if len(f) < 14 {
			continue
		}
		t := binary.BigEndian.Uint16(f[12:])
		switch {
		case t == etherType:
			out = append(out, f[14:])
		case t <= 1500 && len(f) >= 22 && f[14] == 0xaa && f[15] == 0xaa && f[16] == 3 &&
			binary.BigEndian.Uint16(f[20:]) == etherType:
			out = append(out, f[22:min(len(f), 14+int(t))])
		}
	}
	return out
}

// UDPPayloads returns the UDP payloads of the IPv4 Ethernet frames of the
// named capture (without IP options or fragments).
func UDPPayloads(tb testing.TB, name string) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, f := range Frames(tb, name) {
		if len(f) < 14+20+8 || binary.BigEndian.Uint16(f[12:]) != 0x0800 || f[14+9] != 17 {
			continue
		}
		ihl := int(f[14]&15) * 4
		udp := f[14+ihl:]
		n := int(binary.BigEndian.Uint16(udp[4:]))
		if n < 8 || n > len(udp) {
			tb.Fatalf("%s: UDP length %d of %d bytes", name, n, len(udp))
		}
		out = append(out, udp[8:n])
	}
	return out
}
