// Package nbnsflow is the flow adapter for the NetBIOS name service (RFC
// 1001 and RFC 1002), UDP port 137: importing it registers protocol "nbns"
// with package flow. Windows hosts, Samba servers and the many embedded
// devices that share files the Windows way register their names on the
// link when they start, answer queries for them, and tell their whole name
// table and MAC address to whoever asks for their node status, so the name
// service names hosts and their workgroups.
package nbnsflow

import (
	"net/netip"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/dnsmsg"
	"github.com/medtap/medtap/netproto/nbns"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "nbns"

// Port is the NetBIOS name service port.
const Port = 137

// The kinds of event the adapter emits, one per message, all with a
// [*Message]. A request's kind says what it asks; the answer's is the
// same with "-response". Malformed messages are reported as
// [flow.KindError] (with the byte offset in the datagram) after the event
// of what parsed.
const (
	// KindNameQuery asks who has a name (broadcast, or to a name server).
	KindNameQuery         flow.Kind = "name-query"
	KindNameQueryResponse flow.Kind = "name-query-response" // the addresses of the name, or rcode "name-error"
	// KindNodeStatus asks a node for its name table (nmblookup -A, nbtstat -A).
	KindNodeStatus         flow.Kind = "node-status"
	KindNodeStatusResponse flow.Kind = "node-status-response" // the name table and the MAC address
	// KindRegistration claims a name for an address (broadcast, or to a
	// name server); "multihomed" marks a multihomed host's.
	KindRegistration         flow.Kind = "registration"
	KindRegistrationResponse flow.Kind = "registration-response" // rcode "active" or "conflict": another host has the name
	// KindRelease gives a name up.
	KindRelease         flow.Kind = "release"
	KindReleaseResponse flow.Kind = "release-response"
	// KindRefresh renews a registration with a name server.
	KindRefresh         flow.Kind = "refresh"
	KindRefreshResponse flow.Kind = "refresh-response"
	// KindWACK is a name server asking a requester to wait ("ttl" seconds).
	KindWACK flow.Kind = "wack"
	// KindOther is a message with an opcode RFC 1002 does not define.
	KindOther flow.Kind = "other"
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.UDP,
		Ports:     []uint16{Port},
		Match:     nbns.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// Message is the Detail of every NBNS event: the message, valid during the
// event, of which the first Entries entries parsed (all of them unless the
// message was malformed). Parse it again with [nbns.Parser] for more than
// the JSON says.
//
// A name service message is about one name. The JSON has the transaction
// "id", "broadcast" when the B bit is set, "rcode" when it is not success,
// "opcode" for KindOther, "multihomed" for a multihomed registration; the
// "name" (the question's, or the first record's) as Wireshark prints it
// ("MTNM-NB1<20>"), its "suffix" meaning ("workstation", "server",
// "domain", "master-browser": see [nbns.Suffix.Meaning]; none for the
// wildcard "*" of node status requests), "question_type"
// ("NB" or "NBSTAT") for a request, and from the first record its "ttl",
// "group" and "node_type"; the "addresses" of every NB record; and for a
// node status response the name table, "names" (each with its name,
// suffix, group, node_type, active, and permanent, conflict and
// deregistering when set), and the "mac" (left out when the node sends
// zeros, as Samba does). At most 32 addresses and 64 names are written.
type Message struct {
	Msg     []byte
	Header  nbns.Header
	Entries int
	// Sender is the address the message came from.
	Sender netip.Addr

	p   nbns.Parser
	buf []byte
}

// Limits on what one event writes.
const (
	maxAddrs = 32
	maxNames = 64
)

// AppendJSON implements [flow.Detail].
func (d *Message) AppendJSON(dst []byte) []byte {
	h, _ := d.p.Start(d.Msg)
	f := h.Flags
	dst = flow.AppendInt(dst, "id", int64(h.ID))
	if f.Broadcast() {
		dst = flow.AppendBool(dst, "broadcast", true)
	}
	if rc := f.RCode(); rc != nbns.RCodeSuccess {
		dst = flow.AppendString(dst, "rcode", rc.String())
	}
	switch op := f.Opcode(); op {
	case nbns.OpQuery, nbns.OpRegistration, nbns.OpRelease, nbns.OpWACK, nbns.OpRefresh, nbns.OpRefreshAlt:
	case nbns.OpMultihomedRegistration:
		dst = flow.AppendBool(dst, "multihomed", true)
	default:
		dst = flow.AppendString(dst, "opcode", op.String())
	}
	// The name: the question's, or the first record's; what it is (a
	// group or not) from the first NB record.
	var name nbns.Name
	var qtype nbns.Type
	var first nbns.Resource
	var nb0 nbns.NBEntry
	named, recorded, hasNB := false, false, false
	for i := 0; i < d.Entries && d.p.Next(); i++ {
		if d.p.Section() == dnsmsg.SectionQuestion {
			if q := d.p.Question(); !named {
				name, qtype, named = q.Name, q.Type, true
			}
			continue
		}
		if !recorded {
			first, recorded = d.p.Resource(), true
			if first.Type == nbns.TypeNB {
				nb := first.NB()
				hasNB = nb.Next()
				nb0 = nb.Entry()
			}
		}
	}
	if !named && recorded {
		name, named = first.Name, true
	}
	if named {
		d.buf = name.AppendTo(d.buf[:0])
		dst = flow.AppendBytes(dst, "name", d.buf)
		if m := name.Suffix().Meaning(hasNB && nb0.Flags.Group()); m != "" && !name.IsWildcard() {
			dst = flow.AppendString(dst, "suffix", m)
		}
	}
	if qtype != 0 {
		dst = flow.AppendString(dst, "question_type", qtype.String())
	}
	if recorded {
		dst = flow.AppendInt(dst, "ttl", int64(first.TTL))
	}
	if hasNB {
		dst = flow.AppendBool(dst, "group", nb0.Flags.Group())
		dst = flow.AppendString(dst, "node_type", nb0.Flags.NodeType().String())
	}

	// Then the addresses of every NB record, and the name table of the
	// first node status record.
	d.p.Start(d.Msg)
	addrs := 0
	var status nbns.NodeStatus
	hasStatus := false
	for i := 0; i < d.Entries && d.p.Next(); i++ {
		if d.p.Section() == dnsmsg.SectionQuestion {
			continue
		}
		r := d.p.Resource()
		switch r.Type {
		case nbns.TypeNB:
			for nb := r.NB(); nb.Next() && addrs < maxAddrs; addrs++ {
				if addrs == 0 {
					dst = append(flow.AppendKey(dst, "addresses"), '[')
				} else {
					dst = append(dst, ',')
				}
				dst = append(dst, '"')
				dst = append(nb.Entry().Addr.AppendTo(dst), '"')
			}
		case nbns.TypeNBSTAT:
			if s, err := r.NodeStatus(); err == nil && !hasStatus {
				status, hasStatus = s, true
			}
		}
	}
	if addrs > 0 {
		dst = append(dst, ']')
	}
	if hasStatus {
		dst = appendNodeStatus(dst, status, &d.buf)
	}
	return dst
}

func appendNodeStatus(dst []byte, s nbns.NodeStatus, buf *[]byte) []byte {
	dst = append(flow.AppendKey(dst, "names"), '[')
	i := 0
	for t := s.Names(); t.Next() && i < maxNames; i++ {
		e := t.Entry()
		if i > 0 {
			dst = append(dst, ',')
		}
		*buf = e.Name.AppendTo((*buf)[:0])
		dst = append(dst, `{"name":`...)
		dst = flow.AppendQuotedBytes(dst, *buf)
		fl := e.Flags
		if m := e.Name.Suffix().Meaning(fl.Group()); m != "" {
			dst = flow.AppendString(dst, "suffix", m)
		}
		dst = flow.AppendBool(dst, "group", fl.Group())
		dst = flow.AppendString(dst, "node_type", fl.NodeType().String())
		dst = flow.AppendBool(dst, "active", fl.Active())
		if fl.Permanent() {
			dst = flow.AppendBool(dst, "permanent", true)
		}
		if fl.Conflict() {
			dst = flow.AppendBool(dst, "conflict", true)
		}
		if fl.Deregistering() {
			dst = flow.AppendBool(dst, "deregistering", true)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	if mac, ok := s.UnitID(); ok && mac != [6]byte{} {
		dst = append(flow.AppendKey(dst, "mac"), '"')
		dst = append(flow.MAC(mac).AppendTo(dst), '"')
	}
	return dst
}

// Identify implements [flow.Identifier]: the computer names a host claims
// for itself, as "host". Those are the unique names with the workstation
// (0x00) or server (0x20) suffix that it registers or refreshes, or
// answers a name query for, with its own address (a name server answering
// for another host is not the owner), and those of the name table it sends
// in a node status response. Group names (workgroups), browser and domain
// names and the messenger name (which may be a user's) are not host names.
func (d *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	switch k {
	case KindRegistration, KindRefresh, KindNameQueryResponse, KindNodeStatusResponse:
	default:
		return
	}
	d.p.Start(d.Msg)
	last := -1 // start of the name yielded last, in buf
	say := func(n nbns.Name) {
		start := len(buf)
		buf = n.AppendBase(buf)
		if len(buf) == start || last >= 0 && string(buf[last:start]) == string(buf[start:]) {
			buf = buf[:start]
			return
		}
		last = start
		yield(flow.Identity{Source: true, Kind: "host", Name: buf[start:]})
	}
	for i := 0; i < d.Entries && d.p.Next(); i++ {
		if d.p.Section() == dnsmsg.SectionQuestion {
			continue
		}
		r := d.p.Resource()
		if r.Type == nbns.TypeNBSTAT {
			s, err := r.NodeStatus()
			if err != nil {
				continue
			}
			for t := s.Names(); t.Next(); {
				if e := t.Entry(); !e.Flags.Group() && e.Flags.Active() && hostSuffix(e.Name.Suffix()) {
					say(e.Name)
				}
			}
			continue
		}
		if r.Type != nbns.TypeNB || !hostSuffix(r.Name.Suffix()) || (k == KindNameQueryResponse && d.Header.Flags.RCode() != 0) {
			continue
		}
		for nb := r.NB(); nb.Next(); {
			if e := nb.Entry(); !e.Flags.Group() && e.Addr == d.Sender {
				say(r.Name)
				break
			}
		}
	}
}

func hostSuffix(s nbns.Suffix) bool { return s == nbns.SuffixWorkstation || s == nbns.SuffixServer }

// decoder turns each datagram into one event. The Detail is reused.
type decoder struct {
	p   nbns.Parser
	msg Message
}

func (a *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	h, err := a.p.Start(data)
	entries, qtype, rtype := 0, nbns.Type(0), nbns.Type(0)
	for err == nil && a.p.Next() {
		entries++
		if a.p.Section() == dnsmsg.SectionQuestion {
			if qtype == 0 {
				qtype = a.p.Question().Type
			}
			continue
		}
		r := a.p.Resource()
		if rtype == 0 {
			rtype = r.Type
		}
		err = check(&r)
	}
	if err == nil {
		err = a.p.Err()
	} else if entries > 0 {
		entries-- // the record whose data is malformed
	}
	if entries > 0 {
		a.msg.Msg, a.msg.Header, a.msg.Entries, a.msg.Sender = data, h, entries, sender(c, dir)
		c.Emit(dir, kind(h.Flags, qtype, rtype), &a.msg)
		a.msg.Msg = nil
	}
	if err != nil {
		c.DecodeError(dir, err)
	}
}

// check reads the data of r as its type says.
func check(r *nbns.Resource) error {
	switch r.Type {
	case nbns.TypeNB:
		nb := r.NB()
		return nb.Err()
	case nbns.TypeNBSTAT:
		_, err := r.NodeStatus()
		return err
	}
	return nil
}

// kind says what a message does from its flags and the type of its first
// question and first record.
func kind(f nbns.Flags, qtype, rtype nbns.Type) flow.Kind {
	resp := f.Response()
	pick := func(req, res flow.Kind) flow.Kind {
		if resp {
			return res
		}
		return req
	}
	switch f.Opcode() {
	case nbns.OpQuery:
		if qtype == nbns.TypeNBSTAT || resp && rtype == nbns.TypeNBSTAT {
			return pick(KindNodeStatus, KindNodeStatusResponse)
		}
		return pick(KindNameQuery, KindNameQueryResponse)
	case nbns.OpRegistration, nbns.OpMultihomedRegistration:
		return pick(KindRegistration, KindRegistrationResponse)
	case nbns.OpRelease:
		return pick(KindRelease, KindReleaseResponse)
	case nbns.OpRefresh, nbns.OpRefreshAlt:
		return pick(KindRefresh, KindRefreshResponse)
	case nbns.OpWACK:
		return KindWACK
	}
	return KindOther
}

// sender returns the address the datagram in dir came from.
func sender(c *flow.Context, dir flow.Dir) netip.Addr {
	f := c.Flow()
	if f == nil {
		return netip.Addr{}
	}
	if dir == flow.ServerToClient {
		return f.Server().Addr()
	}
	return f.Client().Addr()
}

func (a *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {}

func (a *decoder) Close(c *flow.Context) {}
