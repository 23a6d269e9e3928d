// Package shard runs one capture through several flow engines at once,
// one per core, and merges their events into one ordered stream.
//
// A [Runner] owns Workers [flow.Engine]s, each on a goroutine of its own
// that the caller starts explicitly with [Runner.Start] and stops with
// [Runner.Close]; nothing runs before Start or after Close. The caller
// feeds packets from one goroutine with [Runner.Packet] (or
// [Runner.Run] for a [flow.Source]). Packet decodes just enough of each
// packet to pick its worker, copies it into that worker's bounded queue
// of preallocated memory, and returns; the worker's engine does the rest.
//
// # Which worker
//
// Packets are spread by a hash of their pair of IP addresses, in
// either order: ports are left out. So both directions of a flow, every
// flow between two hosts, and every fragment of a datagram (whose later
// fragments have no ports) go to the same engine, which reassembles the
// fragments as a single engine would. Frames that are not IP (LLDP, CDP,
// ARP) and packets whose IP header cannot be read go to worker 0. A
// capture of one pair of hosts therefore runs on one worker: sharding
// pays off on traffic between many pairs, which is what a hospital's
// core link carries.
//
// # Events
//
// Events reach the [Config.Sink] one at a time on one goroutine (the
// merger, started by Start), in the order of the packets that caused
// them: an event caused by a packet comes after every event caused by the
// packets given to Packet before it, whichever worker emitted them.
// Events caused by the same packet keep their engine's order; those of
// different workers at the same packet (flows ending idle at that time on
// several workers, or every flow at a [Runner.Flush]) come in worker
// order. That is the order a single engine gives, except for the order
// among events caused by one packet: per flow, events come in packet
// order, and across flows in capture order, which is time order for a
// capture in time order. No reordering window is needed, and none is
// buffered: each worker hands the merger at most one event.
//
// The worker that emitted an event waits while the Sink handles it, so
// the [flow.Event] and its Detail are the engine's own, valid during the
// call as the Sink contract says, and typed consumers (an inventory,
// detectors) run on the merged stream unchanged and see every flow of
// every host. The cost is that workers meet at every event: throughput
// scales with the packets between events (bulk transfers: DICOM C-STOREs
// of large objects), less on traffic where nearly every packet is an
// event. A consumer that needs no order can take events on the workers
// instead, through [Config.NewSink], with no waiting.
//
// Every engine's clock follows the whole capture: for each packet, the
// other workers get its time (a "tick", no bytes), so flows end idle at
// the packet, and with the time, at which a single engine ends them.
// Each engine has the limits of [Config.Engine]; flows are spread over
// Workers tables, so a capture that reaches a limit (MaxFlows,
// MaxBufferedBytes) evicts other flows than a single engine would.
//
// # Queues
//
// Each worker's queue holds at most [Config.QueuePackets] items and
// [Config.QueueBytes] bytes of packets, both allocated by [New]. When a
// queue is full, Packet waits for room (the default, for files: nothing
// is lost), or with [Config.Drop] drops the packet and counts it (for a
// live source, which must not stall). A worker whose queue is empty
// parks; it is woken by a batch of items, by a flush, or by its timer
// within a millisecond, so a packet waits at most that long in a quiet
// queue. With Drop, a worker that missed a tick (its queue was full)
// holds the merged stream until its next item. In steady state neither
// the producer nor the workers nor the merger allocate.
package shard

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/medtap/medtap/flow"
)

// Config sets up a [Runner]. The zero value of every field selects its
// default.
type Config struct {
	// Workers is the number of engines, each on its own goroutine.
	// Default runtime.GOMAXPROCS(0).
	Workers int
	// Engine configures every engine. Its limits are per engine.
	Engine flow.Config
	// QueuePackets caps the items queued for one worker (rounded up to a
	// power of two). Default 1024.
	QueuePackets int
	// QueueBytes is the memory of one worker's queue, for the bytes of
	// the packets in it. A packet larger than half of it is dropped and
	// counted (Stats.Oversize). Default 4 MiB.
	QueueBytes int
	// Drop makes Packet drop a packet whose worker's queue is full, and
	// count it (Stats.Dropped), instead of waiting for room: for live
	// sources. Ticks (the times other workers get) are dropped silently
	// then; a flush is never dropped.
	Drop bool
	// Sink receives the events of every engine, merged in order, on the
	// merger goroutine. Nil: no merged stream.
	Sink flow.Sink
	// NewSink, when set, is called by New once per worker (0 to
	// Workers-1) for a Sink that receives that worker's events on its
	// goroutine, unordered with the other workers', before Sink gets
	// them. Each returned Sink is called by one goroutine only.
	NewSink func(worker int) flow.Sink
	// Seed changes how host pairs are spread over the workers. The
	// default (0) spreads them the same way in every run, so that a
	// capture gives the same output every time.
	Seed uint64
}

