package flow

import (
	"errors"
	"slices"
	"sync"
	"time"
)

// Protocol describes an application protocol decoder that plugs into the
// engine. Adapter packages (flow/dicomflow, flow/hl7flow, ...) register one
// each in init, so importing an adapter is what enables its protocol, the
// way importing image/png registers PNG with package image.
type Protocol struct {
	// Name is the short lower-case name of the protocol in events
	// ([Event.Protocol]), [Config.Protocols] and [Stats.ProtocolErrors]:
	// "dicom", "hl7".
	Name      string
	Transport Transport // TCP, UDP or Link
	// Ports are the well-known ports, used when no content match was found.
	Ports []uint16
	// EtherTypes select the frames of a Link protocol (0x88cc for LLDP,
	// or the SNAP protocol ID of an 802.3 frame, 0x2000 for CDP). A Link
	// protocol's decoder is made once per engine and gets every such frame
	// as one Data call in ClientToServer with [Context.Flow] nil.
	EtherTypes []uint16
	// Match reports whether data, the first payload bytes seen in one
	// direction of a flow (or one datagram), begin this protocol. It must
	// not keep data, and should be cheap when it says no: it runs for every
	// flow not yet identified. May be nil. Protocol packages export theirs
	// as Sniff.
	Match func(data []byte) bool
	// MatchReply, when not nil, is tried too on the first bytes a server
	// sends: an answer typical of the protocol (a DICOM A-ABORT to a port
	// scanner's probe) identifies a flow whose client sent something no
	// matcher knows. It must accept what Match accepts from a server.
	MatchReply func(data []byte) bool
	// New returns a decoder for one flow.
	New func() Decoder
}

// Decoder decodes one flow's application bytes. The engine calls it on the
// goroutine that feeds packets, one flow at a time.
type Decoder interface {
	// Data is called with the next in-order bytes of one direction (TCP) or
	// one datagram (UDP). data is valid only during the call.
	Data(c *Context, dir Dir, data []byte)
	// Gap reports that n bytes (-1: an unknown number) were lost in dir
	// before the next Data; the decoder resynchronises.
	Gap(c *Context, dir Dir, n int)
	// Close is called once when the flow ends.
	Close(c *Context)
}

// BufferedDecoder is implemented by decoders that hold buffers between
// calls. After every Data and Gap call the engine asks how much they hold
// and counts it against [Config.MaxBufferedBytes], ending the least recently
// active flows when the total is over budget; [Stats.DecoderBytes] reports
// the sum.
type BufferedDecoder interface {
	Decoder
	// Buffered returns the bytes of memory the decoder holds now.
	Buffered() int
}

var (
	registryMu sync.RWMutex
	registry   []*Protocol
)

// Register adds a protocol to the table every new [Engine] starts with. It
// panics if the name is empty, New is nil, or the name is taken: it is meant
// for init functions.
func Register(p Protocol) {
	if p.Name == "" || p.New == nil {
		panic("flow: Register needs a Name and New")
	}
	if (p.Transport == Link) != (len(p.EtherTypes) > 0) {
		panic("flow: protocol " + p.Name + ": EtherTypes go with Transport Link, and only there")
	}
	registryMu.Lock()
	defer registryMu.Unlock()
	for _, q := range registry {
		if q.Name == p.Name {
			panic("flow: protocol " + p.Name + " registered twice")
		}
	}
	p.Ports = slices.Clone(p.Ports)
	p.EtherTypes = slices.Clone(p.EtherTypes)
	registry = append(registry, &p)
}

// Protocols returns the names of the registered protocols, in the order
// they registered.
func Protocols() []string {
	registryMu.RLock()
	defer registryMu.RUnlock()
	names := make([]string, len(registry))
	for i, p := range registry {
		names[i] = p.Name
	}
	return names
}

func registered() []*Protocol {
	registryMu.RLock()
	defer registryMu.RUnlock()
	return slices.Clone(registry)
}

