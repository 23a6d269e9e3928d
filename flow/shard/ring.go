package shard

import (
	"runtime"
	"sync/atomic"
	"time"

	"github.com/medtap/medtap/flow"
)

// Kinds of queue items.
const (
	itemPacket = iota // a packet for the worker's engine
	itemTick          // another worker's packet: its time only
	itemFlush         // end every flow
	itemStop          // end every flow, then stop the worker
	itemSync          // nothing: tells when what came before is processed
)

// slot is one queue item. A packet's bytes are in the ring's arena at
// [off, off+n); end is the arena position after them, released when the
// item has been processed.
type slot struct {
	seq  uint64
	ts   time.Time
	link flow.LinkType
	kind uint8
	off  int
	n    int
	end  uint64
}

// ring is a bounded single-producer, single-consumer queue of items whose
// packet bytes are copied into a preallocated arena. The producer waits
// (or gives up) when either is full; the consumer waits when it is empty.
// Neither allocates.
type ring struct {
	slots []slot
	mask  uint64
	arena []byte

	// Producer side.
	tail      atomic.Uint64 // items published
	wpos      uint64        // arena bytes used, waste at the wrap included
	peakItems int
	peakBytes int
	_         [64]byte

	// Consumer side.
	head atomic.Uint64 // items processed
	rpos atomic.Uint64 // arena bytes released
	_    [64]byte

	consumerParked atomic.Bool
	dataReady      chan struct{}
	producerParked atomic.Bool
	spaceReady     chan struct{}
}

func newRing(items, bytes int) *ring {
	n := 1
	for n < items {
		n <<= 1
	}
	return &ring{
		slots: make([]slot, n), mask: uint64(n - 1), arena: make([]byte, bytes),
		dataReady: make(chan struct{}, 1), spaceReady: make(chan struct{}, 1),
	}
}

// room returns where n bytes would go in the arena and the arena position
// after them, and whether an item of n bytes fits now.
func (r *ring) room(n int) (off int, end uint64, ok bool) {
	t := r.tail.Load()
	if t-r.head.Load() >= uint64(len(r.slots)) {
		return 0, 0, false
	}
	size := uint64(len(r.arena))
	pos := r.wpos
	o := pos % size
	if o+uint64(n) > size {
		pos += size - o // skip the end of the arena: a packet is contiguous
		o = 0
	}
	end = pos + uint64(n)
	return int(o), end, end-r.rpos.Load() <= size
}

// spins is how many times a side looks again, yielding in between, before
// it parks.
const spins = 8

// put appends an item, copying data. When the ring is full it waits until
// there is room, or returns false at once when wait is false, or when quit
// is closed while it waits.
func (r *ring) put(kind uint8, seq uint64, ts time.Time, link flow.LinkType, data []byte, wait bool, quit <-chan struct{}) bool {
	n := len(data)
	off, end, ok := r.room(n)
	for i := 0; !ok; i++ {
		if !wait {
			return false
		}
		if i < spins {
			runtime.Gosched()
		} else {
			r.producerParked.Store(true)
			if _, _, ok = r.room(n); !ok {
				select {
				case <-r.spaceReady:
				case <-quit:
					r.producerParked.Store(false)
					return false
				}
			}
			r.producerParked.Store(false)
		}
		off, end, ok = r.room(n)
	}
	copy(r.arena[off:], data)
	t := r.tail.Load()
	s := &r.slots[t&r.mask]
	s.seq, s.ts, s.link, s.kind, s.off, s.n, s.end = seq, ts, link, kind, off, n, end
	r.wpos = end
	r.tail.Store(t + 1)
	if d := int(t + 1 - r.head.Load()); d > r.peakItems {
		r.peakItems = d
	}
	if b := int(end - r.rpos.Load()); b > r.peakBytes {
		r.peakBytes = b
	}
	if r.consumerParked.Load() {
		select {
		case r.dataReady <- struct{}{}:
		default:
		}
	}
	return true
}

// next returns the next item, waiting for one; the consumer calls release
// when it is done with it.
func (r *ring) next() *slot {
	h := r.head.Load()
	for i := 0; r.tail.Load() == h; i++ {
		if i < spins {
			runtime.Gosched()
			continue
		}
		r.consumerParked.Store(true)
		if r.tail.Load() == h {
			<-r.dataReady
		}
		r.consumerParked.Store(false)
	}
	return &r.slots[h&r.mask]
}

// release frees the item next returned, and its bytes.
func (r *ring) release(s *slot) {
	r.rpos.Store(s.end)
	r.head.Add(1)
	if r.producerParked.Load() {
		select {
		case r.spaceReady <- struct{}{}:
		default:
		}
	}
}

// data returns the bytes of a packet item.
func (r *ring) data(s *slot) []byte { return r.arena[s.off : s.off+s.n] }
