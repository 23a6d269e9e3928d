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
	key        fragKey
	data       []byte
	pieces     []fragPiece // received ranges, sorted by offset
	total      int         // datagram payload length; -1 until the last fragment arrived
	first      time.Time
	prev, next *fragBuf // in the defragmenter's list, oldest first
}

// defragmenter rebuilds fragmented datagrams within a byte budget. Only
// used when Config.ReassembleFragments is set; it allocates per datagram.
// Datagrams being rebuilt are kept on a list in the order their first
// fragment came, so expiring them and evicting the oldest cost O(1) per
// datagram, not a scan of the table per fragment.
type defragmenter struct {
	budget, held int
	bufs         map[fragKey]*fragBuf
	head, tail   *fragBuf
	out          []byte
}

func newDefragmenter(budget int) *defragmenter {
	return &defragmenter{budget: budget, bufs: make(map[fragKey]*fragBuf)}
}

// add stores the fragment in p. When it completes a datagram, add returns
// its transport bytes (valid until the next call) and true.
func (d *defragmenter) add(p *Packet, now time.Time, st *Stats) ([]byte, bool) {
	for b := d.head; b != nil && now.Sub(b.first) > fragTimeout; b = d.head {
		d.drop(b, st)
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
		b = &fragBuf{key: k, total: -1, first: now}
		d.bufs[k] = b
		d.pushBack(b)
	}
	if end > len(b.data) {
		grow := min(max(end, 2*len(b.data), 2048), maxDatagram) - len(b.data)
		for d.held+grow > d.budget {
			// Over budget: drop the oldest other datagram being rebuilt.
			oldest := d.head
			if oldest == b {
				oldest = b.next
			}
			if oldest == nil {
				d.drop(b, st)
				st.FragmentsLost++
				return nil, false
			}
			d.drop(oldest, st)
		}
		b.data = append(b.data, make([]byte, grow)...)
		d.held += grow
	}
	copy(b.data[off:end], payload)
	i := len(b.pieces)
	b.pieces = append(b.pieces, fragPiece{})
	for i > 0 && b.pieces[i-1].off > off {
		b.pieces[i] = b.pieces[i-1]
		i--
	}
	b.pieces[i] = fragPiece{off, end}
	if !p.MoreFrags {
		b.total = end
	}
	if b.total < 0 || !covered(b.pieces, b.total) {
		if len(b.pieces) > 1024 {
			d.drop(b, st)
		}
		return nil, false
	}
	d.out = append(d.out[:0], b.data[:b.total]...)
	d.remove(b)
	st.Reassembled++
	return d.out, true
}

// drop discards a datagram being rebuilt, counting its fragments lost.
func (d *defragmenter) drop(b *fragBuf, st *Stats) {
	st.FragmentsLost += uint64(len(b.pieces))
	d.remove(b)
}

func (d *defragmenter) remove(b *fragBuf) {
	d.held -= len(b.data)
	delete(d.bufs, b.key)
	if b.prev != nil {
		b.prev.next = b.next
	} else {
		d.head = b.next
	}
	if b.next != nil {
		b.next.prev = b.prev
	} else {
		d.tail = b.prev
	}
	b.prev, b.next = nil, nil
}

func (d *defragmenter) pushBack(b *fragBuf) {
	b.prev = d.tail
	if d.tail != nil {
		d.tail.next = b
	} else {
		d.head = b
	}
	d.tail = b
}

// covered reports whether pieces, sorted by offset, cover [0, total).
func covered(pieces []fragPiece, total int) bool {
	reach := 0
	for _, pc := range pieces {
		if pc.off > reach {
			break
		}
		reach = max(reach, pc.end)
	}
	return reach >= total
}
