package flow

import (
	"fmt"
	"io"
	"maps"
	"net/netip"
	"slices"
	"strings"
	"time"

	"github.com/medtap/medtap/netproto/tcpsig"
)

// Config holds an [Engine]'s limits. The zero value of every field selects
// its default.
type Config struct {
	// MaxFlows caps the flow table. At the cap, the least recently active
	// flow is ended (reason "evicted") to make room. Default 65536.
	MaxFlows int
	// MaxBufferedBytes caps the memory held by all flows together: out-of-order
	// TCP bytes, and the buffers protocol decoders keep for messages split
	// across packets. Past it, the least recently active flows are ended
	// (counted in Stats.MemoryEvictions); while one packet is processed its
	// flow may exceed the budget by that flow's own buffers, which each
	// protocol caps. Default 64 MiB.
	MaxBufferedBytes int
	// MaxFlowBufferedBytes caps the out-of-order bytes held for one direction
	// of one flow; past it the engine skips the hole and reports a gap.
	// Default 1 MiB.
	MaxFlowBufferedBytes int
	// TCPIdleTimeout ends a TCP flow with no packets for this long, in packet
	// time. Default 5 minutes.
	TCPIdleTimeout time.Duration
	// UDPIdleTimeout ends a UDP flow with no packets for this long. Default 1
	// minute.
	UDPIdleTimeout time.Duration
	// ReassembleFragments rebuilds fragmented IPv4 and IPv6 datagrams, within
	// MaxFragmentBytes. When false, fragments are counted and dropped.
	ReassembleFragments bool
	// MaxFragmentBytes caps the bytes held for datagrams being reassembled.
	// Default 4 MiB.
	MaxFragmentBytes int
	// MaxIdentifyChunks is how many payload chunks of a flow are offered to
	// content identification before it is left unidentified. Default 4.
	MaxIdentifyChunks int
	// MaxMessageBytes caps the bytes a protocol decoder buffers for one
	// message split across packets (a DICOM PDU other than P-DATA-TF, whose
	// data is streamed; a DICOM command set; an MLLP frame). 0 keeps each
	// protocol's default (256 KiB for those DICOM PDUs, 64 KiB for a
	// command set, 8 MiB for HL7 frames).
	MaxMessageBytes int
	// MaxDatasetHeaderBytes is how much of each DICOM dataset (a C-STORE
	// image, a C-FIND identifier) is kept to report its header elements;
	// the rest is counted and skipped. 0 keeps the default (64 KiB),
	// negative keeps none; MaxMessageBytes, when set, caps it, and is
	// also the budget of a DICOM command set (default 64 KiB).
	MaxDatasetHeaderBytes int
	// PHI is how event fields that can hold patient data are written
	// (see [PHIPolicy]); the zero value hashes them. PHIKey is the key of
	// the hash; nil selects a random key per engine, so values correlate
	// within a run only.
	PHI    PHIPolicy
	PHIKey []byte
	// Protocols restricts decoding to these registered protocol names; nil
	// means all registered protocols, an empty list none. [NewEngine]
	// rejects a name that is not registered.
	Protocols []string
}

func (c *Config) defaults() {
	if c.MaxFlows <= 0 {
		c.MaxFlows = 65536
	}
	if c.MaxBufferedBytes <= 0 {
		c.MaxBufferedBytes = 64 << 20
	}
	if c.MaxFlowBufferedBytes <= 0 {
		c.MaxFlowBufferedBytes = 1 << 20
	}
	if c.TCPIdleTimeout <= 0 {
		c.TCPIdleTimeout = 5 * time.Minute
	}
	if c.UDPIdleTimeout <= 0 {
		c.UDPIdleTimeout = time.Minute
	}
	if c.MaxFragmentBytes <= 0 {
		c.MaxFragmentBytes = 4 << 20
	}
	if c.MaxIdentifyChunks <= 0 {
		c.MaxIdentifyChunks = 4
	}
}

// closedLinger is how long an ended TCP flow stays in the table to absorb
// its last ACKs and retransmissions without starting a new flow.
const closedLinger = 10 * time.Second

// lruGranularity is how stale a flow's place in the activity list may be:
// idle flows end at most this much after their timeout.
const lruGranularity = time.Second

