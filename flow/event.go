package flow

import (
	"net/netip"
	"time"
)

// Event is one protocol happening: a flow starting or ending, a DICOM
// association request, an HL7 message, an ASTM record. An Event and
// everything it points to (its Detail included) is valid only during the
// Sink call that receives it; a Sink that keeps anything copies it.
type Event struct {
	Time     time.Time
	Key      Key
	Src, Dst netip.AddrPort // the sender and receiver of what the event reports
	Proto    string         // "flow", "dicom", "hl7", "astm", ...
	Kind     string         // protocol specific: "start", "associate-rq", "message", "error", ...
	Detail   Detail         // protocol fields; nil when there are none
}

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

// FlowInfo is the Detail of Proto "flow" events (Kind "start" and "end").
type FlowInfo struct {
	Transport Transport
	App       string // identified application protocol, "" when unknown
	Reason    string // for "end": "fin", "rst", "idle", "evicted", "eof"
	// Packets and Bytes count both directions, client to server first.
	Packets [2]uint64
	Bytes   [2]uint64 // transport payload bytes
	Gaps    [2]uint64 // bytes lost to gaps in TCP reassembly
	Start   time.Time
}

// AppendJSON implements [Detail].
func (f *FlowInfo) AppendJSON(dst []byte) []byte {
	dst = AppendString(dst, "transport", f.Transport.String())
	if f.App != "" {
		dst = AppendString(dst, "app", f.App)
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
	return dst
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
