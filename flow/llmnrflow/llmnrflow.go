// Package llmnrflow is the flow adapter for Link-Local Multicast Name
// Resolution (RFC 4795), UDP port 5355: importing it registers protocol
// "llmnr" with package flow. Windows hosts ask the link for names DNS
// does not know, and the host that has the name answers with its
// addresses, so a response names its sender. (It is also what name
// poisoning tools answer falsely.) DNS, mDNS and LLMNR messages look
// alike, so the port decides.
package llmnrflow

import (
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/internal/dnsevent"
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "llmnr"

// Port is the LLMNR port.
const Port = 5355

// The kinds of event the adapter emits, one per message, both with a
// [*Message]. Malformed messages are reported as [flow.KindError] (with
// the byte offset in the datagram) after the event of what parsed.
const (
	// KindQuery is a query, sent to the multicast group (224.0.0.252,
	// ff02::1:3), or to one host to check a name it answered for.
	KindQuery flow.Kind = "query"
	// KindResponse is a response, sent by the host that has the name to
	// the one that asked.
	KindResponse flow.Kind = "response"
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.UDP,
		Ports:     []uint16{Port},
		New: func() flow.Decoder {
			d := new(Message)
			return &dnsevent.Decoder{Kind: kind, Fill: d.fill}
		},
	})
}

// Message is the Detail of every LLMNR event: the message, valid during
// the event, of which the first Entries entries parsed (all of them unless
// the message was malformed). Parse it again with [dnsmsg.Parser] for more
// than the JSON says.
//
// The JSON has the transaction "id"; "conflict", "truncated" and
// "tentative" when the C, TC and T bits are set (RFC 4795 §2.1.1);
// "opcode" and "rcode" when they are not QUERY and NOERROR; then one array
// per section that has entries, "questions" (name, type) and "answers",
// "authority" and "additional" records (name, type, ttl, and "addr" for A
// and AAAA records, or what mdnsflow writes for other types); then the
// summaries "hosts" (owner names of A and AAAA records) and "addresses".
type Message struct {
	Msg     []byte
	Header  dnsmsg.Header
	Entries int

	m dnsevent.Message
}

// AppendJSON implements [flow.Detail].
func (d *Message) AppendJSON(dst []byte) []byte {
	d.m.Msg, d.m.Entries, d.m.Flavor = d.Msg, d.Entries, dnsevent.LLMNR
	return d.m.AppendJSON(dst)
}

// Identify implements [flow.Identifier]: in a response, the owner name of
// each A and AAAA record is a "host" name the sender answers for as its
// own. A query yields nothing.
func (d *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if k != KindResponse {
		return
	}
	d.m.Msg, d.m.Entries = d.Msg, d.Entries
	d.m.Identify(buf, true, yield)
}

func (d *Message) fill(msg []byte, h dnsmsg.Header, entries int) flow.Detail {
	d.Msg, d.Header, d.Entries = msg, h, entries
	return d
}

func kind(h dnsmsg.Header, _ dnsevent.Counts, _ bool) flow.Kind {
	if h.Flags.Response() {
		return KindResponse
	}
	return KindQuery
}