// Engine tracks flows and drives protocol decoders. Create one with
// [NewEngine]; it is not safe for concurrent use.
type Engine struct {
	cfg    Config
	sink   Sink
	protos []*Protocol
	table  flowTable
	lru    [2]flowList // per transport: TCP, UDP; least recently active first
	// holders are the open flows that hold buffers (out-of-order TCP
	// bytes or a decoder's), least recently active first (to within
	// lruGranularity), so that finding a flow to end when the buffers are
	// over budget costs O(1).
	holders flowList
	free    []*Flow
	pkt     Packet
	ctx     Context
	stats   Stats
	now     time.Time
	nowNs   int64 // now in Unix nanoseconds, for cheap comparisons
	segs    segPool
	frag    *defragmenter
	info    FlowInfo
	links   []linkDecoder // Link protocols, their decoders made on first use
	phi     *PHI
	// evicting is set while account ends flows, so that decoders fed by
	// the ending flows do not start evictions of their own.
	evicting bool
}

// NewEngine returns an engine that sends events to sink (which may be nil
// to only count). It fails when cfg.Protocols names a protocol that is not
// registered (an adapter package not imported, or a typo).
func NewEngine(cfg Config, sink Sink) (*Engine, error) {
	cfg.defaults()
	e := &Engine{cfg: cfg, sink: sink}
	all := registered()
	for _, name := range cfg.Protocols {
		if !slices.ContainsFunc(all, func(p *Protocol) bool { return p.Name == name }) {
			return nil, fmt.Errorf("flow: protocol %q is not registered (registered: %s)", name, strings.Join(Protocols(), ", "))
		}
	}
	e.table.init()
	e.holders.link = 1
	for _, p := range all {
		if cfg.Protocols != nil && !slices.Contains(cfg.Protocols, p.Name) {
			continue
		}
		if p.Transport == Link {
			e.links = append(e.links, linkDecoder{proto: p})
		} else {
			e.protos = append(e.protos, p)
		}
	}
	if cfg.ReassembleFragments {
		e.frag = newDefragmenter(cfg.MaxFragmentBytes)
	}
	e.phi = NewPHI(cfg.PHI, cfg.PHIKey)
	e.ctx.e = e
	return e, nil
}

// Stats returns a snapshot of the counters.
func (e *Engine) Stats() Stats {
	s := e.stats
	s.ActiveFlows = uint64(e.table.len())
	s.ProtocolErrors = maps.Clone(e.stats.ProtocolErrors)
	return s
}

// Packet processes one captured packet. data is only read during the call.
// It returns the decoding error for packets that were counted and dropped
// (see [Packet.Decode]) and nil for packets that were tracked.
func (e *Engine) Packet(ts time.Time, link LinkType, data []byte) error {
	e.stats.Packets++
	e.stats.Bytes += uint64(len(data))
	if ns := ts.UnixNano(); ns > e.nowNs {
		e.now, e.nowNs = ts, ns
	}
	e.expire()
	p := &e.pkt
	err := p.Decode(link, data)
	if p.Fragment {
		e.stats.Fragments++
		if e.frag == nil {
			e.stats.FragmentsLost++
			return err
		}
		whole, ok := e.frag.add(p, e.now, &e.stats)
		if !ok {
			return err
		}
		err = p.decodeTransport(whole)
		p.Fragment = false
	}
	if err != nil {
		switch err {
		case ErrUnsupportedLink:
			e.stats.UnsupportedLink++
		case ErrNotIP:
			if e.frame(ts, p) {
				return nil
			}
			e.stats.NotIP++
		case ErrTruncated:
			e.stats.Truncated++
		case ErrNotTCPUDP:
			e.stats.OtherIP++
		default:
			e.stats.BadHeader++
		}
		return err
	}
	e.track(ts, p)
	return nil
}

