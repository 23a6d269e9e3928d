// Package dhcpflow is the flow adapter for DHCPv4 and DHCPv6: importing it
// registers protocol "dhcp" with package flow. Flows on UDP ports 67, 68,
// 546 and 547 are DHCP, and so is any UDP datagram with the DHCPv4 magic
// cookie ([dhcp.Sniff]), whatever its ports. Each message is one event
// whose kind is its message type; DHCPv6 events carry "v6": true.
//
// The events say who a client is ([Message] implements [flow.Identifier]):
// its host name (DHCPv4 option 12, the client FQDN of option 81 or DHCPv6
// option 39) as "host", and its vendor class (option 60, DHCPv6 option 16)
// as "vendor". A DHCPv4 client without an address sends from 0.0.0.0, and
// a relayed message comes from the relay's address, so a client message
// gives its identities to the event's source only when that source is a
// unicast address and the message was not relayed (a DHCPv4 giaddr of
// 0.0.0.0; not inside a DHCPv6 relay message): a renewal, a release, an
// inform, and every DHCPv6 message a client sends from its link-local
// address. The
// server's answer carries the name to the client's new address: a DHCPACK
// that holds option 12 or 81, sent to the address it assigns (yiaddr, or
// ciaddr for the answer to an inform), and a DHCPv6 Reply that holds
// option 39 sent to a unicast address, give a "host" identity to the
// event's destination. A DHCPDISCOVER and a DHCPREQUEST from 0.0.0.0
// identify no one.
package dhcpflow

import (
	"errors"
	"net/netip"

	"github.com/medtap/medtap/flow"
	"github.com/medtap/medtap/netproto/dhcp"
)

// Name is the protocol's name in events and [flow.Config.Protocols].
const Name = "dhcp"

// The kinds of event the adapter emits, all with a [*Message]: the
// message type in lower case. Request, decline and release are DHCPv4 or
// DHCPv6 ("v6": true tells).
const (
	KindDiscover   flow.Kind = "discover"
	KindOffer      flow.Kind = "offer"
	KindRequest    flow.Kind = "request"
	KindDecline    flow.Kind = "decline"
	KindAck        flow.Kind = "ack"
	KindNak        flow.Kind = "nak"
	KindRelease    flow.Kind = "release"
	KindInform     flow.Kind = "inform"
	KindForceRenew flow.Kind = "forcerenew"
	// KindBOOTPRequest and KindBOOTPReply are BOOTP messages with the
	// magic cookie but no message type option.
	KindBOOTPRequest flow.Kind = "bootp-request"
	KindBOOTPReply   flow.Kind = "bootp-reply"

	KindSolicit            flow.Kind = "solicit"
	KindAdvertise          flow.Kind = "advertise"
	KindConfirm            flow.Kind = "confirm"
	KindRenew              flow.Kind = "renew"
	KindRebind             flow.Kind = "rebind"
	KindReply              flow.Kind = "reply"
	KindReconfigure        flow.Kind = "reconfigure"
	KindInformationRequest flow.Kind = "information-request"
	// KindRelayForw and KindRelayRepl are DHCPv6 relay messages; their
	// events carry the relay header and the fields of the message they
	// relay (the innermost, when relays are nested).
	KindRelayForw flow.Kind = "relay-forw"
	KindRelayRepl flow.Kind = "relay-repl"

	// KindOther is any other message type (leasequery and the like), with
	// its number in "msg_type".
	KindOther flow.Kind = "other"
	// Malformed messages are reported as [flow.KindError] with the offset
	// in the datagram.
)

func init() {
	flow.Register(flow.Protocol{
		Name:      Name,
		Transport: flow.UDP,
		Ports:     []uint16{67, 68, 546, 547},
		Match:     dhcp.Sniff,
		New:       func() flow.Decoder { return new(decoder) },
	})
}

// maxRelayDepth bounds the DHCPv6 relay messages followed inside one
// another: RFC 3315's HOP_COUNT_LIMIT (RFC 8415 lowered it to 8).
const maxRelayDepth = 32

var errRelayDepth = errors.New("dhcpflow: relay messages nested deeper than 32")