// Context is handed to a [Decoder] with every call. It tells the decoder
// where it is, which limits apply and lets it emit events. It is valid only
// during the call.
type Context struct {
	e     *Engine
	f     *Flow     // nil for a link-layer frame
	proto *Protocol // the decoder's; nil for the engine's own events
	pkt   *Packet   // the frame, for a link-layer protocol
	time  time.Time
	ev    Event
	errd  DecodeErrorDetail
}

// Time returns the capture time of the packet being processed.
func (c *Context) Time() time.Time { return c.time }

// MaxMessageBytes returns [Config.MaxMessageBytes]: the cap a decoder
// applies to one buffered message, or 0 for the protocol's own default.
func (c *Context) MaxMessageBytes() int { return c.e.cfg.MaxMessageBytes }

// Config returns the engine's configuration, defaults applied, for
// decoders that read limits beyond [Context.MaxMessageBytes].
func (c *Context) Config() Config { return c.e.cfg }

// PHI returns the engine's writer of patient data, for the Details that
// carry some (see [PHI]).
func (c *Context) PHI() *PHI { return c.e.phi }

// Flow returns the flow being decoded, or nil for a link-layer frame.
func (c *Context) Flow() *Flow { return c.f }

// Frame returns the link-layer frame being decoded by a Link protocol's
// decoder (its MACs, VLANs and EtherType), or nil in a flow.
func (c *Context) Frame() *Packet { return c.pkt }

// Emit sends an event of the decoder's protocol about bytes that travel in
// dir. detail may be nil; it is valid only during the call.
func (c *Context) Emit(dir Dir, kind Kind, detail Detail) {
	name := ""
	if c.proto != nil {
		name = c.proto.Name
	}
	c.emit(dir, name, kind, detail)
}

func (c *Context) emit(dir Dir, proto string, kind Kind, detail Detail) {
	ev := &c.ev
	ev.Time = c.time
	if f := c.f; f != nil {
		ev.Key = f.key
		ev.Src, ev.Dst = f.endpoint(dir), f.endpoint(dir.Reverse())
		ev.SrcMAC, ev.DstMAC = f.mac[dir], f.mac[dir^1]
	} else if p := c.pkt; p != nil {
		ev.SrcMAC, ev.DstMAC = p.SrcMAC, p.DstMAC
	}
	ev.Protocol = proto
	ev.Kind = kind
	ev.Detail = detail
	c.e.stats.Events++
	if c.e.sink != nil {
		c.e.sink.Event(ev)
	}
	*ev = Event{}
}

// DecodeError reports malformed input in dir: it emits an event of Kind
// [KindError] and counts it in [Stats]. The offset reported is the error's
// own ([ErrorOffset]); [Context.DecodeErrorAt] gives it explicitly.
func (c *Context) DecodeError(dir Dir, err error) {
	c.DecodeErrorAt(dir, ErrorOffset(err), err)
}

// DecodeErrorAt is [Context.DecodeError] at offset: bytes from the start of
// that direction's stream as the decoder counts it, or -1 when unknown.
func (c *Context) DecodeErrorAt(dir Dir, offset int64, err error) {
	c.e.stats.DecodeErrors++
	if c.proto != nil {
		c.e.stats.countProtocolError(c.proto.Name)
	}
	c.errd = DecodeErrorDetail{Offset: offset, Err: err}
	c.Emit(dir, KindError, &c.errd)
	c.errd = DecodeErrorDetail{}
}

// ErrorOffset returns the byte offset an error points at: that of the first
// error in err's chain with a ByteOffset() int64 method (as every error type
// of the protocol packages has), or -1.
func ErrorOffset(err error) int64 {
	type offsetter interface{ ByteOffset() int64 }
	if o, ok := err.(offsetter); ok {
		return o.ByteOffset() // the common case, without errors.As's allocation
	}
	var o offsetter
	if errors.As(err, &o) {
		return o.ByteOffset()
	}
	return -1
}