func (e *Engine) track(ts time.Time, p *Packet) {
	t := Transport(p.Protocol)
	id, swapped := makeFlowID(p)
	f := e.table.get(&id)
	if f != nil && f.closed {
		if t == TCP && p.Flags&(FlagSYN|FlagACK) == FlagSYN {
			e.remove(f)
			f = nil
		} else {
			e.stats.LatePackets++
			return
		}
	}
	if f == nil {
		f = e.newFlow(id, ts, p)
		f.clientSwapped = swapped == (f.client == p.SrcAddrPort())
	}
	// The packet travels client to server when its orientation relative to
	// the canonical ID is the client's.
	dir := ClientToServer
	if swapped != f.clientSwapped {
		dir = ServerToClient
	}
	f.last, f.lastNs = ts, ts.UnixNano()
	if f.mac[dir].IsZero() {
		f.mac[dir] = p.SrcMAC
	}
	if f.mac[dir^1].IsZero() {
		f.mac[dir^1] = p.DstMAC
	}
	f.packets[dir]++
	f.bytes[dir] += uint64(len(p.Payload))
	if ns := f.lastNs; ns-f.lruNs >= int64(lruGranularity) {
		// Keep the list ordered by activity, to within lruGranularity:
		// moving a flow on every packet costs cache misses for nothing.
		f.lruNs = ns
		e.lru[f.lruIndex()].moveToBack(f)
		if f.holding {
			e.holders.moveToBack(f)
		}
	}

	e.ctx.f, e.ctx.time = f, ts
	if t == UDP {
		if len(p.Payload) > 0 {
			e.deliver(f, dir, p.Payload)
		}
		return
	}
	if tcpsig.IsSYNACK(p.Flags) && dir == ServerToClient && f.synSeen && f.synack.IsZero() {
		// The server's first SYN+ACK, as p0f fingerprints it: with the
		// MSS of the SYN it answers.
		f.synack, _ = tcpsig.FromHeaders(p.IPHeader, p.TCPHeader, len(p.Payload), f.synMSS)
	}
	e.tcpSegment(f, dir, p)
	e.hold(f)
	if f.closing() {
		e.end(f, f.endReason)
	}
}

func (e *Engine) newFlow(id flowID, ts time.Time, p *Packet) *Flow {
	if e.table.len() >= e.cfg.MaxFlows {
		e.evictOne()
	}
	var f *Flow
	if n := len(e.free); n > 0 {
		f = e.free[n-1]
		e.free = e.free[:n-1]
	} else {
		f = new(Flow)
	}
	f.reset()
	src, dst := p.SrcAddrPort(), p.DstAddrPort()
	f.id = id
	f.key, _ = MakeKey(Transport(p.Protocol), src, dst)
	f.transport = Transport(p.Protocol)
	f.first, f.last, f.lastNs = ts, ts, ts.UnixNano()
	f.lruNs = f.lastNs
	f.client, f.server = src, dst
	f.mac = [2]MAC{p.SrcMAC, p.DstMAC}
	if e.senderIsServer(p) {
		f.client, f.server = dst, src
		f.mac = [2]MAC{p.DstMAC, p.SrcMAC}
	}
	if f.transport == TCP && p.Flags&FlagSYN == 0 {
		e.stats.MidStreamFlows++
	}
	e.table.put(id, f)
	e.lru[f.lruIndex()].pushBack(f)
	e.stats.Flows++
	if n := uint64(e.table.len()); n > e.stats.PeakFlows {
		e.stats.PeakFlows = n
	}
	e.ctx.f, e.ctx.proto, e.ctx.time = f, nil, ts
	e.info = FlowInfo{Transport: f.transport, Start: f.first}
	if f.transport == TCP && tcpsig.IsSYN(p.Flags) {
		// The client's SYN (senderIsServer made its sender the client).
		e.info.SYN, _ = tcpsig.FromHeaders(p.IPHeader, p.TCPHeader, len(p.Payload), 0)
		f.synMSS, f.synSeen = e.info.SYN.MSS, !e.info.SYN.IsZero()
	}
	e.ctx.emit(ClientToServer, ProtocolFlow, KindStart, &e.info)
	e.info = FlowInfo{}
	return f
}

// senderIsServer guesses the direction of a flow from its first packet.
func (e *Engine) senderIsServer(p *Packet) bool {
	if p.Protocol == 6 && p.Flags&FlagSYN != 0 {
		return p.Flags&FlagACK != 0
	}
	sw, dw := e.wellKnown(p.SrcPort), e.wellKnown(p.DstPort)
	if sw != dw {
		return sw
	}
	return p.SrcPort < 1024 && p.DstPort >= 1024
}

