// Package mdnsflow is the flow adapter for Multicast DNS (RFC 6762) and
// the DNS-Based Service Discovery that runs over it (RFC 6763), UDP port
// 5353: importing it registers protocol "mdns" with package flow. Devices
// announce their host names, addresses and services (a modality's
// "_dicom._tcp", a printer's "_ipp._tcp", a web console's "_http._tcp")
// to the link unasked, so one capture names most of the devices that
// speak it. DNS, mDNS and LLMNR messages look alike, so the port decides.
package mdnsflow

import (
	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/flow/internal/dnsevent"
	"github.com/medtap/medtap/netproto/dnsmsg"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "mdns"

// Port is the mDNS port.
const Port = 5353

// The kinds of event the adapter emits, one per message, all with a
// [*Message]. Malformed messages are reported as [flow.KindError] (with
// the byte offset in the datagram) after the event of what parsed.
const (
	// KindQuery is a query: questions, and in the answer section the
	// records the sender already knows ("known answers", RFC 6762 §7.1).
	KindQuery flow.Kind = "query"
	// KindProbe is a query with records in its authority section: a host
	// about to claim those names checks that nobody has them (§8.1).
	KindProbe flow.Kind = "probe"
	// KindAnnouncement is a response sent to the multicast group: a host
	// announcing its records to the link, unasked (§8.3) or in answer to a
	// query (the two look alike on the wire).
	KindAnnouncement flow.Kind = "announcement"
	// KindResponse is a response sent to one host: the answer to a
	// question that asked for a unicast response, or to a one-shot query
	// from a port other than 5353 (§5.1, §6.7).
	KindResponse flow.Kind = "response"
	// KindGoodbye is a response whose answers all have a TTL of 0: the
	// host withdraws those records, going away or renaming (§10.1).
	KindGoodbye flow.Kind = "goodbye"
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

// Message is the Detail of every mDNS event: the message, valid during the
// event, of which the first Entries entries parsed (all of them unless
// the message was malformed). Parse it again with [dnsmsg.Parser] for more
// than the JSON says.
//
// The JSON has the transaction "id" (0 in multicast mDNS), "truncated"
// when the TC bit is set, "opcode" and "rcode" when they are not QUERY and
// NOERROR, then one array per section that has entries: "questions" (name,
// type, "unicast_response" for the QU bit) and "answers", "authority" and
// "additional" records (name, type, ttl, "cache_flush", and by type
// "addr"; "target"; "target", "port", "priority", "weight"; "txt" as an
// object of keys and values; "cpu" and "os"; "next" and "types"; or
// "rdlength"). Then summaries: "hosts" (owner names of A and AAAA
// records), "addresses", "services" (DNS-SD service types such as
// "_dicom._tcp.local") and "instances" ("CT Scanner._dicom._tcp.local"),
// each listed once. At most 256 records a section, 32 TXT pairs a record
// and 32 names a summary are written; "records_dropped" and
// "txt_dropped" count what was left out.
type Message struct {
	Msg     []byte
	Header  dnsmsg.Header
	Entries int

	m dnsevent.Message
}

// AppendJSON implements [flow.Detail].
func (d *Message) AppendJSON(dst []byte) []byte {
	d.m.Msg, d.m.Entries, d.m.Flavor = d.Msg, d.Entries, dnsevent.MDNS
	return d.m.AppendJSON(dst)
}

// Identify implements [flow.Identifier]. A response, announcement, goodbye
// or probe holds the sender's own records: the owner name of each of its A
// and AAAA records is a "host" name it claims, and its HINFO ("X86_64
// LINUX") and the maker and model its TXT records state (see
// [dnsmsg.TXT.AppendModel]) are "vendor" strings. A query yields nothing:
// its known answers are other hosts' records.
func (d *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if k == KindQuery {
		return
	}
	d.m.Msg, d.m.Entries = d.Msg, d.Entries
	d.m.Identify(buf, false, yield)
}

func (d *Message) fill(msg []byte, h dnsmsg.Header, entries int) flow.Detail {
	d.Msg, d.Header, d.Entries = msg, h, entries
	return d
}

// kind says what a message does from its header, its answer and authority
// sections, and whether it went to the multicast group.
func kind(h dnsmsg.Header, n dnsevent.Counts, multicast bool) flow.Kind {
	switch {
	case !h.Flags.Response() && n.Authority > 0:
		return KindProbe
	case !h.Flags.Response():
		return KindQuery
	case n.Answers > 0 && n.Goodbyes == n.Answers:
		return KindGoodbye
	case multicast:
		return KindAnnouncement
	}
	return KindResponse
}
