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

	// Producer side. The producer keeps the consumer's counters as last
	// read and reads them again only when they say the ring is full, so
	// that it does not pull the consumer's cache line at every item.
	tail      atomic.Uint64 // items published
	wpos      uint64        // arena bytes used, waste at the wrap included
	seenHead  uint64        // head, as last read
	seenRpos  uint64        // rpos, as last read
	peakItems int
	peakBytes int
	_         [64]byte

	// Consumer side, likewise.
	head     atomic.Uint64 // items processed
	rpos     atomic.Uint64 // arena bytes released
	seenTail uint64        // tail, as last read
	_        [64]byte

	consumerParked atomic.Uint32 // parkedNot, parkedTimed or parkedDeep
	dataReady      chan struct{}
	wakeBatch      uint64      // items queued before a parked consumer is woken
	timer          *time.Timer // wakes a parked consumer after maxDelay
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
		wakeBatch: uint64(min(64, max(1, n/4))), timer: time.NewTimer(time.Hour),
	}
}

// room returns where n bytes would go in the arena and the arena position
// after them, and whether an item of n bytes fits now.
func (r *ring) room(n int) (off int, end uint64, ok bool) {
	t := r.tail.Load()
	if t-r.seenHead >= uint64(len(r.slots)) {
		if r.seenHead = r.head.Load(); t-r.seenHead >= uint64(len(r.slots)) {
			return 0, 0, false
		}
	}
	size := uint64(len(r.arena))
	pos := r.wpos
	o := pos % size
	if o+uint64(n) > size {
		pos += size - o // skip the end of the arena: a packet is contiguous
		o = 0
	}
	end = pos + uint64(n)
	if end-r.seenRpos > size {
		r.seenRpos = r.rpos.Load()
	}
	return int(o), end, end-r.seenRpos <= size
}

// How a consumer waits.
const (
	parkedNot   = iota // running
	parkedTimed        // parked, its timer set
	parkedDeep         // parked until the next item
)

// maxDelay is how long a packet may wait in a queue whose consumer is
// parked, when fewer than a batch are queued.
const maxDelay = time.Millisecond

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
	// The peaks are measured against the counters as last read: at least
	// the true ones, never beyond the caps.
	if d := int(t + 1 - r.seenHead); d > r.peakItems {
		r.peakItems = d
	}
	if b := int(end - r.seenRpos); b > r.peakBytes {
		r.peakBytes = b
	}
	// Wake a consumer parked on its timer when a batch is queued, or for
	// an item that is not a packet (a flush waits for it); otherwise its
	// timer wakes it within maxDelay: waking it for every packet would
	// cost more than the packet. A consumer parked without a timer (its
	// queue stayed empty for maxDelay) is woken by any item.
	if p := r.consumerParked.Load(); p == parkedDeep || p == parkedTimed && (kind != itemPacket && kind != itemTick || t+1-r.seenHead >= r.wakeBatch) {
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
	if h != r.seenTail {
		return &r.slots[h&r.mask]
	}
	for i := 0; ; i++ {
		if r.seenTail = r.tail.Load(); r.seenTail != h {
			return &r.slots[h&r.mask]
		}
		if i < spins {
			runtime.Gosched()
			continue
		}
		r.consumerParked.Store(parkedTimed)
		if r.tail.Load() == h {
			r.timer.Reset(maxDelay)
			select {
			case <-r.dataReady:
			case <-r.timer.C:
				// Nothing for maxDelay: sleep until the next item.
				r.consumerParked.Store(parkedDeep)
				if r.tail.Load() == h {
					<-r.dataReady
				}
			}
			r.timer.Stop()
		}
		r.consumerParked.Store(parkedNot)
	}
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