func (e *Engine) wellKnown(port uint16) bool {
	for _, pr := range e.protos {
		if slices.Contains(pr.Ports, port) {
			return true
		}
	}
	return false
}

// deliver hands in-order bytes to the flow's decoder, identifying the
// protocol first if needed.
func (e *Engine) deliver(f *Flow, dir Dir, data []byte) {
	if f.dec == nil {
		if f.identifyDone {
			return
		}
		e.identify(f, dir, data)
		if f.dec == nil {
			return
		}
	}
	e.ctx.proto = f.proto
	f.dec.Data(&e.ctx, dir, data)
	e.account(f)
}

// linkDecoder is a Link protocol of the engine and its decoder.
type linkDecoder struct {
	proto *Protocol
	dec   Decoder
}

// frame hands a link-layer frame that is not IP to the Link protocol of
// its EtherType, and reports whether there is one.
func (e *Engine) frame(ts time.Time, p *Packet) bool {
	for i := range e.links {
		l := &e.links[i]
		if !slices.Contains(l.proto.EtherTypes, p.EtherType) {
			continue
		}
		if l.dec == nil {
			l.dec = l.proto.New()
		}
		e.stats.LinkFrames++
		c := &e.ctx
		c.f, c.proto, c.pkt, c.time = nil, l.proto, p, ts
		l.dec.Data(c, ClientToServer, p.L2Payload)
		c.pkt = nil
		return true
	}
	return false
}

// account updates what f's decoder holds and, when the engine's buffers
// are over budget, ends the least recently active other flows that hold
// buffers.
func (e *Engine) account(f *Flow) {
	if f.bufDec == nil {
		return
	}
	n := uint64(f.bufDec.Buffered())
	if n == f.decBuffered {
		return
	}
	e.stats.DecoderBytes = e.stats.DecoderBytes - f.decBuffered + n
	f.decBuffered = n
	e.hold(f)
	if e.stats.DecoderBytes > e.stats.PeakDecoderBytes {
		e.stats.PeakDecoderBytes = e.stats.DecoderBytes
	}
	if e.evicting {
		return // ending a flow feeds its decoder; evict once, from the top
	}
	e.evicting = true
	defer func() { e.evicting = false }()
	for {
		total := e.stats.DecoderBytes + e.stats.BufferedBytes
		own := f.decBuffered + uint64(f.tcp[0].buffered+f.tcp[1].buffered)
		if total <= uint64(e.cfg.MaxBufferedBytes) || own >= total {
			return
		}
		victim := e.oldestOther(f)
		if victim == nil {
			return
		}
		e.stats.MemoryEvictions++
		e.stats.FlowsEvicted++
		e.end(victim, "evicted")
	}
}

// oldestOther returns the least recently active open flow other than f
// that holds buffers, or nil.
func (e *Engine) oldestOther(f *Flow) *Flow {
	for g := e.holders.head; g != nil; g = g.link[1].next {
		if g != f && !g.closed {
			return g
		}
	}
	return nil
}

// hold puts f on the list of flows holding buffers when it holds some, and
// takes it off when it holds none.
func (e *Engine) hold(f *Flow) {
	held := f.decBuffered > 0 || f.tcp[0].buffered > 0 || f.tcp[1].buffered > 0
	switch {
	case held && !f.holding:
		e.holders.pushBack(f)
	case !held && f.holding:
		e.holders.remove(f)
	}
	f.holding = held
}

// release drops what f's decoder held from the count; the decoder is not
// used again.
func (e *Engine) release(f *Flow) {
	e.stats.DecoderBytes -= f.decBuffered
	f.decBuffered = 0
	e.hold(f)
	f.bufDec = nil
}

func (e *Engine) identify(f *Flow, dir Dir, data []byte) {
	f.identifyTries++
	var found *Protocol
	for _, p := range e.protos {
		if p.Transport != f.transport {
			continue
		}
		if dir == ServerToClient && p.MatchReply != nil {
			if p.MatchReply(data) {
				found = p
				break
			}
		} else if p.Match != nil && p.Match(data) {
			found = p
			break
		}
	}
	if found == nil {
		for _, port := range [2]uint16{f.server.Port(), f.client.Port()} {
			for _, p := range e.protos {
				if p.Transport == f.transport && slices.Contains(p.Ports, port) {
					found = p
					break
				}
			}
			if found != nil {
				break
			}
		}
	}
	if found == nil {
		if f.identifyTries >= e.cfg.MaxIdentifyChunks {
			f.identifyDone = true
		}
		return
	}
	f.identifyDone = true
	f.proto = found
	f.dec = found.New()
	f.bufDec, _ = f.dec.(BufferedDecoder)
	e.stats.Identified++
}

