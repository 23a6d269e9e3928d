package dhcp

import (
	"encoding/binary"
	"net/netip"
	"strconv"
)

// Message6 is a DHCPv6 message (RFC 8415 8 and 9): a client/server
// message with its type, transaction ID and options, or a relay message
// (Relay-forward, Relay-reply) with its hop count, link and peer addresses
// and options, among them the relayed message ([Message6.RelayMessage]).
//
// Its slices are views into the data given to [Message6.Parse], valid
// until the data changes. The zero value is ready for Parse, which never
// allocates on well-formed input.
type Message6 struct {
	Type MessageType6
	XID  uint32 // transaction ID, 24 bits; 0 in relay messages
	// Relay messages only: the number of relays the message went through,
	// the address that identifies the client's link, and the client's (or
	// the previous relay's) address.
	HopCount           uint8
	LinkAddr, PeerAddr netip.Addr

	data []byte
	base int // offset of the options
	// first instances of the options the accessors decode (offset of the
	// value and its length; n < 0: absent)
	clientID, serverID, oro, vendor, fqdn, relay span6
}

type span6 struct{ off, n int32 }

func (s span6) ok() bool { return s.n >= 0 }

// Parse decodes the DHCPv6 message in b and checks its options: that each
// fits its message, and that the values of those the accessors decode are
// well formed (client and server identifiers, IA_NA and its addresses,
// the option request list, vendor class, client FQDN, relay message).
// The relayed message inside a relay message is not parsed: give
// [Message6.RelayMessage] to another Message6. On an error (an [*Error]
// with the offset) only Type, XID and the relay header are meaningful: the
// message has no options.
func (m *Message6) Parse(b []byte) error {
	err := m.parse(b)
	if err != nil {
		m.data = nil
		m.clientID, m.serverID, m.oro, m.vendor, m.fqdn, m.relay = absent, absent, absent, absent, absent, absent
	}
	return err
}

var absent = span6{0, -1}

func (m *Message6) parse(b []byte) error {
	*m = Message6{clientID: absent, serverID: absent, oro: absent, vendor: absent, fqdn: absent, relay: absent}
	if len(b) > MaxMessageLen {
		return errAt(MaxMessageLen, ErrTooLong)
	}
	if len(b) < 4 {
		return errAt(len(b), ErrShort)
	}
	m.data = b
	m.Type = MessageType6(b[0])
	m.base = 4
	if m.Type.IsRelay() {
		if len(b) < 34 {
			return errAt(len(b), ErrShort)
		}
		m.HopCount = b[1]
		m.LinkAddr = netip.AddrFrom16([16]byte(b[2:18]))
		m.PeerAddr = netip.AddrFrom16([16]byte(b[18:34]))
		m.base = 34
	} else {
		m.XID = uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
	}
	it := m.Options()
	for it.Next() {
		o := it.Option()
		s := span6{int32(o.Offset), int32(len(o.Data))}
		switch o.Code {
		case Opt6ClientID:
			setFirst(&m.clientID, s)
		case Opt6ServerID:
			setFirst(&m.serverID, s)
		case Opt6ORO:
			setFirst(&m.oro, s)
		case Opt6VendorClass:
			setFirst(&m.vendor, s)
		case Opt6FQDN:
			setFirst(&m.fqdn, s)
		case Opt6RelayMessage:
			setFirst(&m.relay, s)
		}
		if err := checkOption6(o); err != nil {
			return err
		}
	}
	return it.Err()
}

func setFirst(dst *span6, s span6) {
	if !dst.ok() {
		*dst = s
	}
}

// checkOption6 checks the value of an option the accessors decode.
func checkOption6(o Option6) error {
	v := o.Data
	bad := func() error { return optErr(int(o.Offset)-4, int(o.Code), ErrOptionValue) }
	switch o.Code {
	case Opt6ClientID, Opt6ServerID:
		if len(v) < 2 {
			return bad()
		}
	case Opt6ORO:
		if len(v)%2 != 0 {
			return bad()
		}
	case Opt6IANA:
		if len(v) < 12 {
			return bad()
		}
		it := options6(v[12:], int(o.Offset)+12)
		for it.Next() {
			if a := it.Option(); a.Code == Opt6IAAddr && len(a.Data) < 24 {
				return optErr(int(a.Offset)-4, int(a.Code), ErrOptionValue)
			}
		}
		return it.Err()
	case Opt6VendorClass:
		if len(v) < 4 {
			return bad()
		}
		it := VendorClass6{Data: v[4:], offset: o.Offset + 4}.Items()
		for it.Next() {
		}
		return it.Err()
	case Opt6FQDN:
		if len(v) < 1 {
			return bad()
		}
		if n := checkName(v[1:]); n >= 0 {
			return optErr(int(o.Offset)+1+n, int(o.Code), ErrName)
		}
	}
	return nil
}

func (m *Message6) view(s span6) []byte {
	if !s.ok() {
		return nil
	}
	return m.data[s.off : s.off+s.n : s.off+s.n]
}

