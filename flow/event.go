package flow

import (
	"net/netip"
	"time"

	"github.com/medtap/medtap/netproto/tcpsig"
)

// Event is one protocol happening: a flow starting or ending, a DICOM
// association request, an HL7 message, an ASTM record. An Event and
// everything it points to (its Detail included) is valid only during the
// Sink call that receives it; a Sink that keeps anything copies it.
type Event struct {
	Time     time.Time
	Key      Key
	Src, Dst netip.AddrPort // the sender and receiver of what the event reports
	// SrcMAC and DstMAC are the link-layer addresses of the sender and
	// receiver as the capture saw them (for a flow, those of its first
	// packets each way: a router's when the peer is behind one); zero
	// when the link type has none.
	SrcMAC, DstMAC MAC
	// Protocol is the registered name of the protocol that emitted the
	// event ("dicom", "hl7", ...), or "flow" for the engine's own events.
	Protocol string
	Kind     Kind   // what happened; each adapter package lists its kinds
	Detail   Detail // protocol fields; nil when there are none
}

// Kind names what an [Event] reports. Kinds are lower-case words joined by
// hyphens ("associate-rq", "poll-result"); each adapter package declares
// the kinds it emits as constants beside the Detail they carry, and their
// text never changes.
type Kind string

// The kinds every protocol shares.
const (
	// KindStart and KindEnd are the engine's own events (Protocol
	// "flow"), with a [FlowInfo] Detail, when a flow starts and ends.
	KindStart Kind = "start"
	KindEnd   Kind = "end"
	// KindError reports malformed input that a decoder skipped, with a
	// [DecodeErrorDetail] (see [Context.DecodeError]).
	KindError Kind = "error"
)

// ProtocolFlow is the [Event.Protocol] of the engine's own events.
const ProtocolFlow = "flow"

// Detail carries the protocol-specific fields of an [Event]. Adapters define
// one concrete type per kind of detail (for example [FlowInfo] or
// [DecodeErrorDetail]) so consumers can type-switch on it.
type Detail interface {
	// AppendJSON appends the fields as JSON object members, each preceded by
	// a comma (`,"key":value`), using the Append helpers of this package.
	// The keys type, ts, proto, kind, src and dst are reserved for the
	// envelope that medscan and other writers put around the fields.
	AppendJSON(dst []byte) []byte
}

// A Sink receives events. It is called on the goroutine that feeds the
// [Engine], synchronously.
type Sink interface {
	Event(e *Event)
}

// SinkFunc adapts a function to a [Sink].
type SinkFunc func(e *Event)

// Event calls f(e).
func (f SinkFunc) Event(e *Event) { f(e) }

// FlowInfo is the Detail of the engine's own events (Protocol "flow", kinds
// [KindStart] and [KindEnd]).
//
// A TCP flow's handshake says which operating system each side runs: SYN
// and SYNACK are the p0f signatures (see package [tcpsig]) of the client's
// SYN and the server's SYN+ACK. The start event of a flow opened by a SYN
// carries SYN (JSON "syn_sig"); the SYN+ACK comes after that event, so the
// engine keeps its signature with the flow and the end event carries it
// (JSON "synack_sig"), when the flow began with a SYN and the server's
// SYN+ACK was seen (the first one, as p0f takes). Each is the zero
// Signature, and not written, otherwise. Like p0f, the engine fingerprints
// a SYN with ACK, FIN and RST clear and a SYN+ACK with FIN and RST clear.
type FlowInfo struct {
	Transport Transport
	// Protocol is the identified application protocol, "" when unknown
	// (written as "app" in JSON, where "proto" is the event's own).
	Protocol string
	Reason   string // for "end": "fin", "rst", "idle", "evicted", "eof"
	// Packets and Bytes count both directions, client to server first.
	Packets [2]uint64
	Bytes   [2]uint64 // transport payload bytes
	Gaps    [2]uint64 // bytes lost to gaps in TCP reassembly
	Start   time.Time
	SYN     tcpsig.Signature // start events: the client's SYN, "syn_sig"
	SYNACK  tcpsig.Signature // end events: the server's SYN+ACK, "synack_sig"
}

// AppendJSON implements [Detail].
func (f *FlowInfo) AppendJSON(dst []byte) []byte {
	dst = AppendString(dst, "transport", f.Transport.String())
	if f.Protocol != "" {
		dst = AppendString(dst, "app", f.Protocol)
	}
	if f.Reason != "" {
		dst = AppendString(dst, "reason", f.Reason)
		dst = AppendInt(dst, "packets_c2s", int64(f.Packets[0]))
		dst = AppendInt(dst, "packets_s2c", int64(f.Packets[1]))
		dst = AppendInt(dst, "bytes_c2s", int64(f.Bytes[0]))
		dst = AppendInt(dst, "bytes_s2c", int64(f.Bytes[1]))
		if f.Gaps[0]+f.Gaps[1] > 0 {
			dst = AppendInt(dst, "gap_bytes_c2s", int64(f.Gaps[0]))
			dst = AppendInt(dst, "gap_bytes_s2c", int64(f.Gaps[1]))
		}
	}
	if !f.SYN.IsZero() {
		dst = appendSignature(dst, "syn_sig", &f.SYN)
	}
	if !f.SYNACK.IsZero() {
		dst = appendSignature(dst, "synack_sig", &f.SYNACK)
	}
	return dst
}

// appendSignature appends `,"key":"sig"`; a signature's text needs no
// escaping.
func appendSignature(dst []byte, key string, s *tcpsig.Signature) []byte {
	dst = appendKey(dst, key)
	dst = append(dst, '"')
	dst = s.AppendTo(dst)
	return append(dst, '"')
}

// DecodeErrorDetail is the Detail of Kind "error" events emitted through
// [Context.DecodeError].
type DecodeErrorDetail struct {
	Offset int64 // byte offset in the direction's stream, -1 when unknown
	Err    error
}

// AppendJSON implements [Detail].
func (d *DecodeErrorDetail) AppendJSON(dst []byte) []byte {
	if d.Offset >= 0 {
		dst = AppendInt(dst, "offset", d.Offset)
	}
	if d.Err != nil {
		dst = AppendString(dst, "error", d.Err.Error())
	}
	return dst
}

// An Identity is something a device says about itself in an event: a name
// (the AE title it calls from, the HL7 application it sends as, the analyser
// named in an ASTM header, its DHCP host name), or the operating system or
// vendor it reports.
type Identity struct {
	// Source is true when the identity is the event's source's, false
	// when it is its destination's (a TLS server name, say).
	Source bool
	// Addr, when valid, is the address of the device the identity is
	// about, in place of the event's source or destination: the
	// management address of an LLDP advertisement (a frame without one),
	// the address a DHCP server assigns to a client named in its ACK.
	Addr netip.Addr
	// Kind says what Name is, in a few lower-case letters. Names:
	// "ae", "hl7", "astm", "intellivue", "poct", "tls" (a server name a
	// client asks for), "host" (a host name from DHCP, NetBIOS, mDNS,
	// LLDP, SNMP or a certificate's common name); and "os" for an
	// operating system, "vendor" for a vendor or product string.
	Kind string
	// Name is valid only during the yield call.
	Name []byte
}

// An Identifier is a Detail that says something about its event's
// endpoints. Inventories ask every Detail for it, so that a protocol added
// by an adapter outside medtap identifies devices too.
type Identifier interface {
	Detail
	// Identify calls yield for each identity the Detail carries in an
	// event of kind k. A name that joins several fields is built in buf
	// (appending to it); names are valid only during the yield call.
	Identify(k Kind, buf []byte, yield func(Identity))
}
