package dnsmsg

import "testing"

var sniffTests = []struct {
	name string
	in   []byte
	want bool
}{
	{"announcement", announcement(), true},
	{"query", newBuilder(0, 0).question("_dicom._tcp.local", TypePTR, 1).msg(), true},
	{"llmnr", newBuilder(9, 0).question("ward3-pc", TypeA, 1).msg(), true},
	{"empty", nil, false},
	{"short", []byte{0, 0, 0, 0, 0, 1}, false},
	{"no entries", newBuilder(0, FlagResponse).msg(), false},
	{"opcode 3", newBuilder(0, 3<<11).question("a.local", TypeA, 1).msg(), false},
	{"opcode 15", newBuilder(0, 15<<11).question("a.local", TypeA, 1).msg(), false},
	{"counts too big", append(newBuilder(0, 0).question("a.local", TypeA, 1).msg()[:4], 0x10, 0, 0, 0, 0, 0, 0, 0, 1, 'a', 0, 0, 1, 0, 1), false},
	{"bad name", append(newBuilder(0, 0).question("", TypeA, 1).msg()[:12], 0x80, 0, 1, 0, 1), false},
	{"http", []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), false},
	{"tls", []byte{0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03, 0, 0, 0}, false},
	{"record first", newBuilder(0, FlagResponse).rr(SectionAnswer, "a.local", TypeA, 1, 1, func(b *builder) { b.bytes(1, 2, 3, 4) }).msg(), true},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		if got := Sniff(tt.in); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
	for i, msg := range pcapUDP(t, "testdata/mdns.pcap") {
		if !Sniff(msg) {
			t.Errorf("mdns packet %d: Sniff = false", i+1)
		}
	}
}