// Option returns the value of the first instance of option c and whether
// the message carries it.
func (m *Message6) Option(c OptionCode6) ([]byte, bool) {
	it := m.Options()
	for it.Next() {
		if o := it.Option(); o.Code == c {
			return o.Data, true
		}
	}
	return nil, false
}

// ClientID returns the client's DUID (option 1), or nil.
func (m *Message6) ClientID() DUID { return m.view(m.clientID) }

// ServerID returns the server's DUID (option 2), or nil.
func (m *Message6) ServerID() DUID { return m.view(m.serverID) }

// ORO returns the option request list (option 6): the codes of the
// options the client asks for, two bytes each, in its order; see
// [Message6.AppendORO].
func (m *Message6) ORO() []byte { return m.view(m.oro) }

// AppendORO appends the option request list as decimal codes joined by
// commas ("23,24,39").
func (m *Message6) AppendORO(dst []byte) []byte {
	oro := m.ORO()
	for i := 0; i+1 < len(oro); i += 2 {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendUint(dst, uint64(binary.BigEndian.Uint16(oro[i:])), 10)
	}
	return dst
}

// VendorClass returns the first vendor class option (16) and whether the
// message carries one.
func (m *Message6) VendorClass() (VendorClass6, bool) {
	v := m.view(m.vendor)
	if len(v) < 4 {
		return VendorClass6{}, false
	}
	return VendorClass6{Enterprise: binary.BigEndian.Uint32(v), Data: v[4:], offset: int64(m.vendor.off) + 4}, true
}

// FQDN returns the client FQDN option (39, RFC 4704) and whether the
// message carries it. Its name is always in DNS wire format.
func (m *Message6) FQDN() (FQDN, bool) {
	v := m.view(m.fqdn)
	if len(v) < 1 {
		return FQDN{}, false
	}
	return FQDN{Flags: FQDNFlags(v[0]), Name: v[1:], wire: true}, true
}

// RelayMessage returns the message a relay message carries (option 9),
// or nil.
func (m *Message6) RelayMessage() []byte { return m.view(m.relay) }

// IANAs returns an iterator over the IA_NA options (3): the identity
// associations for non-temporary addresses, with the addresses a client
// asks for or a server assigns.
func (m *Message6) IANAs() IAIter { return IAIter{opts: m.Options()} }

// Options returns an iterator over the message's top-level options.
func (m *Message6) Options() Option6Iter {
	if m.data == nil || len(m.data) < m.base {
		return Option6Iter{}
	}
	return options6(m.data[m.base:], m.base)
}

// DUID is a DHCP Unique Identifier (RFC 8415 11): a type, then
// type-specific data.
type DUID []byte

// Type returns the DUID's type, or 0 when it is shorter than two bytes.
func (d DUID) Type() DUIDType {
	if len(d) < 2 {
		return 0
	}
	return DUIDType(binary.BigEndian.Uint16(d))
}

// LinkLayer returns the hardware type (1: Ethernet) and link-layer
// address of a DUID-LLT or DUID-LL, and whether d is one.
func (d DUID) LinkLayer() (hwtype uint16, addr []byte, ok bool) {
	switch d.Type() {
	case DUIDLLT:
		if len(d) >= 8 {
			return binary.BigEndian.Uint16(d[2:]), d[8:], true
		}
	case DUIDLL:
		if len(d) >= 4 {
			return binary.BigEndian.Uint16(d[2:]), d[4:], true
		}
	}
	return 0, nil, false
}

// MAC returns the Ethernet address of a DUID-LLT or DUID-LL whose
// hardware type is Ethernet, and whether there is one.
func (d DUID) MAC() (mac [6]byte, ok bool) {
	if hw, a, ok := d.LinkLayer(); ok && hw == 1 && len(a) == 6 {
		return [6]byte(a), true
	}
	return mac, false
}

// Option6 is one DHCPv6 option: its code and value, a view into the
// message, with the value's offset in the message.
type Option6 struct {
	Code   OptionCode6
	Data   []byte
	Offset int64
}

// Option6Iter walks a list of DHCPv6 options: a message's, or those
// encapsulated in an option (IA_NA's):
//
//	it := m.Options()
//	for it.Next() {
//		o := it.Option()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
type Option6Iter struct {
	b    []byte
	base int
	i    int
	cur  Option6
	err  error
}

func options6(b []byte, base int) Option6Iter { return Option6Iter{b: b, base: base} }

// Next advances to the next option, which [Option6Iter.Option] then
// returns. It returns false after the last option or on one whose length
// runs past the list (see Err).
func (it *Option6Iter) Next() bool {
	it.cur = Option6{}
	if it.err != nil || it.i >= len(it.b) {
		return false
	}
	b := it.b[it.i:]
	if len(b) < 4 {
		it.err = optErr(it.base+it.i, -1, ErrOptionLength)
		return false
	}
	c := binary.BigEndian.Uint16(b)
	n := int(binary.BigEndian.Uint16(b[2:]))
	if 4+n > len(b) {
		it.err = optErr(it.base+it.i, int(c), ErrOptionLength)
		return false
	}
	it.cur = Option6{Code: OptionCode6(c), Data: b[4 : 4+n : 4+n], Offset: int64(it.base + it.i + 4)}
	it.i += 4 + n
	return true
}