func (e *Engine) gap(f *Flow, dir Dir, n int) {
	e.stats.Gaps++
	if n > 0 {
		e.stats.GapBytes += uint64(n)
		f.gapBytes[dir] += uint64(n)
	}
	if f.dec != nil {
		e.ctx.proto = f.proto
		f.dec.Gap(&e.ctx, dir, n)
		e.account(f)
	}
}

// end finishes a flow: buffered bytes are flushed, the decoder is closed and
// an end event is emitted. TCP flows linger in the table, closed, to absorb
// late packets; others are removed at once.
func (e *Engine) end(f *Flow, reason string) {
	if f.closed {
		return
	}
	e.ctx.f = f
	if e.ctx.time.Before(f.last) {
		e.ctx.time = f.last
	}
	for d := range 2 {
		e.flushStream(f, Dir(d))
	}
	if f.dec != nil {
		e.ctx.proto = f.proto
		f.dec.Close(&e.ctx)
	}
	e.release(f)
	f.closed = true
	e.stats.FlowsEnded++
	e.info = FlowInfo{
		Transport: f.transport, Reason: reason, Start: f.first,
		Packets: f.packets, Bytes: f.bytes, Gaps: f.gapBytes, SYNACK: f.synack,
	}
	if f.proto != nil {
		e.info.Protocol = f.proto.Name
	}
	e.ctx.proto = nil
	e.ctx.emit(ClientToServer, ProtocolFlow, KindEnd, &e.info)
	e.info = FlowInfo{}
	if f.transport != TCP || reason == "evicted" || reason == "idle" || reason == "eof" {
		e.remove(f)
	}
}

func (e *Engine) remove(f *Flow) {
	for d := range 2 {
		e.releaseStream(&f.tcp[d])
	}
	e.release(f)
	e.lru[f.lruIndex()].remove(f)
	e.table.del(&f.id)
	f.dec = nil
	f.proto = nil
	e.free = append(e.free, f)
}

func (e *Engine) evictOne() {
	// Prefer a closed TCP flow, then the least recently active.
	var victim *Flow
	for i := range e.lru {
		if h := e.lru[i].head; h != nil && (victim == nil || h.lastNs < victim.lastNs) {
			victim = h
		}
	}
	if victim == nil {
		return
	}
	if victim.closed {
		e.remove(victim)
		return
	}
	e.stats.FlowsEvicted++
	e.end(victim, "evicted")
}

// expire ends flows idle for longer than their timeout at packet time now.
func (e *Engine) expire() {
	for i := range e.lru {
		l := &e.lru[i]
		for f := l.head; f != nil; f = l.head {
			timeout := e.cfg.UDPIdleTimeout
			if f.transport == TCP {
				timeout = e.cfg.TCPIdleTimeout
				if f.closed {
					timeout = closedLinger
				}
			}
			if e.nowNs-f.lastNs < int64(timeout) {
				if f.lruNs != f.lastNs {
					// Active since it was placed: move it back and look on.
					f.lruNs = f.lastNs
					l.moveToBack(f)
					continue
				}
				break
			}
			if f.closed {
				e.remove(f)
				continue
			}
			e.ctx.time = e.now
			e.end(f, "idle")
		}
	}
}

// A Source yields captured packets, as [capture.Reader] does for capture
// files. data is valid until the next call; at the end ReadPacket returns
// io.EOF.
//
// [capture.Reader]: https://pkg.go.dev/github.com/medtap/medtap/capture#Reader
type Source interface {
	ReadPacket() (ts time.Time, link LinkType, data []byte, err error)
}

// Run reads every packet of src into e, then flushes e so that every flow
// ends. It returns nil at the end of the input (io.EOF), or the read error
// (the packets before it were processed).
func (e *Engine) Run(src Source) error {
	defer e.Flush()
	for {
		ts, link, data, err := src.ReadPacket()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		e.Packet(ts, link, data)
	}
}