func (c *Config) defaults() {
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.QueuePackets <= 0 {
		c.QueuePackets = 1024
	}
	if c.QueueBytes <= 0 {
		c.QueueBytes = 4 << 20
	}
}

// Errors of [Runner.Packet] and the other methods.
var (
	// ErrNotRunning is returned by Packet, Flush and Run before Start
	// and after Close.
	ErrNotRunning = errors.New("shard: runner not started, or closed")
	// ErrDropped is returned by Packet for a packet that was dropped: its
	// worker's queue was full (Config.Drop), it was larger than half a
	// queue, or the runner's context was done.
	ErrDropped = errors.New("shard: packet dropped")
)

// Stats are a [Runner]'s counters.
type Stats struct {
	// Stats are the engines' counters added together, as of the last
	// Flush (or Close). PeakFlows, PeakBuffered and PeakDecoderBytes are
	// the sums of each engine's peak: at least the peak of the whole.
	flow.Stats
	Dropped   uint64 // packets dropped because their worker's queue was full (Config.Drop)
	Oversize  uint64 // packets larger than half a worker's queue, dropped
	Abandoned uint64 // packets dropped because the context was done: not queued, or queued and not processed
	// Workers are the counters of each worker.
	Workers []WorkerStats
}

// WorkerStats are the counters of one worker.
type WorkerStats struct {
	Packets   uint64 // packets given to its engine, as of the last Flush or Close
	PeakItems int    // most items in its queue at once (at most Config.QueuePackets rounded up)
	PeakBytes int    // most queue bytes in use at once (at most Config.QueueBytes)
}

// Runner runs packets through several engines. Create one with [New];
// Packet, Run, Flush, Stats and Close are called from one goroutine (the
// producer).
type Runner struct {
	cfg     Config
	workers []*worker
	seed    uint64
	pkt     flow.Packet
	seq     uint64 // sequence number of the next item
	state   int    // 0 new, 1 running, 2 closed

	dropped, oversize uint64
	abandoned         atomic.Uint64
	quit              chan struct{} // closed when the context is done
	quitOnce          sync.Once
	stopCtx           func() bool
	wg                sync.WaitGroup

	mergerParked atomic.Bool
	mergerWake   chan struct{}
	mergerStop   atomic.Bool
	flushed      chan struct{} // a worker finished a flush item
	placed       []bool        // barrier's: which queues have the item

	// onEvent, when set (by tests), is called by the merger with the
	// sequence number of each event before the Sink gets it.
	onEvent func(seq uint64)
}

// worker is one engine and its queue.
type worker struct {
	id   int
	r    *Runner
	eng  *flow.Engine
	q    *ring
	sink flow.Sink // Config.NewSink's, or nil
	cur  uint64    // sequence number of the item being processed
	pkts uint64
	// The engine's counters and pkts at the last flush.
	st     flow.Stats
	stPkts uint64

	// Shared with the merger.
	done atomic.Uint64 // items with a smaller sequence number are processed
	want atomic.Uint64 // the merger wants to hear when done reaches it
	pend atomic.Uint64 // sequence number + 1 of the event handed over, 0 for none
	ev   *flow.Event   // the event handed over, set before pend
	// The rest of the event's place in the merged order, set before pend.
	evClass int
	evTime  int64
	ack     chan struct{}
	_       [64]byte
}

