package lldp

import "testing"

// parseAll parses every LLDPDU of pdus, for the benchmark and the
// allocation test, and returns the bytes of system names seen.
func parseAll(a *Advertisement, pdus [][]byte) int {
	n := 0
	for _, p := range pdus {
		if Parse(p, a) == nil {
			n += len(a.SystemName) + len(a.AppendChassisID(scratch[:0]))
		}
	}
	return n
}

var scratch = make([]byte, 0, 64)

func BenchmarkParse(b *testing.B) {
	pdus := lldpdus(b, "testdata/lldp.pcap")
	size := 0
	for _, p := range pdus {
		size += len(p)
	}
	var a Advertisement
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		parseAll(&a, pdus)
	}
}

func TestParseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	pdus := append(lldpdus(t, "testdata/lldp.pcap"), fullLLDPDU())
	var a Advertisement
	if n := testing.AllocsPerRun(100, func() { parseAll(&a, pdus) }); n != 0 {
		t.Errorf("Parse allocates %v times per capture, want 0", n)
	}
	in := fullLLDPDU()
	if n := testing.AllocsPerRun(100, func() { Sniff(in); Sniff(in[1:]) }); n != 0 {
		t.Errorf("Sniff allocates %v times, want 0", n)
	}
}
