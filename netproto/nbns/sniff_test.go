package nbns

import "testing"

func TestSniff(t *testing.T) {
	for _, tt := range []struct {
		name string
		in   []byte
		want bool
	}{
		{"registration", registration("WARD3-PC", 0, false), true},
		{"node status", nodeStatus(), true},
		{"empty", nil, false},
		{"short", registration("WARD3-PC", 0, false)[:45], false},
		{"no entries", append(registration("WARD3-PC", 0, false)[:4], make([]byte, 60)...), false},
		{"opcode 3", message(1, 3<<11, [4]int{1, 0, 0, 0}, name("A", 0), u16(0x20), u16(1)), false},
		{"dns query", append(message(1, 0, [4]int{1, 0, 0, 0}, []byte{7}, []byte("example"), []byte{3, 'c', 'o', 'm', 0}, u16(1), u16(1)), make([]byte, 30)...), false},
		{"letter past P", message(1, 0, [4]int{1, 0, 0, 0}, append([]byte{32, 'Z'}, name("A", 0)[2:]...), u16(0x20), u16(1)), false},
		{"http", []byte("GET / HTTP/1.1\r\nHost: pacs.example.org\r\nAccept: */*\r\n\r\n"), false},
	} {
		if got := Sniff(tt.in); got != tt.want {
			t.Errorf("%s: Sniff = %v, want %v", tt.name, got, tt.want)
		}
	}
	for i, m := range pcapUDP(t, "testdata/nbns.pcap") {
		if !Sniff(m) {
			t.Errorf("capture packet %d: Sniff = false", i+1)
		}
	}
}