// New returns a runner with cfg.Workers engines, not started. It fails
// when the engine configuration does.
func New(cfg Config) (*Runner, error) {
	cfg.defaults()
	if cfg.Engine.PHI == flow.PHIHash && len(cfg.Engine.PHIKey) == 0 {
		// One key for every engine, so that hashed values correlate
		// across workers.
		cfg.Engine.PHIKey = make([]byte, 32)
		rand.Read(cfg.Engine.PHIKey)
	}
	r := &Runner{cfg: cfg, seed: cfg.Seed, quit: make(chan struct{}),
		mergerWake: make(chan struct{}, 1), flushed: make(chan struct{}, cfg.Workers)}
	for i := range cfg.Workers {
		w := &worker{id: i, r: r, q: newRing(cfg.QueuePackets, cfg.QueueBytes), ack: make(chan struct{}, 1)}
		if cfg.NewSink != nil {
			w.sink = cfg.NewSink(i)
		}
		var sink flow.Sink
		if w.sink != nil || cfg.Sink != nil {
			sink = w
		}
		eng, err := flow.NewEngine(cfg.Engine, sink)
		if err != nil {
			return nil, err
		}
		w.eng = eng
		r.workers = append(r.workers, w)
	}
	return r, nil
}

// Workers returns the number of engines.
func (r *Runner) Workers() int { return len(r.workers) }

// Start starts the goroutines: one per worker, and the merger when
// Config.Sink is set. When ctx is done, Packet drops what it is given and
// the workers skip the packets still queued (both counted in
// Stats.Abandoned); Close still ends every flow. Start does nothing after
// the first call.
func (r *Runner) Start(ctx context.Context) {
	if r.state != 0 {
		return
	}
	r.state = 1
	r.stopCtx = context.AfterFunc(ctx, r.abandon)
	for _, w := range r.workers {
		r.wg.Add(1)
		go w.run()
	}
	if r.cfg.Sink != nil {
		r.wg.Add(1)
		go r.merge()
	}
}

func (r *Runner) abandon() { r.quitOnce.Do(func() { close(r.quit) }) }

func (r *Runner) quitting() bool {
	select {
	case <-r.quit:
		return true
	default:
		return false
	}
}

// pick returns the worker of a packet: by its pair of addresses, 0 when
// it has none.
func (r *Runner) pick(link flow.LinkType, data []byte) int {
	n := len(r.workers)
	if n == 1 {
		return 0
	}
	var a, b [16]byte
	if ip, ok := ethernetIP(link, data); ok {
		switch {
		case len(ip) >= 20 && ip[0]>>4 == 4:
			copy(a[12:], ip[12:16])
			copy(b[12:], ip[16:20])
			a[10], a[11], b[10], b[11] = 0xff, 0xff, 0xff, 0xff // as As16 maps them
		case len(ip) >= 40 && ip[0]>>4 == 6:
			copy(a[:], ip[8:24])
			copy(b[:], ip[24:40])
		default:
			return 0
		}
	} else {
		p := &r.pkt
		p.Decode(link, data)
		if p.IPVersion == 0 {
			return 0
		}
		a, b = p.Src.As16(), p.Dst.As16()
	}
	if string(b[:]) < string(a[:]) {
		a, b = b, a
	}
	h := r.seed
	for _, w := range [4]uint64{binary.LittleEndian.Uint64(a[:8]), binary.LittleEndian.Uint64(a[8:]),
		binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])} {
		h = (h ^ w) * 0x9e3779b97f4a7c15
		h ^= h >> 29
	}
	return int(h % uint64(n))
}

