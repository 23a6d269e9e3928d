package snmp

import "testing"

var (
	sysDescr = MustParseOID("1.3.6.1.2.1.1.1.0")
	scratch  = make([]byte, 0, 256)
)

// parseAll parses every message, walks its bindings and prints their
// names and values, as an adapter does.
func parseAll(p *Parser, m *Message, msgs [][]byte) int {
	n := 0
	for _, b := range msgs {
		if p.Parse(b, m) != nil || !m.HasPDU {
			continue
		}
		it := m.PDU.VarBinds()
		for it.Next() {
			vb := it.VarBind()
			n += len(vb.Value.AppendTo(vb.Name.AppendTo(scratch[:0])))
		}
		if v, ok := m.PDU.Lookup(sysDescr); ok {
			n += len(v.Bytes)
		}
		if DefaultCommunity(m.Community) {
			n++
		}
	}
	return n
}

func BenchmarkParse(b *testing.B) {
	msgs := datagrams(b)
	size := 0
	for _, m := range msgs {
		size += len(m)
	}
	var (
		p Parser
		m Message
	)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		parseAll(&p, &m, msgs)
	}
}

func TestParseAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	msgs := append(datagrams(t), sysResponse())
	var (
		p Parser
		m Message
	)
	if n := testing.AllocsPerRun(50, func() { parseAll(&p, &m, msgs) }); n != 0 {
		t.Errorf("parsing the capture allocates %v times, want 0", n)
	}
	in := sysResponse()
	var w Walker
	if n := testing.AllocsPerRun(100, func() {
		Sniff(in)
		w.Reset(in)
		for w.Next() {
		}
		it := sysDescr.Arcs()
		for it.Next() {
		}
	}); n != 0 {
		t.Errorf("Sniff, Walker and ArcIter allocate %v times, want 0", n)
	}
}