// Flush ends every flow, as at the end of the input (reason "eof"). The
// engine can be used again afterwards.
func (e *Engine) Flush() {
	for i := range e.lru {
		l := &e.lru[i]
		for f := l.head; f != nil; f = l.head {
			if f.closed {
				e.remove(f)
				continue
			}
			e.ctx.time = f.last
			e.end(f, "eof")
		}
	}
	e.stats.BufferedBytes = 0
	// No flow is left: the next capture keeps its own clock, even one
	// that was recorded before this one (idle timeouts compare the packet
	// times of one capture).
	e.now, e.nowNs = time.Time{}, 0
}

// Flow is one bidirectional conversation. Methods are safe to call during a
// Sink or Decoder callback; a Flow is recycled after it ends.
type Flow struct {
	id             flowID
	key            Key
	transport      Transport
	client, server netip.AddrPort
	mac            [2]MAC // the client's and the server's, as first seen
	first, last    time.Time
	lastNs         int64
	lruNs          int64 // lastNs when the flow was last moved in its list
	packets        [2]uint64
	bytes          [2]uint64
	gapBytes       [2]uint64
	proto          *Protocol
	dec            Decoder
	identifyTries  int
	identifyDone   bool
	clientSwapped  bool // the client is the canonical ID's second endpoint
	bufDec         BufferedDecoder
	decBuffered    uint64 // what bufDec held when last asked
	closed         bool
	endReason      string
	tcp            [2]tcpStream
	holding        bool // on Engine.holders
	// link are the flow's places in its LRU list (0) and, while it holds
	// buffers, in Engine.holders (1).
	link [2]struct{ prev, next *Flow }
	// The handshake's signatures, read at its start and end only: last,
	// so that the fields every packet reads keep their places.
	synSeen bool             // opened by a SYN whose signature the start event carried
	synMSS  uint16           // that SYN's MSS, for the SYN+ACK's signature
	synack  tcpsig.Signature // of the server's first SYN+ACK, for the end event
}

func (f *Flow) reset() {
	tcp := f.tcp
	*f = Flow{}
	for d := range tcp {
		f.tcp[d].segs = tcp[d].segs[:0]
	}
}

func (f *Flow) lruIndex() int {
	if f.transport == TCP {
		return 0
	}
	return 1
}

func (f *Flow) endpoint(d Dir) netip.AddrPort {
	if d == ClientToServer {
		return f.client
	}
	return f.server
}

// Key returns the flow's canonical key.
func (f *Flow) Key() Key { return f.key }

// Client returns the endpoint that opened the flow.
func (f *Flow) Client() netip.AddrPort { return f.client }

// Server returns the endpoint that accepted the flow.
func (f *Flow) Server() netip.AddrPort { return f.server }

// MAC returns the link-layer address of the endpoint that sends in d, as
// first seen (zero when the link type has none).
func (f *Flow) MAC(d Dir) MAC { return f.mac[d&1] }

// Protocol returns the identified application protocol name, or "".
func (f *Flow) Protocol() string {
	if f.proto == nil {
		return ""
	}
	return f.proto.Name
}

// Start returns the time of the flow's first packet.
func (f *Flow) Start() time.Time { return f.first }

// flowList is an intrusive doubly linked list of flows, through their
// link[link] pointers.
type flowList struct {
	head, tail *Flow
	link       int
}

func (l *flowList) pushBack(f *Flow) {
	n := &f.link[l.link]
	n.prev, n.next = l.tail, nil
	if l.tail != nil {
		l.tail.link[l.link].next = f
	} else {
		l.head = f
	}
	l.tail = f
}

func (l *flowList) remove(f *Flow) {
	n := &f.link[l.link]
	if n.prev != nil {
		n.prev.link[l.link].next = n.next
	} else if l.head == f {
		l.head = n.next
	}
	if n.next != nil {
		n.next.link[l.link].prev = n.prev
	} else if l.tail == f {
		l.tail = n.prev
	}
	n.prev, n.next = nil, nil
}

func (l *flowList) moveToBack(f *Flow) {
	if l.tail == f {
		return
	}
	l.remove(f)
	l.pushBack(f)
}