// Message is the Detail of every event: one DHCPv4 or DHCPv6 message. The
// fields summarise what identifies the client; DHCPv4 and DHCPv6 hold the
// parsed message for anything else. Byte slices are views valid only
// during the event.
type Message struct {
	V6  bool
	XID uint32 // transaction ID (24 bits in DHCPv6)
	// ClientMAC is chaddr when the hardware type is Ethernet, or the
	// Ethernet address of a DHCPv6 client's DUID-LL or DUID-LLT; zero
	// otherwise.
	ClientMAC flow.MAC
	HostName  []byte // option 12, without the NUL bytes some clients end it with
	// VendorClass is option 60, or the items of DHCPv6 option 16 joined by
	// commas, with the vendor's enterprise number in VendorEnterprise.
	VendorClass      []byte
	VendorEnterprise uint32
	// ParamList is the parameter request list (55), or the DHCPv6 option
	// request list (6), as decimal codes joined by commas: "1,3,6,15".
	ParamList []byte
	ClientID  []byte // option 61 as sent: type byte, then identifier
	DUID      []byte // the DHCPv6 client identifier (option 1)
	// RequestedIP is option 50, or the first address of a DHCPv6 client's
	// IA_NA; AssignedIP is yiaddr in a DHCPv4 reply, or the first address
	// of the IA_NA in a DHCPv6 Advertise or Reply, whose valid lifetime
	// is LeaseSeconds there. Zero when absent.
	RequestedIP, AssignedIP netip.Addr
	// FQDN is the client FQDN (81, DHCPv6 39) as text, without a final
	// dot.
	FQDN         []byte
	LeaseSeconds int64      // option 51, -1 when absent
	ServerID     netip.Addr // option 54
	ServerDUID   []byte     // the DHCPv6 server identifier (option 2)
	// Relay messages (DHCPv6 relay-forw and relay-repl): the outermost
	// relay's hop count, link and peer addresses, and the type of the
	// message relayed ("" when it could not be read).
	HopCount           int
	LinkAddr, PeerAddr netip.Addr
	Relayed            string
	// MsgType is the message type number of a KindOther event.
	MsgType int

	DHCPv4 *dhcp.Message  // the message when !V6
	DHCPv6 *dhcp.Message6 // the message (the relayed one of a relay message) when V6

	srcIdentity, dstIdentity bool
}

// AppendJSON implements [flow.Detail]: `v6` (DHCPv6 only), `xid` ("0x"
// and hex digits), `client_mac`, `hostname`, `vendor_class`,
// `vendor_enterprise`, `param_list`, `client_id` and `duid` (lower-case
// hex), `requested_ip`, `assigned_ip`, `fqdn`, `lease_s`, `server_id` (an
// address, or the server's DUID in hex), and for relay messages
// `hop_count`, `link_addr`, `peer_addr` and `relayed`; `msg_type` for
// kind "other". Absent values are left out.
func (m *Message) AppendJSON(dst []byte) []byte {
	if m.V6 {
		dst = flow.AppendBool(dst, "v6", true)
	}
	if m.DHCPv4 != nil || m.DHCPv6 != nil {
		digits := 8
		if m.V6 {
			digits = 6
		}
		dst = appendHexNumber(flow.AppendKey(dst, "xid"), m.XID, digits)
	}
	if !m.ClientMAC.IsZero() {
		dst = append(m.ClientMAC.AppendTo(append(flow.AppendKey(dst, "client_mac"), '"')), '"')
	}
	dst = flow.AppendNonEmpty(dst, "hostname", m.HostName)
	if len(m.VendorClass) > 0 {
		dst = flow.AppendBytes(dst, "vendor_class", m.VendorClass)
		if m.V6 {
			dst = flow.AppendInt(dst, "vendor_enterprise", int64(m.VendorEnterprise))
		}
	}
	dst = flow.AppendNonEmpty(dst, "param_list", m.ParamList)
	dst = appendHex(dst, "client_id", m.ClientID)
	dst = appendHex(dst, "duid", m.DUID)
	dst = appendAddr(dst, "requested_ip", m.RequestedIP)
	dst = appendAddr(dst, "assigned_ip", m.AssignedIP)
	dst = flow.AppendNonEmpty(dst, "fqdn", m.FQDN)
	if m.LeaseSeconds >= 0 {
		dst = flow.AppendInt(dst, "lease_s", m.LeaseSeconds)
	}
	dst = appendAddr(dst, "server_id", m.ServerID)
	dst = appendHex(dst, "server_id", m.ServerDUID)
	if m.LinkAddr.IsValid() {
		dst = flow.AppendInt(dst, "hop_count", int64(m.HopCount))
		dst = appendAddr(dst, "link_addr", m.LinkAddr)
		dst = appendAddr(dst, "peer_addr", m.PeerAddr)
		if m.Relayed != "" {
			dst = flow.AppendString(dst, "relayed", m.Relayed)
		}
	}
	if m.MsgType != 0 {
		dst = flow.AppendInt(dst, "msg_type", int64(m.MsgType))
	}
	return dst
}