// ethernetIP returns the IP header of an Ethernet frame carrying IPv4 or
// IPv6 (after up to two VLAN tags), the common case that needs no full
// decode; ok is false for anything else, which [flow.Packet.Decode] reads.
func ethernetIP(link flow.LinkType, data []byte) (ip []byte, ok bool) {
	if link != flow.LinkEthernet || len(data) < 14 {
		return nil, false
	}
	off := 12
	for range 3 {
		switch binary.BigEndian.Uint16(data[off:]) {
		case 0x0800, 0x86dd:
			return data[off+2:], true
		case 0x8100, 0x88a8:
			off += 4
			if len(data) < off+2 {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return nil, false
}

// Packet queues one captured packet for its worker; data is only read
// during the call. It returns ErrDropped when the packet was dropped
// (counted in Stats), ErrNotRunning before Start or after Close.
func (r *Runner) Packet(ts time.Time, link flow.LinkType, data []byte) error {
	if r.state != 1 {
		return ErrNotRunning
	}
	if r.quitting() {
		r.abandoned.Add(1)
		return ErrDropped
	}
	if 2*len(data) > r.cfg.QueueBytes {
		r.oversize++
		return ErrDropped
	}
	k := r.pick(link, data)
	wait := !r.cfg.Drop
	if !r.workers[k].q.put(itemPacket, r.seq, ts, link, data, wait, r.quit) {
		if wait {
			r.abandoned.Add(1)
		} else {
			r.dropped++
		}
		return ErrDropped
	}
	for i, w := range r.workers {
		if i != k {
			w.q.put(itemTick, r.seq, ts, 0, nil, wait, r.quit)
		}
	}
	r.seq++
	return nil
}

// Flush waits until every queued packet has been processed, then ends
// every flow of every engine (reason "eof", as [flow.Engine.Flush]) and
// waits until the Sink has had every event. The runner can be used again
// afterwards. It returns ErrNotRunning before Start or after Close.
func (r *Runner) Flush() error {
	if r.state != 1 {
		return ErrNotRunning
	}
	r.barrier(itemFlush)
	return nil
}

// barrier queues a flush or stop item for every worker and waits until
// each has processed it.
//
// It never waits on one full queue while others lack the item: with Drop,
// a worker that missed ticks can hold the merged stream, and the workers
// of the full queues with it, until this item reaches it.
func (r *Runner) barrier(kind uint8) {
	placed := r.placed[:0]
	for range r.workers {
		placed = append(placed, false)
	}
	for left, i := len(r.workers), 0; left > 0; i++ {
		for k, w := range r.workers {
			if !placed[k] && w.q.put(kind, r.seq, time.Time{}, 0, nil, false, nil) {
				placed[k] = true
				left--
			}
		}
		if left > 0 {
			if i < spins {
				runtime.Gosched()
			} else {
				time.Sleep(20 * time.Microsecond)
			}
		}
	}
	r.placed = placed
	r.seq++
	for range r.workers {
		<-r.flushed
	}
}

// Run reads every packet of src into the runner, then flushes it, as
// [flow.Engine.Run] does. It returns nil at the end of the input, the read
// error, or ErrNotRunning.
func (r *Runner) Run(src flow.Source) error {
	if r.state != 1 {
		return ErrNotRunning
	}
	defer r.Flush()
	for {
		ts, link, data, err := src.ReadPacket()
		if err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		r.Packet(ts, link, data)
	}
}

// Close processes what is queued, ends every flow as Flush does, and
// stops the goroutines. When ctx is done first, the packets still queued
// are skipped (counted in Stats.Abandoned) so that Close returns soon:
// flows still end and their events still reach the Sink. It returns
// ctx.Err() in that case, nil otherwise; calls after the first return nil.
func (r *Runner) Close(ctx context.Context) error {
	switch r.state {
	case 0:
		r.state = 2
		return nil
	case 2:
		return nil
	}
	if ctx.Err() != nil {
		r.abandon()
	}
	stop := context.AfterFunc(ctx, r.abandon)
	r.barrier(itemStop)
	stop()
	r.state = 2
	r.mergerStop.Store(true)
	r.wakeMerger()
	r.wg.Wait()
	r.stopCtx()
	return ctx.Err()
}

// Stats returns the counters; the engines' are as of the last Flush or
// Close.
func (r *Runner) Stats() Stats {
	s := Stats{Dropped: r.dropped, Oversize: r.oversize, Abandoned: r.abandoned.Load()}
	for _, w := range r.workers {
		s.Stats.Add(&w.st)
		s.Workers = append(s.Workers, WorkerStats{Packets: w.stPkts, PeakItems: w.q.peakItems, PeakBytes: w.q.peakBytes})
	}
	return s
}

// run is a worker's goroutine.
func (w *worker) run() {
	defer w.r.wg.Done()
	q := w.q
	for {
		s := q.next()
		w.cur = s.seq
		stop := false
		switch s.kind {
		case itemPacket:
			if w.r.quitting() {
				w.r.abandoned.Add(1)
			} else {
				w.pkts++
				w.eng.Packet(s.ts, s.link, q.data(s))
			}
		case itemTick:
			w.eng.Advance(s.ts)
		case itemFlush, itemStop:
			w.eng.Flush()
			w.st, w.stPkts = w.eng.Stats(), w.pkts
			stop = s.kind == itemStop
		}
		seq, kind := s.seq, s.kind
		q.release(s)
		w.done.Store(seq + 1)
		if w.r.mergerParked.Load() && seq+1 >= w.want.Load() {
			w.r.wakeMerger()
		}
		if kind == itemFlush || kind == itemStop || kind == itemSync {
			w.r.flushed <- struct{}{}
		}
		if stop {
			return
		}
	}
}

// Event hands an event to the worker's own sink, then to the merger,
// waiting until the merger's Sink has handled it.
func (w *worker) Event(e *flow.Event) {
	if w.sink != nil {
		w.sink.Event(e)
	}
	if w.r.cfg.Sink == nil {
		return
	}
	w.ev = e
	w.evClass, w.evTime = class(e), e.Time.UnixNano()
	w.pend.Store(w.cur + 1)
	if w.r.mergerParked.Load() {
		w.r.wakeMerger()
	}
	for i := 0; w.pend.Load() != 0; i++ {
		if i < spins {
			runtime.Gosched()
			continue
		}
		<-w.ack
	}
	// Drain an acknowledgement not waited for.
	select {
	case <-w.ack:
	default:
	}
}

func (r *Runner) wakeMerger() {
	select {
	case r.mergerWake <- struct{}{}:
	default:
	}
}

// merge is the merger's goroutine: it hands the Sink the pending event
// with the smallest sequence number (the lowest worker on a tie) once no
// other worker can still emit an earlier one.
func (r *Runner) merge() {
	defer r.wg.Done()
	sink := r.cfg.Sink
	armed := false
	var armedWant uint64 // the want the workers were told while armed
	for {
		best, seq := -1, uint64(0)
		for i, w := range r.workers {
			if p := w.pend.Load(); p != 0 && (best < 0 || r.before(i, p-1, best, seq)) {
				best, seq = i, p-1
			}
		}
		if best >= 0 && r.ready(best, seq) {
			w := r.workers[best]
			if r.onEvent != nil {
				r.onEvent(seq)
			}
			sink.Event(w.ev)
			w.ev = nil
			w.pend.Store(0)
			select {
			case w.ack <- struct{}{}:
			default:
			}
			if armed {
				r.mergerParked.Store(false)
				armed = false
			}
			continue
		}
		if best < 0 && r.mergerStop.Load() {
			return
		}
		want := seq + 1
		if best < 0 {
			want = ^uint64(0) // only a new event helps
		}
		if !armed || want != armedWant {
			// Say what would make progress, then look once more before
			// parking, so that no wake-up is missed.
			for _, w := range r.workers {
				w.want.Store(want)
			}
			r.mergerParked.Store(true)
			armed, armedWant = true, want
			continue
		}
		<-r.mergerWake
		r.mergerParked.Store(false)
		armed = false
	}
}

// ready reports whether no worker other than k can still emit an event
// that comes before k's pending one, at sequence number seq.
func (r *Runner) ready(k int, seq uint64) bool {
	for j, w := range r.workers {
		if j == k {
			continue
		}
		d := w.done.Load()
		if p := w.pend.Load(); p != 0 {
			if !r.before(k, seq, j, p-1) {
				return false
			}
			continue
		}
		// Worker j's next events have sequence numbers of at least d.
		if d <= seq {
			return false
		}
	}
	return true
}

// before reports whether worker i's pending event, caused by item si,
// comes before worker j's, caused by item sj: by item, then as the
// engine orders the flows it ends at one time (TCP, then UDP), then by
// time, then by worker.
func (r *Runner) before(i int, si uint64, j int, sj uint64) bool {
	if si != sj {
		return si < sj
	}
	a, b := r.workers[i], r.workers[j]
	if a.evClass != b.evClass {
		return a.evClass < b.evClass
	}
	if a.evTime != b.evTime {
		return a.evTime < b.evTime
	}
	return i < j
}

// class orders the events of different flows caused by one packet as the
// engine's lists do: TCP flows first, then UDP, then the rest.
func class(e *flow.Event) int {
	switch e.Key.Transport {
	case flow.TCP:
		return 0
	case flow.UDP:
		return 1
	}
	return 2
}
