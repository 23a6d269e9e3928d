package dhcp

import "testing"

var sniffTests = []struct {
	name string
	in   []byte
	want bool
}{
	{"discover", msg4(1, opt(OptMessageType, 1)), true},
	{"reply", msg4(2), true},
	{"header and cookie only", header4(1), true},
	{"hlen 16", func() []byte { b := header4(1); b[2] = 16; return b }(), true},
	{"hlen 17", func() []byte { b := header4(1); b[2] = 17; return b }(), false},
	{"op 0", func() []byte { b := header4(1); b[0] = 0; return b }(), false},
	{"op 3", func() []byte { b := header4(1); b[0] = 3; return b }(), false},
	{"no cookie", make([]byte, 300), false},
	{"cut before the cookie ends", header4(1)[:239], false},
	{"DHCPv6 solicit", solicit, false},
	{"empty", nil, false},
}

func TestSniff(t *testing.T) {
	for _, tt := range sniffTests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Sniff(tt.in); got != tt.want {
				t.Errorf("Sniff = %v, want %v", got, tt.want)
			}
		})
	}
}