const hexDigits = "0123456789abcdef"

func appendHexNumber(dst []byte, v uint32, digits int) []byte {
	dst = append(dst, '"', '0', 'x')
	for s := 4 * (digits - 1); s >= 0; s -= 4 {
		dst = append(dst, hexDigits[v>>uint(s)&15])
	}
	return append(dst, '"')
}

// appendHex appends `,"key":"hex"` when b is not empty.
func appendHex(dst []byte, key string, b []byte) []byte {
	if len(b) == 0 {
		return dst
	}
	dst = append(flow.AppendKey(dst, key), '"')
	for _, c := range b {
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	return append(dst, '"')
}

// appendAddr appends `,"key":"addr"` when a is set and not unspecified.
func appendAddr(dst []byte, key string, a netip.Addr) []byte {
	if !a.IsValid() || a.IsUnspecified() {
		return dst
	}
	return append(a.AppendTo(append(flow.AppendKey(dst, key), '"')), '"')
}

// Identify implements [flow.Identifier]: the client's host names and
// vendor class for the event's source, or the host names of a DHCPACK or
// DHCPv6 Reply for its destination, when those addresses are the
// client's (see the package documentation).
func (m *Message) Identify(k flow.Kind, buf []byte, yield func(flow.Identity)) {
	if m.srcIdentity {
		yieldName(yield, true, "host", m.HostName)
		yieldName(yield, true, "host", m.FQDN)
		yieldName(yield, true, "vendor", m.VendorClass)
	}
	if m.dstIdentity {
		yieldName(yield, false, "host", m.HostName)
		yieldName(yield, false, "host", m.FQDN)
	}
}

func yieldName(yield func(flow.Identity), source bool, kind string, name []byte) {
	if len(name) > 0 {
		yield(flow.Identity{Source: source, Kind: kind, Name: name})
	}
}

// trimNUL drops the NUL bytes some clients end text options with (as C
// strings), which tshark and DHCP servers ignore too.
func trimNUL(b []byte) []byte {
	for len(b) > 0 && b[len(b)-1] == 0 {
		b = b[:len(b)-1]
	}
	return b
}

// unicast reports whether a can be a device's own address: set, not
// 0.0.0.0 or ::, not multicast, not the limited broadcast address.
func unicast(a netip.Addr) bool {
	return a.IsValid() && !a.IsUnspecified() && !a.IsMulticast() && a != netip.AddrFrom4([4]byte{255, 255, 255, 255})
}

var kinds4 = [...]flow.Kind{
	dhcp.Discover: KindDiscover, dhcp.Offer: KindOffer, dhcp.Request: KindRequest, dhcp.Decline: KindDecline,
	dhcp.Ack: KindAck, dhcp.Nak: KindNak, dhcp.Release: KindRelease, dhcp.Inform: KindInform,
	dhcp.ForceRenew: KindForceRenew,
}

var kinds6 = [...]flow.Kind{
	dhcp.Solicit: KindSolicit, dhcp.Advertise: KindAdvertise, dhcp.Request6: KindRequest, dhcp.Confirm: KindConfirm,
	dhcp.Renew: KindRenew, dhcp.Rebind: KindRebind, dhcp.Reply: KindReply, dhcp.Release6: KindRelease,
	dhcp.Decline6: KindDecline, dhcp.Reconfigure: KindReconfigure, dhcp.InformationRequest: KindInformationRequest,
	dhcp.RelayForw: KindRelayForw, dhcp.RelayRepl: KindRelayRepl,
}

// decoder turns each datagram of a flow into one event. The messages,
// the Detail and the buffers its text fields are built in are reused.
type decoder struct {
	m4               dhcp.Message
	m6               [2]dhcp.Message6 // the message, and the one it relays
	msg              Message
	codes, fqdn, vcl []byte
}

func (d *decoder) Data(c *flow.Context, dir flow.Dir, data []byte) {
	f := c.Flow()
	src, dst := f.Client(), f.Server()
	if dir == flow.ServerToClient {
		src, dst = dst, src
	}
	if !dhcp.Sniff(data) && isV6Port(src.Port(), dst.Port()) {
		d.v6(c, dir, data, src.Addr(), dst.Addr())
		return
	}
	d.v4(c, dir, data, src.Addr(), dst.Addr())
}

func isV6Port(a, b uint16) bool { return a == 546 || a == 547 || b == 546 || b == 547 }

func (d *decoder) v4(c *flow.Context, dir flow.Dir, data []byte, src, dst netip.Addr) {
	m := &d.m4
	if err := m.Parse(data); err != nil {
		c.DecodeError(dir, err)
		return
	}
	d.msg = Message{DHCPv4: m, XID: m.XID, HostName: trimNUL(m.HostName()), VendorClass: trimNUL(m.VendorClass()),
		ClientID: m.ClientID(), RequestedIP: m.RequestedIP(), ServerID: m.ServerID(), LeaseSeconds: -1}
	msg := &d.msg
	if mac, ok := m.ClientMAC(); ok {
		msg.ClientMAC = mac
	}
	if p := m.ParamList(); p != nil {
		d.codes = m.AppendParamList(d.codes[:0])
		msg.ParamList = d.codes
	}
	if fq, ok := m.FQDN(); ok {
		d.fqdn = fq.AppendText(d.fqdn[:0])
		msg.FQDN = trimNUL(d.fqdn)
	}
	if s, ok := m.LeaseTime(); ok {
		msg.LeaseSeconds = int64(s)
	}
	if m.Op == dhcp.OpReply && !m.YIAddr.IsUnspecified() {
		msg.AssignedIP = m.YIAddr
	}
	msg.srcIdentity = m.Op == dhcp.OpRequest && unicast(src) && m.GIAddr.IsUnspecified()
	if m.Type == dhcp.Ack && (len(msg.HostName) > 0 || len(msg.FQDN) > 0) && unicast(dst) {
		msg.dstIdentity = dst == m.YIAddr || (m.YIAddr.IsUnspecified() && dst == m.CIAddr)
	}
	var kind flow.Kind
	switch {
	case m.Type == 0 && m.Op == dhcp.OpRequest:
		kind = KindBOOTPRequest
	case m.Type == 0:
		kind = KindBOOTPReply
	case int(m.Type) < len(kinds4):
		kind = kinds4[m.Type]
	default:
		kind, msg.MsgType = KindOther, int(m.Type)
	}
	c.Emit(dir, kind, msg)
	d.msg = Message{}
}

func (d *decoder) v6(c *flow.Context, dir flow.Dir, data []byte, src, dst netip.Addr) {
	outer := &d.m6[0]
	if err := outer.Parse(data); err != nil {
		c.DecodeError(dir, err)
		return
	}
	d.msg = Message{V6: true, LeaseSeconds: -1}
	msg := &d.msg
	m := outer
	if outer.Type.IsRelay() {
		msg.HopCount, msg.LinkAddr, msg.PeerAddr = int(outer.HopCount), outer.LinkAddr, outer.PeerAddr
		m = d.relayed(c, dir)
	}
	if m != nil {
		d.fill6(m, m == outer && unicast(src), m == outer && unicast(dst))
		if m != outer {
			msg.Relayed = m.Type.String()
		}
	}
	kind := KindOther
	if int(outer.Type) < len(kinds6) && kinds6[outer.Type] != "" {
		kind = kinds6[outer.Type]
	} else {
		msg.MsgType = int(outer.Type)
	}
	c.Emit(dir, kind, msg)
	d.msg = Message{}
}

// relayed parses the message that the relay message in d.m6[0] carries,
// through nested relay messages, into d.m6[1]. It reports an error and
// returns nil when one cannot be read.
func (d *decoder) relayed(c *flow.Context, dir flow.Dir) *dhcp.Message6 {
	m := &d.m6[0]
	base := int64(0)
	for depth := 0; m.Type.IsRelay(); depth++ {
		var inner []byte
		it := m.Options()
		for it.Next() {
			if o := it.Option(); o.Code == dhcp.Opt6RelayMessage {
				inner, base = o.Data, base+o.Offset
				break
			}
		}
		if inner == nil {
			return nil // a relay message without one: only its header
		}
		if depth == maxRelayDepth {
			c.DecodeErrorAt(dir, base, errRelayDepth)
			return nil
		}
		m = &d.m6[1]
		if err := m.Parse(inner); err != nil {
			var e *dhcp.Error
			if errors.As(err, &e) {
				err = &dhcp.Error{Offset: base + e.Offset, Option: e.Option, Err: e.Err}
			}
			c.DecodeError(dir, err)
			return nil
		}
	}
	return m
}

// fill6 sets the fields of d.msg from a DHCPv6 client or server message.
// srcUnicast and dstUnicast tell whether the message travels between the
// client's and the server's own addresses (not relayed) and whether they
// are unicast.
func (d *decoder) fill6(m *dhcp.Message6, srcUnicast, dstUnicast bool) {
	msg := &d.msg
	msg.DHCPv6, msg.XID = m, m.XID
	duid := m.ClientID()
	msg.DUID, msg.ServerDUID = duid, m.ServerID()
	if mac, ok := duid.MAC(); ok {
		msg.ClientMAC = mac
	}
	if m.ORO() != nil {
		d.codes = m.AppendORO(d.codes[:0])
		msg.ParamList = d.codes
	}
	if vc, ok := m.VendorClass(); ok {
		d.vcl = d.vcl[:0]
		it := vc.Items()
		for i := 0; it.Next(); i++ {
			if i > 0 {
				d.vcl = append(d.vcl, ',')
			}
			d.vcl = append(d.vcl, it.Item()...)
		}
		msg.VendorClass, msg.VendorEnterprise = d.vcl, vc.Enterprise
	}
	if fq, ok := m.FQDN(); ok {
		d.fqdn = fq.AppendText(d.fqdn[:0])
		msg.FQDN = d.fqdn
	}
	ias := m.IANAs()
	for ias.Next() && !msg.RequestedIP.IsValid() && !msg.AssignedIP.IsValid() {
		as := ias.IA().Addrs()
		if !as.Next() {
			continue
		}
		a := as.Addr()
		switch {
		case m.Type.FromClient():
			msg.RequestedIP = a.Addr
		case m.Type.FromServer():
			msg.AssignedIP, msg.LeaseSeconds = a.Addr, int64(a.Valid)
		}
	}
	msg.srcIdentity = m.Type.FromClient() && srcUnicast
	msg.dstIdentity = m.Type == dhcp.Reply && len(msg.FQDN) > 0 && dstUnicast
}

func (d *decoder) Gap(c *flow.Context, dir flow.Dir, n int) {}

func (d *decoder) Close(c *flow.Context) {}

// DHCPClient returns what the message says of the client: its MAC, the
// parameter request list, vendor class and host name it sent, and the
// address the server assigns it (zero when none), for inventories.
func (m *Message) DHCPClient() (mac flow.MAC, params, vendorClass, hostName []byte, assigned netip.Addr) {
	return m.ClientMAC, m.ParamList, m.VendorClass, m.HostName, m.AssignedIP
}