// nextOf advances to the next option of code c whose value has at least
// n bytes, and returns its value and the value's offset.
func (it *Option6Iter) nextOf(c OptionCode6, n int) ([]byte, int64, bool) {
	for it.Next() {
		if o := it.cur; o.Code == c && len(o.Data) >= n {
			return o.Data, o.Offset, true
		}
	}
	return nil, 0, false
}

// Option returns the option Next advanced to.
func (it *Option6Iter) Option() Option6 { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *Option6Iter) Err() error { return it.err }

// IA is an identity association for non-temporary addresses (IA_NA).
type IA struct {
	IAID   uint32
	T1, T2 uint32 // seconds until the client renews and rebinds
	// Options are the encapsulated options (IAADDR, status code), a view
	// into the message, at Offset in it.
	Options []byte
	Offset  int64
}

// IAIter walks the IA_NA options of a message, in the manner of
// [Option6Iter]: for it.Next() { ia := it.IA() ... }; it.Err().
type IAIter struct {
	opts Option6Iter
	cur  IA
}

// Next advances to the next IA_NA option.
func (it *IAIter) Next() bool {
	v, off, ok := it.opts.nextOf(Opt6IANA, 12)
	it.cur = IA{}
	if ok {
		it.cur = IA{IAID: binary.BigEndian.Uint32(v), T1: binary.BigEndian.Uint32(v[4:]),
			T2: binary.BigEndian.Uint32(v[8:]), Options: v[12:], Offset: off + 12}
	}
	return ok
}

// IA returns the IA_NA Next advanced to.
func (it *IAIter) IA() IA { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *IAIter) Err() error { return it.opts.Err() }

// Addrs returns an iterator over the addresses (IAADDR options) of the
// identity association.
func (ia IA) Addrs() IAAddrIter { return IAAddrIter{opts: options6(ia.Options, int(ia.Offset))} }

// IAAddr is an address of an identity association (IAADDR, option 5).
type IAAddr struct {
	Addr netip.Addr
	// Preferred and Valid are the lifetimes in seconds (0xffffffff:
	// infinite); a client sets them to 0 in its requests.
	Preferred, Valid uint32
	Options          []byte // encapsulated options, a view into the message
}

// IAAddrIter walks the addresses of an identity association: for
// it.Next() { a := it.Addr() ... }; it.Err().
type IAAddrIter struct {
	opts Option6Iter
	cur  IAAddr
}

// Next advances to the next address.
func (it *IAAddrIter) Next() bool {
	v, _, ok := it.opts.nextOf(Opt6IAAddr, 24)
	it.cur = IAAddr{}
	if ok {
		it.cur = IAAddr{Addr: netip.AddrFrom16([16]byte(v[:16])), Preferred: binary.BigEndian.Uint32(v[16:]),
			Valid: binary.BigEndian.Uint32(v[20:]), Options: v[24:]}
	}
	return ok
}

// Addr returns the address Next advanced to.
func (it *IAAddrIter) Addr() IAAddr { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *IAAddrIter) Err() error { return it.opts.Err() }

// VendorClass6 is a DHCPv6 vendor class option (16): the vendor's
// enterprise number and the vendor class data, a list of opaque items
// (often one, a text such as "MSFT 5.0").
type VendorClass6 struct {
	Enterprise uint32
	Data       []byte // the items, each preceded by its 16-bit length
	offset     int64
}

// Items returns an iterator over the vendor class data items:
//
//	it := vc.Items()
//	for it.Next() {
//		item := it.Item()
//		...
//	}
//	if err := it.Err(); err != nil { ... }
func (v VendorClass6) Items() ItemIter { return ItemIter{b: v.Data, base: v.offset} }

// ItemIter walks a list of opaque items, each preceded by its 16-bit
// length, as in the vendor class and user class options of DHCPv6.
type ItemIter struct {
	b    []byte
	base int64
	i    int
	cur  []byte
	err  error
}

// Next advances to the next item.
func (it *ItemIter) Next() bool {
	it.cur = nil
	if it.err != nil || it.i >= len(it.b) {
		return false
	}
	b := it.b[it.i:]
	if len(b) < 2 || 2+int(binary.BigEndian.Uint16(b)) > len(b) {
		it.err = &Error{Offset: it.base + int64(it.i), Option: -1, Err: ErrOptionValue}
		return false
	}
	n := int(binary.BigEndian.Uint16(b))
	it.cur = b[2 : 2+n : 2+n]
	it.i += 2 + n
	return true
}

// Item returns the item Next advanced to, a view into the message.
func (it *ItemIter) Item() []byte { return it.cur }

// Err returns the error that stopped the iteration, if any.
func (it *ItemIter) Err() error { return it.err }
