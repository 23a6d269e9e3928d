package flow

import (
	"bytes"
	"encoding/binary"
	"testing"
	"time"
)

// fragments splits a raw IPv4 UDP packet into IPv4 fragments carrying at
// most size bytes (a multiple of 8) of IP payload each.
func fragments(pkt []byte, size int) [][]byte {
	hdr, payload := pkt[:20], pkt[20:]
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := append(bytes.Clone(hdr), payload[off:end]...)
		binary.BigEndian.PutUint16(f[2:], uint16(len(f)))
		binary.BigEndian.PutUint16(f[4:], 0x1234)
		v := uint16(off / 8)
		if end < len(payload) {
			v |= 0x2000
		}
		binary.BigEndian.PutUint16(f[6:], v)
		out = append(out, f)
	}
	return out
}

func TestFragmentReassembly(t *testing.T) {
	payload := bytes.Repeat([]byte("0123456789"), 300)
	frags := fragments(rawUDP(cli, srv, payload), 1480)
	if len(frags) != 3 {
		t.Fatalf("%d fragments", len(frags))
	}
	order := [][]byte{frags[2], frags[0], frags[0], frags[1]} // out of order, one duplicate

	e := mustEngine(t, Config{ReassembleFragments: true, Protocols: []string{"test-udp"}}, nil)
	lastTestDecoder = nil
	for _, f := range order {
		e.Packet(t0, LinkRaw, f)
	}
	if d := lastTestDecoder; d == nil || !bytes.Equal(d.got[0], payload) {
		t.Fatal("datagram not reassembled")
	}
	st := e.Stats()
	if st.Fragments != 4 || st.Reassembled != 1 {
		t.Fatalf("stats %+v", st)
	}

	// Without reassembly, fragments are counted and dropped.
	e = mustEngine(t, Config{Protocols: []string{"test-udp"}}, nil)
	for _, f := range order {
		e.Packet(t0, LinkRaw, f)
	}
	if st := e.Stats(); st.Fragments != 4 || st.FragmentsLost != 4 || st.Flows != 0 {
		t.Fatalf("stats %+v", st)
	}

	// A datagram that never completes times out and is counted lost.
	e = mustEngine(t, Config{ReassembleFragments: true, Protocols: []string{"test-udp"}}, nil)
	e.Packet(t0, LinkRaw, frags[0])
	e.Packet(t0.Add(time.Minute), LinkRaw, rawUDP(cli, srv, []byte("x")))
	e.Packet(t0.Add(time.Minute), LinkRaw, frags[1])
	if st := e.Stats(); st.FragmentsLost != 1 || st.Reassembled != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFragmentBudget(t *testing.T) {
	// Many incomplete datagrams: memory held stays within the budget.
	const budget = 16 << 10
	e := mustEngine(t, Config{ReassembleFragments: true, MaxFragmentBytes: budget}, nil)
	pkt := rawUDP(cli, srv, make([]byte, 3000))
	for i := range 1000 {
		f := fragments(pkt, 1480)[0]
		binary.BigEndian.PutUint16(f[4:], uint16(i))
		e.Packet(t0, LinkRaw, f)
		if e.frag.held > budget {
			t.Fatalf("holding %d bytes", e.frag.held)
		}
	}
	if st := e.Stats(); st.FragmentsLost < 990 {
		t.Fatalf("stats %+v", st)
	}
}

// BenchmarkIncompleteFragments feeds first fragments of datagrams that
// never complete, each from another source, beside the same number of
// SYNs: per packet the two must cost about the same (expiry and eviction
// of datagrams being rebuilt are O(1) amortised, not a scan of the table).
func BenchmarkIncompleteFragments(b *testing.B) {
	const n = 20000
	payload := bytes.Repeat([]byte("x"), 1000)
	frag := fragments(rawUDP(cli, srv, payload), 512)[0]
	syn := rawTCP(cli, srv, 0, FlagSYN, nil)
	for _, kind := range []string{"syn", "fragment"} {
		b.Run(kind, func(b *testing.B) {
			pkt := syn
			if kind == "fragment" {
				pkt = frag
			}
			for range b.N {
				b.StopTimer()
				e := mustEngine(b, Config{ReassembleFragments: true, MaxFlows: 1 << 20, Protocols: []string{"test-udp"}}, nil)
				b.StartTimer()
				for i := range n {
					binary.BigEndian.PutUint32(pkt[12:], 0x0a000000|uint32(i)) // another source
					e.Packet(t0.Add(time.Duration(i)*time.Millisecond), LinkRaw, pkt)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/packet")
		})
	}
}
