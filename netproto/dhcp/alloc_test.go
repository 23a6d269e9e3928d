//go:build !race

package dhcp

import "testing"

func TestParseAllocs(t *testing.T) {
	v4, v6 := captureMessages(t)
	v4 = append(v4, fuzzSeeds4Static()...)
	var m Message
	var m6 Message6
	walk4(&m, v4) // grow the buffer for joined options once
	if n := testing.AllocsPerRun(100, func() { walk4(&m, v4) }); n != 0 {
		t.Errorf("parsing the DHCPv4 messages allocates %v times, want 0", n)
	}
	if n := testing.AllocsPerRun(100, func() { walk6(&m6, v6) }); n != 0 {
		t.Errorf("parsing the DHCPv6 messages allocates %v times, want 0", n)
	}
}

func TestSniffAllocs(t *testing.T) {
	n := 0
	if a := testing.AllocsPerRun(100, func() {
		for _, tt := range sniffTests {
			if Sniff(tt.in) {
				n++
			}
		}
	}); a != 0 {
		t.Errorf("Sniff allocates %v times, want 0", a)
	}
	if n == 0 {
		t.Error("Sniff found nothing")
	}
}
