package flow

import (
	"net/netip"
	"time"
)

// fragTimeout is how long, in packet time, a partly received datagram is
// kept.
const fragTimeout = 30 * time.Second

// maxDatagram is the largest datagram rebuilt from fragments.
const maxDatagram = 65535

type fragKey struct {
	src, dst netip.Addr
	id       uint32
	proto    uint8
}

type fragPiece struct{ off, end int }

type fragBuf struct {
	data   []byte
	pieces []fragPiece // received ranges, unordered
	total  int         // datagram payload length; -1 until the last fragment arrived
	first  time.Time
}

// defragmenter rebuilds fragmented datagrams within a byte budget. Only
// used when Config.ReassembleFragments is set; it allocates per datagram.
type defragmenter struct {
	budget, held int
	bufs         map[fragKey]*fragBuf
	out          []byte
}

func newDefragmenter(budget int) *defragmenter {
	return &defragmenter{budget: budget, bufs: make(map[fragKey]*fragBuf)}
}

// add stores the fragment in p. When it completes a datagram, add returns
// its transport bytes (valid until the next call) and true.
func (d *defragmenter) add(p *Packet, now time.Time, st *Stats) ([]byte, bool) {
	for k, b := range d.bufs {
		if now.Sub(b.first) > fragTimeout {
			d.drop(k, b, st)
		}
	}
	payload := p.IPPayload
	off := int(p.FragOffset)
	end := off + len(payload)
	if end > maxDatagram || p.Truncated {
		st.FragmentsLost++
		return nil, false
	}
	k := fragKey{src: p.Src, dst: p.Dst, id: p.FragID, proto: p.Protocol}
	b := d.bufs[k]
	if b == nil {
		b = &fragBuf{total: -1, first: now}
		d.bufs[k] = b
	}
	if end > len(b.data) {
		grow := min(max(end, 2*len(b.data), 2048), maxDatagram) - len(b.data)
		for d.held+grow > d.budget {
			// Over budget: drop the oldest other datagram being rebuilt.
			var ok fragKey
			var oldest *fragBuf
			for k2, b2 := range d.bufs {
				if b2 != b && (oldest == nil || b2.first.Before(oldest.first)) {
					ok, oldest = k2, b2
				}
			}
			if oldest == nil {
				d.drop(k, b, st)
				st.FragmentsLost++
				return nil, false
			}
			d.drop(ok, oldest, st)
		}
		b.data = append(b.data, make([]byte, grow)...)
		d.held += grow
	}
	copy(b.data[off:end], payload)
	b.pieces = append(b.pieces, fragPiece{off, end})
	if !p.MoreFrags {
		b.total = end
	}
	if b.total < 0 || !covered(b.pieces, b.total) {
		if len(b.pieces) > 1024 {
			d.drop(k, b, st)
		}
		return nil, false
	}
	d.out = append(d.out[:0], b.data[:b.total]...)
	delete(d.bufs, k)
	d.held -= len(b.data)
	st.Reassembled++
	return d.out, true
}

func (d *defragmenter) drop(k fragKey, b *fragBuf, st *Stats) {
	st.FragmentsLost += uint64(len(b.pieces))
	d.held -= len(b.data)
	delete(d.bufs, k)
}

// covered reports whether pieces cover [0, total).
func covered(pieces []fragPiece, total int) bool {
	reach := 0
	for progress := true; progress && reach < total; {
		progress = false
		for _, pc := range pieces {
			if pc.off <= reach && pc.end > reach {
				reach = pc.end
				progress = true
			}
		}
	}
	return reach >= total
}
