package cdp

import "testing"

func parseAll(p *Packet, pkts [][]byte) int {
	n := 0
	for _, b := range pkts {
		if Parse(b, p) == nil {
			n += len(p.DeviceID) + len(p.Capabilities.AppendTo(scratch[:0], ','))
		}
	}
	return n
}

var scratch = make([]byte, 0, 64)

func BenchmarkParse(b *testing.B) {
	pkts := packets(b)
	size := 0
	for _, p := range pkts {
		size += len(p)
	}
	var p Packet
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		parseAll(&p, pkts)
	}
}

func TestParseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	pkts := append(packets(t), fullPacket())
	var p Packet
	if n := testing.AllocsPerRun(100, func() { parseAll(&p, pkts) }); n != 0 {
		t.Errorf("Parse allocates %v times per capture, want 0", n)
	}
	in := fullPacket()
	if n := testing.AllocsPerRun(100, func() { Sniff(in); Sniff(in[1:]) }); n != 0 {
		t.Errorf("Sniff allocates %v times, want 0", n)
	}
}
